/// Report rows encoded by hand into bytes: no JSONEncoder, no formatter, no per-row String building. Each row is
/// written with a `ByteCursor` into scratch space sized for its worst case, then appended with one copy.
/// Fields follow `ReportRow.fieldNames` (`ReportField.ordered`); every row ends with `\n`.
package enum ReportRowEncoding {
    /// `{"line":1,"token":"…",…,"finished_at":"2026-11-26T15:18:39.123Z"}\n`
    /// Kept fields (`kept` names, values from `row.kept`) follow the standard ones.
    package static func appendJSONLine(_ row: ReportRow, kept: [String] = [], to buffer: inout [UInt8],
                                       scratch: ByteScratch? = nil, columns: ReportColumns = .device) {
        withUnsafePointer(to: row) { row in
            if columns == .device {
                appendJSONLine(at: row, kept: kept, to: &buffer, scratch: scratch)
            } else {
                appendBroadcastJSONLine(at: row, kept: kept, to: &buffer, scratch: scratch)
            }
        }
    }

    /// The row read in place through `row` (no copy of the row: the report writer's path).
    static func appendJSONLine(at row: UnsafePointer<ReportRow>, kept: [String], to buffer: inout [UInt8],
                               scratch: ByteScratch?) {
        var bound = fixedBound + 6 * ReportRow.textBytes(row)
        for (index, name) in kept.enumerated() {
            bound += 6 * name.utf8.count + 8 + 6 * (index < row.pointee.kept.count ? row.pointee.kept[index]?.text.utf8.count ?? 0 : 0)
        }
        ByteCursor.append(to: &buffer, atMost: bound, scratch: scratch) { out in
            out.byte(UInt8(ascii: "{"))
            for field in ReportField.ordered {
                if field != .line { out.byte(UInt8(ascii: ",")) }
                out.write(field.jsonKey)
                writeValue(field, of: row, to: &out, absent: "null", text: { $0.jsonString(utf8: $1) }) { out, ms in
                    out.byte(UInt8(ascii: "\""))
                    writeTime(ms, to: &out, scratch: scratch)
                    out.byte(UInt8(ascii: "\""))
                }
            }
            for (index, name) in kept.enumerated() {
                out.byte(UInt8(ascii: ","))
                out.jsonString(name)
                out.byte(UInt8(ascii: ":"))
                switch index < row.pointee.kept.count ? row.pointee.kept[index] : nil {
                case nil: out.write("null")
                case .text(let text)?: out.jsonString(text)
                case .literal(let literal)?: out.utf8(literal)
                }
            }
            out.write("}\n")
        }
    }

    /// `1,ab12…,delivered,200,,…,2026-11-26T15:18:39.123Z\n` (RFC 4180 quoting where needed).
    /// `keptCount` kept values (from `row.kept`; missing ones empty) follow the standard fields.
    package static func appendCSVLine(_ row: ReportRow, keptCount: Int = 0, to buffer: inout [UInt8],
                                      scratch: ByteScratch? = nil) {
        withUnsafePointer(to: row) { appendCSVLine(at: $0, keptCount: keptCount, to: &buffer, scratch: scratch) }
    }

    static func appendCSVLine(at row: UnsafePointer<ReportRow>, keptCount: Int, to buffer: inout [UInt8],
                              scratch: ByteScratch?) {
        var bound = fixedBound + 2 * ReportRow.textBytes(row)
        for index in 0..<min(keptCount, row.pointee.kept.count) { bound += 3 + 2 * (row.pointee.kept[index]?.text.utf8.count ?? 0) }
        bound += keptCount
        ByteCursor.append(to: &buffer, atMost: bound, scratch: scratch) { out in
            for field in ReportField.ordered {
                if field != .line { out.byte(UInt8(ascii: ",")) }
                writeValue(field, of: row, to: &out, absent: "", text: { $0.csvField(utf8: $1) }) { out, ms in
                    writeTime(ms, to: &out, scratch: scratch)
                }
            }
            for index in 0..<keptCount {
                out.byte(UInt8(ascii: ","))
                if index < row.pointee.kept.count, let value = row.pointee.kept[index] { out.csvField(value.text) }
            }
            out.byte(UInt8(ascii: "\n"))
        }
    }

    private static func writeTime(_ ms: Int64, to out: inout ByteCursor, scratch: ByteScratch?) {
        if let scratch {
            RFC3339.write(epochMilliseconds: ms, to: &out, cache: &scratch.minuteCache)
        } else {
            RFC3339.write(epochMilliseconds: ms, to: &out)
        }
    }

    /// Room for everything of a row but its text fields (and kept fields): keys (~140 bytes), four integers
    /// (20 each), the latency (~25) and the timestamp (~37).
    private static let fixedBound = 320

    @inline(__always)
    private static func writeValue(_ field: ReportField, of row: UnsafePointer<ReportRow>, to out: inout ByteCursor, absent: StaticString,
                                   text: (inout ByteCursor, UnsafeBufferPointer<UInt8>) -> Void,
                                   time: (inout ByteCursor, Int64) -> Void) {
        func string(_ out: inout ByteCursor, _ value: String) {
            ByteCursor.withUTF8(value) { text(&out, $0) }
        }
        switch field {
        case .line: out.integer(Int64(row.pointee.line))
        case .token: string(&out, row.pointee.token)
        case .outcome: string(&out, row.pointee.outcome.rawValue)
        case .status: if let status = row.pointee.status { out.integer(Int64(status)) } else { out.write(absent) }
        case .reason: if let reason = row.pointee.reason { string(&out, reason) } else { out.write(absent) }
        // Read in place through the pointer (`if let` would copy the text out of the row).
        case .apnsID: if row.pointee.apnsIDText?.withUTF8({ text(&out, $0) }) == nil { out.write(absent) }
        case .apnsUniqueID: if row.pointee.apnsUniqueIDText?.withUTF8({ text(&out, $0) }) == nil { out.write(absent) }
        case .unregisteredAt: if let at = row.pointee.unregisteredAt { out.integer(at) } else { out.write(absent) }
        case .attempts: out.integer(Int64(row.pointee.attempts))
        case .latencyMs:
            if let ms = row.pointee.latencyMs, ms.isFinite { out.decimal(ms, maxFractionDigits: 3) } else { out.write(absent) }
        case .finishedAt: time(&out, row.pointee.finishedAtMs)
        case .pushType: if let type = row.pointee.pushType { string(&out, type.rawValue) } else { out.write(absent) }
        }
    }

    /// `line,token,outcome,…\n`
    package static let csvHeader: [UInt8] = Array((ReportRow.fieldNames.joined(separator: ",") + "\n").utf8)

    /// The header with kept field names after the standard ones.
    package static func csvHeader(kept: [String], columns: ReportColumns = .device) -> [UInt8] {
        let standard = columns == .device ? csvHeader : Array((columns.fieldNames.joined(separator: ",") + "\n").utf8)
        guard !kept.isEmpty else { return standard }
        var header = Array(standard.dropLast())
        for name in kept {
            header.append(UInt8(ascii: ","))
            appendCSVField(name, to: &header)
        }
        header.append(UInt8(ascii: "\n"))
        return header
    }

    /// A CSV field: quoted (with `"` doubled) when it holds `,` `"` CR or LF, else as is.
    package static func appendCSVField(_ text: String, to buffer: inout [UInt8]) {
        ByteCursor.append(to: &buffer, atMost: 2 + 2 * text.utf8.count) { $0.csvField(text) }
    }
}

