/// Report rows decoded from the fields of one JSONL object or CSV record (the inverse of
/// `ReportRowEncoding`). Errors are messages about one field; the reader adds file and line.
package enum ReportRowDecoding {
    /// One field as read: JSON distinguishes strings, numbers and null; CSV has only text.
    package enum RawField: Equatable {
        case text(String)
        case number(String)
        case bool(Bool)
        case null
    }

    /// Builds a row from `lookup` (nil = field absent). `line`, `token`, `outcome` and
    /// `finished_at` are required; other absent fields are nil (attempts: 0).
    package static func row(csv: Bool, _ lookup: (ReportField) -> RawField?) throws(ReportFieldError) -> ReportRow {
        func present(_ field: ReportField) -> RawField? {
            switch lookup(field) {
            case nil, .null?: return nil
            case .text(let text)? where csv && text.isEmpty: return nil
            case let raw?: return raw
            }
        }
        func required(_ field: ReportField) throws(ReportFieldError) -> RawField {
            guard let raw = present(field) else { throw ReportFieldError(field: field, message: "missing") }
            return raw
        }
        func text(_ field: ReportField, _ raw: RawField?) throws(ReportFieldError) -> String? {
            switch raw {
            case nil: return nil
            case .text(let text)?: return text
            case .number(let literal)?: throw ReportFieldError(field: field, message: "expected a string, found the number \(literal)")
            case .bool?, .null?: throw ReportFieldError(field: field, message: "expected a string")
            }
        }
        func numberText(_ field: ReportField, _ raw: RawField?) throws(ReportFieldError) -> String? {
            switch raw {
            case nil: return nil
            case .number(let literal)?: return literal
            case .text(let text)? where csv: return text
            case .text(let text)?: throw ReportFieldError(field: field, message: "expected a number, found the string '\(text)'")
            case .bool?, .null?: throw ReportFieldError(field: field, message: "expected a number")
            }
        }
        func integer(_ field: ReportField, _ raw: RawField?) throws(ReportFieldError) -> Int64? {
            guard let literal = try numberText(field, raw) else { return nil }
            guard let value = Int64(literal) else { throw ReportFieldError(field: field, message: "'\(literal)' is not an integer") }
            return value
        }
        func small(_ field: ReportField, _ raw: RawField?) throws(ReportFieldError) -> Int? {
            guard let value = try integer(field, raw) else { return nil }
            guard let small = Int(exactly: value), small >= 0 else { throw ReportFieldError(field: field, message: "\(value) is out of range") }
            return small
        }

        guard let line = try small(.line, try required(.line)) else { throw ReportFieldError(field: .line, message: "missing") }
        let token = try text(.token, try required(.token)) ?? ""
        let outcomeText = try text(.outcome, try required(.outcome)) ?? ""
        guard let outcome = Outcome(rawValue: outcomeText) else {
            throw ReportFieldError(field: .outcome, message: "'\(outcomeText)' is not one of \(Outcome.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let finishedAt: Int64
        switch try required(.finishedAt) {
        case .text(let text):
            guard let ms = RFC3339.parse(text) else {
                throw ReportFieldError(field: .finishedAt, message: "'\(text)' is not an RFC 3339 time like 2026-11-26T15:18:39.123Z")
            }
            finishedAt = ms
        case let raw:
            finishedAt = try integer(.finishedAt, raw) ?? 0
        }
        var latency: Double?
        if let literal = try numberText(.latencyMs, present(.latencyMs)) {
            guard let value = Double(literal), value.isFinite else {
                throw ReportFieldError(field: .latencyMs, message: "'\(literal)' is not a number")
            }
            latency = value
        }
        return ReportRow(
            line: line, token: token, outcome: outcome,
            status: try small(.status, present(.status)),
            reason: try text(.reason, present(.reason)),
            apnsID: try text(.apnsID, present(.apnsID)),
            apnsUniqueID: try text(.apnsUniqueID, present(.apnsUniqueID)),
            unregisteredAt: try integer(.unregisteredAt, present(.unregisteredAt)),
            attempts: try small(.attempts, present(.attempts)) ?? 0,
            latencyMs: latency,
            finishedAtMs: finishedAt,
            pushType: try text(.pushType, present(.pushType)).map(PushType.init(rawValue:)))
    }

    /// A row from one JSONL line's bytes.
    package static func row(jsonLine bytes: ArraySlice<UInt8>) throws(ReportFieldError) -> ReportRow {
        try rowAndObject(jsonLine: bytes).row
    }

    /// A row from one JSONL line's bytes, and the line's object (for the kept fields).
    package static func rowAndObject(jsonLine bytes: ArraySlice<UInt8>) throws(ReportFieldError) -> (row: ReportRow, object: FlatJSONObject) {
        let object: FlatJSONObject
        do {
            object = try FlatJSONObject.parse(bytes)
        } catch {
            throw ReportFieldError(field: nil, message: "not a JSON object: \(error)")
        }
        let row = try row(csv: false) { field in
            switch object[field.rawValue] ?? object[field.broadcastName] {
            case nil: return nil
            case .string(let text)?: return .text(text)
            case .number(let literal)?: return .number(literal)
            case .bool(let value)?: return .bool(value)
            case .null?: return .null
            }
        }
        return (row, object)
    }

    /// The fields of one CSV record (RFC 4180: `"` quotes, `""` inside quotes; CR/LF may be quoted).
    package static func csvFields(_ bytes: ArraySlice<UInt8>) throws(ReportFieldError) -> [String] {
        var fields: [String] = []
        var index = bytes.startIndex
        let end = bytes.endIndex
        while true {
            if index < end && bytes[index] == UInt8(ascii: "\"") {
                index += 1
                var field: [UInt8] = []
                var closed = false
                while index < end {
                    let byte = bytes[index]
                    index += 1
                    if byte == UInt8(ascii: "\"") {
                        if index < end && bytes[index] == UInt8(ascii: "\"") {
                            field.append(byte)
                            index += 1
                        } else {
                            closed = true
                            break
                        }
                    } else {
                        field.append(byte)
                    }
                }
                guard closed else { throw ReportFieldError(field: nil, message: "unterminated quoted field \(fields.count + 1)") }
                guard index == end || bytes[index] == UInt8(ascii: ",") else {
                    throw ReportFieldError(field: nil, message: "text after the closing quote of field \(fields.count + 1)")
                }
                fields.append(String(decoding: field, as: UTF8.self))
            } else {
                let start = index
                while index < end && bytes[index] != UInt8(ascii: ",") { index += 1 }
                fields.append(String(decoding: bytes[start..<index], as: UTF8.self))
            }
            if index == end { return fields }
            index += 1  // the comma; a trailing comma yields a final empty field
        }
    }
}

/// A problem with one field (or with the record, when `field` is nil).
package struct ReportFieldError: Error, Equatable, CustomStringConvertible {
    package var field: ReportField?
    package var message: String

    package var description: String {
        field.map { "field '\($0.rawValue)': \(message)" } ?? message
    }
}
