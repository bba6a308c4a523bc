/// A report file that cannot be used as asked (wrong kind of file to append to, compressed name).
public struct ReportFileError: Error, CustomStringConvertible, Sendable, Equatable {
    public var path: String
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}

/// Writes report rows to a file or stdout (`-`) with `write(2)`, buffered; `.gz` files are compressed.
///
/// Rows are encoded into a buffer that is written out when it passes ~64 KiB, on `flush()`, `sync()` and
/// `close()`. The buffer only ever holds whole rows, so the file only ever grows by whole lines (short of a
/// failing disk mid-write); a compressed file decompresses to whole lines however it is cut off
/// (`LineOutput`). CSV files get a header row, except when appending to a non-empty file.
///
/// Appending checks the file first: a CSV file must start with the same header, a JSONL file with
/// `{`; a last line without its newline (a run killed mid-write) is cut off so rows start on a
/// line of their own.
///
/// Not thread-safe: one thread writes (or the caller serialises with a lock).
public final class ReportWriter {
    /// Buffered bytes past this size are written out after the current batch of rows.
    public static let flushThreshold = 64 << 10

    public let path: String
    public let format: ReportFormat
    /// Names of the kept input fields (`--keep`), written after the standard fields.
    public let keptFields: [String]
    /// The column names (`channel_id` and `apns_request_id` in a broadcast's report).
    public let columns: ReportColumns
    /// Rows handed to `write` so far.
    public private(set) var rowsWritten = 0
    /// Rows encoded into the buffer but not yet written out: 0 right after a flush that succeeded.
    public private(set) var bufferedRows = 0

    private let output: LineOutput
    /// Where each row is encoded before it is appended to the buffer.
    private let scratch = ByteScratch()
    private var fd: Int32 { output.fd }

    /// Opens `path` (`-` = stdout) for writing: truncated, or appended to when `append` is true.
    /// A report it creates gets `fileMode` (less the umask): it holds device tokens. One that exists keeps its mode.
    public init(path: String, format: ReportFormat, append: Bool = false, keptFields: [String] = [],
                fileMode: UInt32 = FileIO.privateMode, columns: ReportColumns = .device) throws {
        self.path = path
        self.format = format
        self.keptFields = keptFields
        self.columns = columns
        let compressed = ReportFormat.isCompressed(path: path) && path != "-"
        var existingCompressed = 0
        if append && compressed {
            let format = format, header = ReportRowEncoding.csvHeader(kept: keptFields, columns: columns)
            existingCompressed = try CompressedAppend.prepare(path: path) { firstLine in
                try Self.checkFirstLine(firstLine, format: format, header: header, path: path)
            }
        }
        output = try LineOutput(path: path, append: append && path != "-", mode: fileMode)
        output.buffer.reserveCapacity(Self.flushThreshold + 4096)
        do {
            let existing = append && path != "-" ? (compressed ? existingCompressed : try prepareForAppend()) : 0
            if format == .csv && existing == 0 { output.buffer.append(contentsOf: csvHeader) }
        } catch {
            try? output.close()
            throw error
        }
    }

    /// The CSV header line: the standard fields, then the kept ones.
    private var csvHeader: [UInt8] { ReportRowEncoding.csvHeader(kept: keptFields, columns: columns) }

    /// Encodes `rows` and writes the buffer out once it passes `flushThreshold`.
    public func write(_ rows: [ReportRow]) throws {
        guard !output.closed else { throw ReportFileError(path: path, message: "report already closed") }
        // Rows read in place through pointers: `for row in rows` (or `rows[i]`) would copy, retaining every string of
        // every row.
        try rows.withUnsafeBufferPointer { (rows: UnsafeBufferPointer<ReportRow>) throws -> Void in
            guard let first = rows.baseAddress else { return }
            for row in first..<(first + rows.count) {
                switch format {
                case .jsonl where columns == .device:
                    ReportRowEncoding.appendJSONLine(at: row, kept: keptFields, to: &output.buffer, scratch: scratch)
                case .jsonl:
                    ReportRowEncoding.appendBroadcastJSONLine(at: row, kept: keptFields, to: &output.buffer, scratch: scratch)
                case .csv:
                    ReportRowEncoding.appendCSVLine(at: row, keptCount: keptFields.count, to: &output.buffer, scratch: scratch)
                }
                rowsWritten += 1
                bufferedRows += 1
                if output.buffer.count >= Self.flushThreshold { try flush() }
            }
        }
    }

