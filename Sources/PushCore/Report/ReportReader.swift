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

    /// Names of the fields after the standard ones (`--keep`): the CSV header's extra columns, or the extra
    /// keys of the first JSONL row that has any. Each row's `kept` holds their values in this order.
    public private(set) var keptFields: [String] = []
    /// `.broadcast` once the header or a row names `channel_id` (a broadcast's report), else `.device`.
    public private(set) var naming = ReportColumns.device
    /// True once a compressed report turned out to be cut off (a run killed mid-write): the rows before the
    /// cut were read, the torn last line was dropped.
    public var wasTruncated: Bool { gzip?.wasTruncated ?? false }
    /// Drop a last line without its newline instead of reading it (`--resume`: a run killed mid-write).
    public var ignoresTornLastLine = false

    private var source: (any ByteSource)?
    private var gzip: GzipByteSource?
    private var sourceChecked = false
    private var buffer: [UInt8]
    private var position = 0
    private var endOfFile: Bool
    /// Line number of the first byte at `position`.
    private var line = 1
    /// CSV: the field each column holds (nil = unknown column), from the header.
    private var columns: [ReportField?]?
    /// CSV: for each kept field, its column.
    private var keptColumns: [Int] = []
    /// JSONL: the kept names are fixed by the first row with extra keys.
    private var keptFieldsKnown = false

    private static let chunkSize = 64 << 10

    /// Opens `path` (`-` = stdin); the format defaults to the one the file name implies. A gzip-compressed
    /// report (by its magic bytes) is decompressed as it is read.
    public init(path: String, format: ReportFormat? = nil) throws {
        self.path = path
        self.format = format ?? ReportFormat(path: path)
        if path == "-" {
            source = FileByteSource(fileDescriptor: FileDescriptor.standardInput.rawValue, name: "stdin", closeWhenDone: false)
        } else {
            source = FileByteSource(fileDescriptor: try FileIO.open(path, .readOnly).rawValue, name: path, closeWhenDone: true)
        }
        buffer = []
        endOfFile = false
    }

    /// Reads rows from memory; `source` names them in errors.
    package init(bytes: [UInt8], format: ReportFormat, source: String = "report") {
        self.path = source
        self.format = format
        self.source = nil
        buffer = bytes
        endOfFile = true
        sourceChecked = true
    }

    /// Closes the file early; `next()` then returns nil.
    public func close() {
        source = nil
        gzip = nil
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
                    let (row, object) = try ReportRowDecoding.rowAndObject(jsonLine: record)
                    if object["channel_id"] != nil { naming = .broadcast }
                    return withKeptValues(row, object)
                case .csv:
                    let fields = try ReportRowDecoding.csvFields(record)
                    guard let columns else {
                        let columns = try Self.columns(fromHeader: fields)
                        self.columns = columns
                        if fields.contains(where: { $0.trimmingASCIISpaces() == "channel_id" }) { naming = .broadcast }
                        keptColumns = columns.indices.filter { columns[$0] == nil }
                        keptFields = keptColumns.map { fields[$0].trimmingASCIISpaces() }
                        continue
                    }
                    guard fields.count == columns.count else {
                        throw ReportFieldError(field: nil, message: "\(fields.count) fields, but the header has \(columns.count)")
                    }
                    var row = try ReportRowDecoding.row(csv: true) { field in
                        columns.firstIndex(of: field).map { .text(fields[$0]) }
                    }
                    row.kept = keptColumns.map { fields[$0].isEmpty ? nil : .text(fields[$0]) }
                    return row
                }
            } catch {
                throw ReportReadError(path: path, line: recordLine, message: "\(error)")
            }
        }
        return nil
    }

    /// JSONL: the row with its kept values; the first row with extra keys names the kept fields.
    private func withKeptValues(_ row: ReportRow, _ object: FlatJSONObject) -> ReportRow {
        if !keptFieldsKnown {
            let extra = object.members.map(\.key).filter { ReportField(name: $0) == nil }
            guard !extra.isEmpty else { return row }
            keptFields = extra
            keptFieldsKnown = true
        }
        var row = row
        row.kept = keptFields.map { name in
            switch object[name] {
            case nil, .null?: return nil
            case .string(let text)?: return .text(text)
            case .number(let literal)?: return .literal(literal)
            case .bool(let flag)?: return .literal(flag ? "true" : "false")
            }
        }
        return row
    }

    /// Every remaining row.
    public func readAll() throws -> [ReportRow] {
        var rows: [ReportRow] = []
        while let row = try next() { rows.append(row) }
        return rows
    }

    private static func columns(fromHeader names: [String]) throws(ReportFieldError) -> [ReportField?] {
        let columns = names.map { ReportField(name: $0.trimmingASCIISpaces()) }
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
                // A compressed report cut off mid-write: its last line is torn, not a row.
                if wasTruncated || ignoresTornLastLine {
                    position = buffer.count
                    return nil
                }
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
            if try readChunk() == 0 {
                endOfFile = true
            }
        }
    }
}

extension ReportReader {
    /// Reads a chunk onto the end of `buffer`; the first read decides whether the report is compressed.
    private func readChunk() throws -> Int {
        guard var current = source else { return 0 }
        if !sourceChecked {
            sourceChecked = true
            var head: [UInt8] = []
            while head.count < 2, try current.read(into: &head, max: Self.chunkSize) > 0 {}
            if head.count >= 2 && head[0] == 0x1F && head[1] == 0x8B {
                let decompressor = try GzipByteSource(source: PrefixedByteSource(prefix: head, rest: current),
                                                      name: path, tolerateTruncation: true)
                gzip = decompressor
                source = decompressor
                current = decompressor
            } else {
                buffer.append(contentsOf: head)
                return head.count
            }
        }
        do {
            return try current.read(into: &buffer, max: Self.chunkSize)
        } catch let error as InputError {
            throw ReportReadError(path: path, line: line, message: String(error.message.dropFirst(path.count + 2)))
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
