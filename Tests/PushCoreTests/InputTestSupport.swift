import Testing
@testable import PushCore

/// A record reduced to comparable values: line plus the values in field order, or the message.
enum RecordSummary: Equatable, CustomStringConvertible {
    case row(Int, [String])
    case malformed(Int, String)

    var description: String {
        switch self {
        case .row(let line, let values): return "row(\(line), \(values))"
        case .malformed(let line, let message): return "malformed(\(line), \(message))"
        }
    }
}

/// Text of a field value for summaries: CSV text as is, JSON values serialized.
func summaryText(_ value: FieldValue?) -> String {
    switch value {
    case nil: return "<missing>"
    case .text(let s)?: return s
    case .json(let v)?: return String(decoding: JSONWriter.serialize(v), as: UTF8.self)
    }
}

func summarize(_ record: InputRecord) -> RecordSummary {
    switch record.content {
    case .malformed(let message): return .malformed(record.line, message)
    case .fields(let fields): return .row(record.line, fields.names.map { summaryText(fields.value(named: $0)) })
    }
}

func readAll(_ reader: inout some RecordReader) throws -> [RecordSummary] {
    var out: [RecordSummary] = []
    while let record = try reader.next() { out.append(summarize(record)) }
    return out
}

func readAllRecords(_ reader: inout some RecordReader) throws -> [InputRecord] {
    var out: [InputRecord] = []
    while let record = try reader.next() { out.append(record) }
    return out
}

/// Reads CSV bytes (served `chunk` bytes at a time) and summarizes every record.
func csvSummaries(_ bytes: [UInt8], chunk: Int = InputDefaults.chunkSize,
                  maxLineBytes: Int = InputDefaults.maxLineBytes) throws -> (columns: [String], records: [RecordSummary]) {
    var reader = try CSVReader(source: BufferByteSource(bytes, chunkSize: chunk), name: "test.csv", maxLineBytes: maxLineBytes)
    let records = try readAll(&reader)
    return (reader.columns, records)
}

func csvSummaries(_ text: String, chunk: Int = InputDefaults.chunkSize,
                  maxLineBytes: Int = InputDefaults.maxLineBytes) throws -> (columns: [String], records: [RecordSummary]) {
    try csvSummaries(Array(text.utf8), chunk: chunk, maxLineBytes: maxLineBytes)
}

func jsonlSummaries(_ bytes: [UInt8], chunk: Int = InputDefaults.chunkSize,
                    maxLineBytes: Int = InputDefaults.maxLineBytes) throws -> [RecordSummary] {
    var reader = try JSONLReader(source: BufferByteSource(bytes, chunkSize: chunk), name: "test.jsonl", maxLineBytes: maxLineBytes)
    return try readAll(&reader)
}

func jsonlSummaries(_ text: String, chunk: Int = InputDefaults.chunkSize,
                    maxLineBytes: Int = InputDefaults.maxLineBytes) throws -> [RecordSummary] {
    try jsonlSummaries(Array(text.utf8), chunk: chunk, maxLineBytes: maxLineBytes)
}

/// The message of the JSON error thrown for `text`, or nil when it parses.
func jsonErrorText(_ text: String) -> String? {
    do {
        _ = try JSONParser.parse(text)
        return nil
    } catch {
        return error.description
    }
}

func jsonErrorText(bytes: [UInt8]) -> String? {
    do {
        _ = try JSONParser.parse(bytes)
        return nil
    } catch {
        return error.description
    }
}
