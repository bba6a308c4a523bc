import Glibc

/// A report line apnsctl cannot read back: "report.csv:12: field 'status': 'abc' is not an integer".
public struct ReportReadError: Error, CustomStringConvertible, Sendable, Equatable {
    public var path: String
    /// 1-based line where the record starts.
    public var line: Int
    public var message: String

    public init(path: String, line: Int, message: String) {
        self.path = path
        self.line = line
        self.message = message
    }

    public var description: String { "\(path):\(line): \(message)" }
}

/// Reads apnsctl's own reports (JSONL or CSV) back into `ReportRow`s, streaming in 64 KiB chunks
/// (for resuming a run and `apnsctl report`). CSV columns are found by header name, so column
/// order does not matter and unknown columns are ignored. Blank lines are skipped; a last line
/// without its newline is read like any other.
///
/// Not thread-safe.
public final class ReportReader {
    public let path: String
    public let format: ReportFormat

    private var fd: Int32
    private let ownsDescriptor: Bool
    private var buffer: [UInt8]
    private var position = 0
    private var endOfFile: Bool
    /// Line number of the first byte at `position`.
    private var line = 1
    /// CSV: the field each column holds (nil = unknown column), from the header.
    private var columns: [ReportField?]?

    private static let chunkSize = 64 << 10

    /// Opens `path` (`-` = stdin); the format defaults to the one the file name implies.
    public init(path: String, format: ReportFormat? = nil) throws {
        self.path = path
        self.format = format ?? ReportFormat(path: path)
        if ReportFormat.isCompressed(path: path) {
            throw ReportFileError(path: path, message: "reading compressed reports is not supported; gunzip it first")
        }
        if path == "-" {
            fd = STDIN_FILENO
            ownsDescriptor = false
        } else {
            fd = try FileIO.open(path, flags: O_RDONLY)
            ownsDescriptor = true
        }
        buffer = []
        endOfFile = false
    }

    /// Reads rows from memory; `source` names them in errors.
    package init(bytes: [UInt8], format: ReportFormat, source: String = "report") {
        self.path = source
        self.format = format
        fd = -1
        ownsDescriptor = false
        buffer = bytes
        endOfFile = true
    }

    deinit {
        close()
    }

    /// Closes the file early; `next()` then returns nil.
    public func close() {
        if ownsDescriptor && fd >= 0 { _ = Glibc.close(fd) }
        fd = -1
        endOfFile = true
        buffer = []
        position = 0
    }

    /// The next row, or nil at the end of the report.
    public func next() throws -> ReportRow? {
        while let (record, recordLine) = try nextRecord() {
            if record.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            do {
                switch format {
                case .jsonl:
                    return try ReportRowDecoding.row(jsonLine: record)
                case .csv:
                    let fields = try ReportRowDecoding.csvFields(record)
                    guard let columns else {
                        columns = try Self.columns(fromHeader: fields)
                        continue
                    }
                    guard fields.count == columns.count else {
                        throw ReportFieldError(field: nil, message: "\(fields.count) fields, but the header has \(columns.count)")
                    }
                    return try ReportRowDecoding.row(csv: true) { field in
                        columns.firstIndex(of: field).map { .text(fields[$0]) }
                    }
                }
            } catch {
                throw ReportReadError(path: path, line: recordLine, message: "\(error)")
            }
        }
        return nil
    }

    /// Every remaining row.
    public func readAll() throws -> [ReportRow] {
        var rows: [ReportRow] = []
        while let row = try next() { rows.append(row) }
        return rows
    }

    private static func columns(fromHeader names: [String]) throws(ReportFieldError) -> [ReportField?] {
        let columns = names.map { ReportField(rawValue: $0.trimmingASCIISpaces()) }
        for required in [ReportField.line, .token, .outcome, .finishedAt] where !columns.contains(required) {
            throw ReportFieldError(field: nil, message: "the CSV header has no '\(required.rawValue)' column (expected \(ReportRow.fieldNames.joined(separator: ",")))")
        }
        for field in ReportField.allCases where columns.filter({ $0 == field }).count > 1 {
            throw ReportFieldError(field: nil, message: "the CSV header names '\(field.rawValue)' twice")
        }
        return columns
    }

    /// The next record's bytes (without its line ending) and the line it starts on.
    private func nextRecord() throws -> (ArraySlice<UInt8>, Int)? {
        var scanned = position
        var inQuotes = false
        var newlines = 0
        while true {
            // Scan for the end of the record: a newline, outside quotes for CSV.
            while scanned < buffer.count {
                let byte = buffer[scanned]
                if byte == UInt8(ascii: "\"") && format == .csv {
                    inQuotes.toggle()
                } else if byte == 0x0A {
                    if !inQuotes {
                        var end = scanned
                        if end > position && buffer[end - 1] == 0x0D { end -= 1 }
                        let record = buffer[position..<end]
                        let startLine = line
                        line += newlines + 1
                        position = scanned + 1
                        return (record, startLine)
                    }
                    newlines += 1
                }
                scanned += 1
            }
            if endOfFile {
                guard position < buffer.count else { return nil }
                var end = buffer.count
                if buffer[end - 1] == 0x0D { end -= 1 }
                let record = buffer[position..<end]
                let startLine = line
                line += newlines
                position = buffer.count
                return (record, startLine)
            }
            // Need more bytes: drop what was consumed, then read a chunk.
            if position > 0 {
                buffer.removeFirst(position)
                scanned -= position
                position = 0
            }
            if try FileIO.read(fd, into: &buffer, count: Self.chunkSize, path: path) == 0 {
                endOfFile = true
            }
        }
    }
}

extension String {
    fileprivate func trimmingASCIISpaces() -> String {
        var text = Substring(self)
        while text.first == " " { text = text.dropFirst() }
        while text.last == " " { text = text.dropLast() }
        return String(text)
    }
}
