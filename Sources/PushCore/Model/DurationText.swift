/// Durations as people write them on a command line: `500ms`, `2s`, `1.5s`, `5m`, `1h`; a bare number is seconds.
public enum DurationText {
    /// Milliseconds, or nil when `text` is not a duration (negative, empty, unknown unit, absurdly large).
    public static func milliseconds(_ text: String) -> Int? {
        let units: [(suffix: String, factor: Double)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)]
        var number = Substring(text)
        var factor = 1000.0
        for unit in units where text.hasSuffix(unit.suffix) {
            number = text.dropLast(unit.suffix.count)
            factor = unit.factor
            break
        }
        guard !number.isEmpty, number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
              let value = Double(number), value.isFinite, value >= 0 else { return nil }
        let ms = value * factor
        guard ms <= 7 * 24 * 3_600_000 else { return nil }
        return Int(ms.rounded())
    }

    /// The shortest exact spelling: `500ms`, `30s`, `5m`, `2h`.
    public static func format(milliseconds ms: Int) -> String {
        if ms % 3_600_000 == 0 && ms > 0 { return "\(ms / 3_600_000)h" }
        if ms % 60_000 == 0 && ms > 0 { return "\(ms / 60_000)m" }
        if ms % 1000 == 0 { return "\(ms / 1000)s" }
        return "\(ms)ms"
    }
}
