/// Report rows encoded by hand into bytes: no JSONEncoder, no formatter, no per-row String building.
/// Fields follow `ReportRow.fieldNames`; every row ends with `\n`.
package enum ReportRowEncoding {
    /// One field's value, typed for both formats.
    enum FieldValue {
        case integer(Int64)
        case text(String)
        case decimal(Double)
        case time(epochMilliseconds: Int64)
        case absent
    }

    static func value(_ field: ReportField, of row: ReportRow) -> FieldValue {
        switch field {
        case .line: return .integer(Int64(row.line))
        case .token: return .text(row.token)
        case .outcome: return .text(row.outcome.rawValue)
        case .status: return row.status.map { .integer(Int64($0)) } ?? .absent
        case .reason: return row.reason.map { .text($0) } ?? .absent
        case .apnsID: return row.apnsID.map { .text($0) } ?? .absent
        case .apnsUniqueID: return row.apnsUniqueID.map { .text($0) } ?? .absent
        case .unregisteredAt: return row.unregisteredAt.map { .integer($0) } ?? .absent
        case .attempts: return .integer(Int64(row.attempts))
        case .latencyMs: return row.latencyMs.flatMap { $0.isFinite ? .decimal($0) : nil } ?? .absent
        case .finishedAt: return .time(epochMilliseconds: row.finishedAtMs)
        }
    }

    /// `{"line":1,"token":"…",…,"finished_at":"2026-11-26T15:18:39.123Z"}\n`
    /// Kept fields (`kept` names, values from `row.kept`) follow the standard ones.
    package static func appendJSONLine(_ row: ReportRow, kept: [String] = [], to buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "{"))
        for (index, field) in ReportField.ordered.enumerated() {
            buffer.append(contentsOf: jsonKeys[index])
            switch value(field, of: row) {
            case .integer(let number): DecimalText.appendInteger(number, to: &buffer)
            case .text(let text): appendJSONString(text, to: &buffer)
            case .decimal(let number): DecimalText.appendDecimal(number, maxFractionDigits: 3, to: &buffer)
            case .time(let ms):
                buffer.append(UInt8(ascii: "\""))
                RFC3339.append(epochMilliseconds: ms, to: &buffer)
                buffer.append(UInt8(ascii: "\""))
            case .absent: buffer.append(contentsOf: null)
            }
        }
        for (index, name) in kept.enumerated() {
            buffer.append(UInt8(ascii: ","))
            appendJSONString(name, to: &buffer)
            buffer.append(UInt8(ascii: ":"))
            switch index < row.kept.count ? row.kept[index] : nil {
            case nil: buffer.append(contentsOf: null)
            case .text(let text)?: appendJSONString(text, to: &buffer)
            case .literal(let literal)?: buffer.append(contentsOf: literal.utf8)
            }
        }
        buffer.append(UInt8(ascii: "}"))
        buffer.append(UInt8(ascii: "\n"))
    }

    /// `1,ab12…,delivered,200,,…,2026-11-26T15:18:39.123Z\n` (RFC 4180 quoting where needed).
    /// `keptCount` kept values (from `row.kept`; missing ones empty) follow the standard fields.
    package static func appendCSVLine(_ row: ReportRow, keptCount: Int = 0, to buffer: inout [UInt8]) {
        for (index, field) in ReportField.ordered.enumerated() {
            if index > 0 { buffer.append(UInt8(ascii: ",")) }
            switch value(field, of: row) {
            case .integer(let number): DecimalText.appendInteger(number, to: &buffer)
            case .text(let text): appendCSVField(text, to: &buffer)
            case .decimal(let number): DecimalText.appendDecimal(number, maxFractionDigits: 3, to: &buffer)
            case .time(let ms): RFC3339.append(epochMilliseconds: ms, to: &buffer)
            case .absent: break
            }
        }
        for index in 0..<keptCount {
            buffer.append(UInt8(ascii: ","))
            if index < row.kept.count, let value = row.kept[index] { appendCSVField(value.text, to: &buffer) }
        }
        buffer.append(UInt8(ascii: "\n"))
    }

    /// `line,token,outcome,…\n`
    package static let csvHeader: [UInt8] = Array((ReportRow.fieldNames.joined(separator: ",") + "\n").utf8)

    /// The header with kept field names after the standard ones.
    package static func csvHeader(kept: [String]) -> [UInt8] {
        guard !kept.isEmpty else { return csvHeader }
        var header = Array(csvHeader.dropLast())
        for name in kept {
            header.append(UInt8(ascii: ","))
            appendCSVField(name, to: &header)
        }
        header.append(UInt8(ascii: "\n"))
        return header
    }

    private static let jsonKeys: [[UInt8]] = ReportField.ordered.enumerated().map { index, field in
        Array(((index == 0 ? "" : ",") + "\"\(field.rawValue)\":").utf8)
    }
    private static let null: [UInt8] = Array("null".utf8)
    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// A JSON string literal: `"` and `\` escaped, control characters as `\n`, `\t`, … or `\u00XX`.
    package static func appendJSONString(_ text: String, to buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "\""))
        let needsEscape = text.utf8.withContiguousStorageIfAvailable { bytes in
            for byte in bytes where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { return true }
            return false
        } ?? text.utf8.contains { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }
        if !needsEscape {
            buffer.append(contentsOf: text.utf8)
        } else {
            for byte in text.utf8 {
                switch byte {
                case UInt8(ascii: "\""): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
                case UInt8(ascii: "\\"): buffer.append(UInt8(ascii: "\\")); buffer.append(UInt8(ascii: "\\"))
                case 0x0A: buffer.append(UInt8(ascii: "\\")); buffer.append(UInt8(ascii: "n"))
                case 0x0D: buffer.append(UInt8(ascii: "\\")); buffer.append(UInt8(ascii: "r"))
                case 0x09: buffer.append(UInt8(ascii: "\\")); buffer.append(UInt8(ascii: "t"))
                case 0x08: buffer.append(UInt8(ascii: "\\")); buffer.append(UInt8(ascii: "b"))
                case 0x0C: buffer.append(UInt8(ascii: "\\")); buffer.append(UInt8(ascii: "f"))
                case 0..<0x20:
                    buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                               hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]])
                default: buffer.append(byte)
                }
            }
        }
        buffer.append(UInt8(ascii: "\""))
    }

    /// A CSV field: quoted (with `"` doubled) when it holds `,` `"` CR or LF, else as is.
    package static func appendCSVField(_ text: String, to buffer: inout [UInt8]) {
        let special: (UInt8) -> Bool = { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }
        guard text.utf8.contains(where: special) else {
            buffer.append(contentsOf: text.utf8)
            return
        }
        buffer.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            if byte == UInt8(ascii: "\"") { buffer.append(byte) }
            buffer.append(byte)
        }
        buffer.append(UInt8(ascii: "\""))
    }
}