    public func write(_ row: ReportRow) throws {
        try write([row])
    }

    public func write(_ rows: ArraySlice<ReportRow>) throws {
        try write(Array(rows))
    }

    /// Writes every buffered row. On failure the unwritten bytes stay buffered.
    public func flush() throws {
        try output.flush()
        bufferedRows = 0
    }

    /// Flushes, then asks the kernel to put the file on disk (fsync). A pipe or terminal, which
    /// cannot be synced, is only flushed.
    public func sync() throws {
        try output.sync()
        bufferedRows = 0
    }

    /// fsync of the rows already written (not of buffered ones); callable while another thread writes.
    public func syncWritten() throws {
        try output.syncWritten()
    }

    /// Flushes and closes the file (stdout stays open), fsyncing it first when `sync`. Calling it again
    /// does nothing.
    public func close(sync: Bool = false) throws {
        try output.close(sync: sync)
        bufferedRows = 0
    }

    /// For appending: a CSV report must start with the same header, a JSONL report with `{`.
    private static func checkFirstLine(_ firstLine: [UInt8], format: ReportFormat, header: [UInt8], path: String) throws {
        switch format {
        case .csv:
            let header = header.dropLast()
            guard firstLine.elementsEqual(header) || (firstLine.last == 0x0D && firstLine.dropLast().elementsEqual(header)) else {
                throw ReportFileError(path: path, message: "cannot append: the first line is not the apnsctl CSV header (\(String(decoding: header, as: UTF8.self)))")
            }
        case .jsonl:
            guard firstLine.first(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) == UInt8(ascii: "{") else {
                throw ReportFileError(path: path, message: "cannot append: not a JSONL report (the first line does not start with '{')")
            }
        }
    }

    /// For appending: checks the existing content and cuts a torn last line. Returns the size left.
    private func prepareForAppend() throws -> Int {
        let file = FileDescriptor(rawValue: fd)
        let info: FileStatus
        do throws(Errno) { info = try file.status() } catch { throw FileIOError(path: path, operation: "stat", error) }
        guard info.isRegular, info.size > 0 else { return 0 }
        var size = info.size

        let head = try readAt(offset: 0, count: min(size, 4096))
        try Self.checkFirstLine(Array(head.prefix { $0 != 0x0A }), format: format, header: csvHeader, path: path)

        let tailLength = min(size, 64 << 10)
        let tail = try readAt(offset: size - tailLength, count: tailLength)
        if tail.last != 0x0A {
            guard let lastNewline = tail.lastIndex(of: 0x0A) else {
                throw ReportFileError(path: path, message: "cannot append: the file does not end with a complete line")
            }
            size = size - tailLength + lastNewline + 1
            do throws(Errno) { try file.truncate(to: size) } catch {
                throw FileIOError(path: path, operation: "truncate the incomplete last line", error)
            }
        }
        return size
    }

    private func readAt(offset: Int, count: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        let file = FileDescriptor(rawValue: fd)
        while filled < count {
            let read = bytes.withUnsafeMutableBytes { all in
                Result { () throws(Errno) in
                    try file.read(into: UnsafeMutableRawBufferPointer(rebasing: all[filled...]), at: offset + filled)
                }
            }
            switch read {
            case .success(0): return Array(bytes.prefix(filled))
            case .success(let n): filled += n
            case .failure(let error): throw FileIOError(path: path, operation: "read", error)
            }
        }
        return Array(bytes.prefix(filled))
    }
}
