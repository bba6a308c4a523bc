import Glibc

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

/// Writes report rows to a file or stdout (`-`) with `write(2)`, buffered.
///
/// Rows are encoded into an internal buffer that is written out when it passes ~64 KiB, on
/// `flush()`, `sync()` and `close()`. The buffer only ever holds whole rows, so the file only ever
/// grows by whole lines (short of a failing disk mid-write). CSV files get a header row, except
/// when appending to a non-empty file.
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
    /// Rows handed to `write` so far.
    public private(set) var rowsWritten = 0

    private var fd: Int32
    private let ownsDescriptor: Bool
    private var buffer: [UInt8] = []
    private var closed = false

    /// Opens `path` (`-` = stdout) for writing: truncated, or appended to when `append` is true.
    public init(path: String, format: ReportFormat, append: Bool = false) throws {
        self.path = path
        self.format = format
        buffer.reserveCapacity(Self.flushThreshold + 4096)
        if path == "-" {
            fd = STDOUT_FILENO
            ownsDescriptor = false
            if format == .csv { buffer.append(contentsOf: ReportRowEncoding.csvHeader) }
            return
        }
        if ReportFormat.isCompressed(path: path) {
            throw ReportFileError(path: path, message: "writing compressed reports is not supported; use a name without .gz")
        }
        let flags = append ? (O_RDWR | O_CREAT | O_APPEND) : (O_WRONLY | O_CREAT | O_TRUNC)
        fd = try FileIO.open(path, flags: flags)
        ownsDescriptor = true
        do {
            let existing = append ? try prepareForAppend() : 0
            if format == .csv && existing == 0 { buffer.append(contentsOf: ReportRowEncoding.csvHeader) }
        } catch {
            _ = Glibc.close(fd)
            closed = true
            throw error
        }
    }

    deinit {
        // Best effort for a writer that was never closed; errors have nowhere to go here.
        if !closed {
            try? flush()
            if ownsDescriptor { _ = Glibc.close(fd) }
        }
    }

    /// Encodes `rows` and writes the buffer out once it passes `flushThreshold`.
    public func write(_ rows: some Sequence<ReportRow>) throws {
        guard !closed else { throw ReportFileError(path: path, message: "report already closed") }
        for row in rows {
            switch format {
            case .jsonl: ReportRowEncoding.appendJSONLine(row, to: &buffer)
            case .csv: ReportRowEncoding.appendCSVLine(row, to: &buffer)
            }
            rowsWritten += 1
            if buffer.count >= Self.flushThreshold { try flush() }
        }
    }

    public func write(_ row: ReportRow) throws {
        try write(CollectionOfOne(row))
    }

    /// Writes every buffered row. On failure the unwritten bytes stay buffered.
    public func flush() throws {
        guard !buffer.isEmpty else { return }
        var written = 0
        defer { buffer.removeFirst(written) }
        let failure = buffer.withUnsafeBytes { bytes -> FileIOError? in
            do {
                try FileIO.writeAll(fd, bytes, path: path, written: &written)
                return nil
            } catch {
                return error as? FileIOError ?? FileIOError(path: path, operation: "write", errno: EIO)
            }
        }
        if let failure { throw failure }
    }

    /// Flushes, then asks the kernel to put the file on disk (fsync). A pipe or terminal, which
    /// cannot be synced, is only flushed.
    public func sync() throws {
        try flush()
        guard !closed else { return }
        if fsync(fd) != 0 && errno != EINVAL && errno != EROFS && errno != ENOTSUP {
            throw FileIOError(path: path, operation: "fsync", errno: errno)
        }
    }

    /// Flushes and closes the file (stdout stays open). Calling it again does nothing.
    public func close() throws {
        guard !closed else { return }
        defer {
            closed = true
            if ownsDescriptor { _ = Glibc.close(fd) }
        }
        try flush()
    }

    /// For appending: checks the existing content and cuts a torn last line. Returns the size left.
    private func prepareForAppend() throws -> Int {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw FileIOError(path: path, operation: "stat", errno: errno) }
        guard (info.st_mode & S_IFMT) == S_IFREG, info.st_size > 0 else { return 0 }
        var size = Int(info.st_size)

        let head = try readAt(offset: 0, count: min(size, 4096))
        switch format {
        case .csv:
            let firstLine = head.prefix { $0 != 0x0A }
            let header = ReportRowEncoding.csvHeader.dropLast()
            guard firstLine.elementsEqual(header) || (firstLine.last == 0x0D && firstLine.dropLast().elementsEqual(header)) else {
                throw ReportFileError(path: path, message: "cannot append: the first line is not the apnsctl CSV header (\(String(decoding: header, as: UTF8.self)))")
            }
        case .jsonl:
            guard head.first(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }) == UInt8(ascii: "{") else {
                throw ReportFileError(path: path, message: "cannot append: not a JSONL report (the first line does not start with '{')")
            }
        }

        let tailLength = min(size, 64 << 10)
        let tail = try readAt(offset: size - tailLength, count: tailLength)
        if tail.last != 0x0A {
            guard let lastNewline = tail.lastIndex(of: 0x0A) else {
                throw ReportFileError(path: path, message: "cannot append: the file does not end with a complete line")
            }
            size = size - tailLength + lastNewline + 1
            guard ftruncate(fd, off_t(size)) == 0 else { throw FileIOError(path: path, operation: "truncate the incomplete last line", errno: errno) }
        }
        return size
    }

    private func readAt(offset: Int, count: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + filled, count - filled, off_t(offset + filled)) }
            if n > 0 { filled += n; continue }
            if n < 0 && errno == EINTR { continue }
            if n == 0 { break }
            throw FileIOError(path: path, operation: "read", errno: errno)
        }
        return Array(bytes.prefix(filled))
    }
}