/// Decimal number text without Foundation formatters.
package enum DecimalText {
    /// Appends `value` in decimal (with `-` when negative).
    package static func appendInteger(_ value: Int64, to buffer: inout [UInt8]) {
        if value < 0 {
            buffer.append(UInt8(ascii: "-"))
            // Int64.min has no positive counterpart: print its magnitude via UInt64.
            appendUnsigned(UInt64(bitPattern: 0 &- value), to: &buffer)
        } else {
            appendUnsigned(UInt64(value), to: &buffer)
        }
    }

    static func appendUnsigned(_ value: UInt64, to buffer: inout [UInt8]) {
        var divisor: UInt64 = 1
        while value / divisor >= 10 { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            buffer.append(UInt8(ascii: "0") + UInt8(rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }

    /// Appends `value` rounded to at most `maxFractionDigits` (≤ 6) decimals, trailing zeros
    /// dropped: 12.5 → `12.5`, 3.0 → `3`, 0.0004 → `0`. Non-finite values print as `0`.
    package static func appendDecimal(_ value: Double, maxFractionDigits: Int, to buffer: inout [UInt8]) {
        guard value.isFinite else { buffer.append(UInt8(ascii: "0")); return }
        let digits = min(max(maxFractionDigits, 0), 6)
        var scale: Double = 1
        for _ in 0..<digits { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9.0e15 else {
            // Beyond exact integer range: Swift's shortest round-trip form.
            buffer.append(contentsOf: "\(value)".utf8)
            return
        }
        let units = UInt64(scaled)
        let whole = units / UInt64(scale)
        var fraction = units % UInt64(scale)
        if value < 0 && units != 0 { buffer.append(UInt8(ascii: "-")) }
        appendUnsigned(whole, to: &buffer)
        guard fraction != 0 else { return }
        var width = digits
        while fraction % 10 == 0 {
            fraction /= 10
            width -= 1
        }
        buffer.append(UInt8(ascii: "."))
        var padding = UInt64(1)
        for _ in 1..<width { padding *= 10 }
        while padding > fraction && padding > 1 {
            buffer.append(UInt8(ascii: "0"))
            padding /= 10
        }
        appendUnsigned(fraction, to: &buffer)
    }

    /// `value` with exactly `decimals` decimals (for the summary): 12.345, 1 → `12.3`.
    package static func fixed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return "\(value)" }
        let digits = min(max(decimals, 0), 6)
        var scale: Double = 1
        for _ in 0..<digits { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9.0e15 else { return "\(value)" }
        let units = UInt64(scaled)
        var text = (value < 0 && units != 0 ? "-" : "") + String(units / UInt64(scale))
        if digits > 0 {
            let fraction = String(units % UInt64(scale))
            text += "." + String(repeating: "0", count: digits - fraction.count) + fraction
        }
        return text
    }
}