extension ReportRow {
    /// UTF-8 bytes of the row's text fields: with `ReportRowEncoding.fixedBound`, sizes a row's scratch space.
    /// Read through the pointer field by field (a computed property of `row.pointee` copies the whole row first).
    fileprivate static func textBytes(_ row: UnsafePointer<ReportRow>) -> Int {
        row.pointee.token.utf8.count + row.pointee.outcome.rawValue.utf8.count + (row.pointee.reason?.utf8.count ?? 0)
            + (row.pointee.apnsIDText?.utf8Count ?? 0) + (row.pointee.apnsUniqueIDText?.utf8Count ?? 0)
            + (row.pointee.pushType?.rawValue.utf8.count ?? 0)
    }
}

/// Decimal number text without Foundation formatters.
package enum DecimalText {
    /// Appends `value` in decimal (with `-` when negative).
    package static func appendInteger(_ value: Int64, to buffer: inout [UInt8]) {
        ByteCursor.append(to: &buffer, atMost: 24) { $0.integer(value) }
    }

    /// Appends `value` rounded to at most `maxFractionDigits` (≤ 6) decimals, trailing zeros
    /// dropped: 12.5 → `12.5`, 3.0 → `3`, 0.0004 → `0`. Non-finite values print as `0`.
    package static func appendDecimal(_ value: Double, maxFractionDigits: Int, to buffer: inout [UInt8]) {
        ByteCursor.append(to: &buffer, atMost: 64) { $0.decimal(value, maxFractionDigits: maxFractionDigits) }
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
