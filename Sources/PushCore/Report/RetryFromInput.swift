/// `apnsctl report FILE --failed RETRY --input INPUT`: the input rows of the report's rows worth sending again,
/// with every field the input has, so `apnsctl send --input RETRY` renders the same payloads with the same
/// template (a retry file made from the report alone holds only the token and the `--keep` fields).
///
/// The retry file takes the input's format: a CSV input gives CSV with the same header, a JSONL input gives JSONL
/// with the same members. Each chosen line's record must hold the token the report names for it, else the input
/// is not the one the report was written from and nothing is kept.
public enum RetryFromInput {
    public struct Mismatch: Error, CustomStringConvertible, Sendable, Equatable {
        public var description: String
    }

    /// Writes the records of `input` at the lines of `tokens` (line → token, from the report) to `path`; returns how
    /// many. `path` must name the input's format (`.csv` for CSV), `-` is stdout.
    public static func write(tokens: [Int: String], input: String, to path: String,
                             fileMode: UInt32 = FileIO.privateMode) throws -> Int {
        var reader = try openRecordReader(path: input, format: nil, tokenField: nil)
        let csvColumns = (reader as? CSVReader)?.columns
        if path != "-", (ReportFormat(path: path) == .csv) != (csvColumns != nil) {
            throw Mismatch(description: "--failed: \(path) would not be in the input's format (\(csvColumns != nil ? "CSV" : "JSONL")): "
                + "name it \(csvColumns != nil ? ".csv" : ".jsonl")")
        }
        let output = try LineOutput(path: path, append: false, mode: fileMode)
        if let csvColumns {
            for (i, name) in csvColumns.enumerated() {
                if i > 0 { output.buffer.append(UInt8(ascii: ",")) }
                ReportRowEncoding.appendCSVField(name, to: &output.buffer)
            }
            output.buffer.append(0x0A)
        }
        var written = 0
        while let record = try reader.next() {
            guard let token = tokens[record.line] else { continue }
            guard let fields = record.fields, holds(fields, token: token) else {
                try? output.close()
                throw Mismatch(description: "\(input): line \(record.line) does not hold token \(token), as the report says "
                    + "it did: give the input the report was written from")
            }
            if let csvColumns {
                for (i, name) in csvColumns.enumerated() {
                    if i > 0 { output.buffer.append(UInt8(ascii: ",")) }
                    if case .text(let text)? = fields.value(named: name) { ReportRowEncoding.appendCSVField(text, to: &output.buffer) }
                }
            } else {
                var object = JSONObject()
                for name in fields.names {
                    if case .json(let value)? = fields.value(named: name) { object.append(key: name, value: value) }
                }
                output.buffer.append(contentsOf: JSONWriter.serialize(.object(object)))
            }
            output.buffer.append(0x0A)
            written += 1
            if output.buffer.count >= ReportWriter.flushThreshold { try output.flush() }
        }
        try output.close()
        if written < tokens.count {
            throw Mismatch(description: "\(input) has \(written) of the \(tokens.count) lines to retry: give the input the "
                + "report was written from")
        }
        return written
    }

    /// True when a field of the record holds `token` (the report writes it lowercase).
    private static func holds(_ fields: Fields, token: String) -> Bool {
        fields.names.contains { name in
            switch fields.value(named: name) {
            // A device token is written lowercase; a channel id (base64) as it was.
            case .text(let text)?, .json(.string(let text))?: return text == token || text.lowercased() == token
            default: return false
            }
        }
    }
}
