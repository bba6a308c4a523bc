/// A file (or stdout, `-`) that only ever grows by whole lines: the report and the prune list.
///
/// Callers append complete lines to `buffer`; `flush()` writes them out with `write(2)` (after a `kill -9`
/// they are in the file), `sync()` also asks the kernel to put them on disk. A `.gz` file is compressed,
/// each flush ending with a zlib sync flush, so a file cut off at any moment decompresses to whole lines
/// (`zcat` prints them, then complains about the missing end); `close()` ends the gzip member.
///
/// Not thread-safe.
package final class LineOutput {
    package let path: String
    package let isCompressed: Bool
    /// Whole lines waiting to be written. `@exclusivity(unchecked)`: one writer at a time (see the class comment);
    /// a dynamic check would cost ~75 instructions per report row.
    @exclusivity(unchecked) package var buffer: [UInt8] = []
    package let fd: Int32
    private let ownsDescriptor: Bool
    private let compressor: GzipCompressor?
    /// Compressed bytes not yet written (after a failed write).
    private var pending: [UInt8] = []
    private(set) var closed = false

    /// Opens `path` (`-` = stdout, never compressed): truncated, or for appending when `append`.
    /// Compressed when `compressed`, by default when the name ends in `.gz`. A file it creates gets `mode` (less
    /// the umask); one that exists keeps its permissions.
    package init(path: String, append: Bool, compressed: Bool? = nil, mode: UInt32 = FileIO.privateMode) throws {
        self.path = path
        if path == "-" {
            fd = FileDescriptor.standardOutput.rawValue
            ownsDescriptor = false
            isCompressed = false
            compressor = nil
            return
        }
        isCompressed = compressed ?? path.lowercased().hasSuffix(".gz")
        fd = try FileIO.open(path, append ? .readAppending : .writeTruncating, permissions: mode).rawValue
        ownsDescriptor = true
        do {
            compressor = isCompressed ? try GzipCompressor() : nil
        } catch {
            FileDescriptor(rawValue: fd).close()
            throw error
        }
    }

    deinit {
        // Best effort for an output that was never closed; errors have nowhere to go here.
        if !closed {
            try? close()
        }
    }

    /// Writes every buffered line. On failure the unwritten bytes are kept for the next attempt.
    package func flush() throws {
        if let compressor, !buffer.isEmpty {
            buffer.withUnsafeBytes { compressor.compress($0, flush: .sync, into: &pending) }
            buffer.removeAll(keepingCapacity: true)
        } else if compressor == nil, !buffer.isEmpty {
            try write(&buffer)
            return
        }
        try write(&pending)
    }

    /// Flushes, then fsync. A pipe or terminal, which cannot be synced, is only flushed.
    package func sync() throws {
        try flush()
        try syncWritten()
    }

    /// fsync of what was written so far, without touching the buffer: safe to call from another thread
    /// than the writer's while the file is open (the report sink syncs outside its lock).
    package func syncWritten() throws {
        guard !closed else { return }
        try FileIO.sync(fd, path: path)
    }

    /// Flushes, ends a gzip member, fsyncs when `sync`, and closes the file (stdout stays open). Calling it
    /// again does nothing.
    package func close(sync: Bool = false) throws {
        guard !closed else { return }
        defer {
            closed = true
            if ownsDescriptor { FileDescriptor(rawValue: fd).close() }
        }
        try flush()
        if let compressor {
            compressor.compress(UnsafeRawBufferPointer(start: nil, count: 0), flush: .finish, into: &pending)
            try write(&pending)
        }
        if sync { try FileIO.sync(fd, path: path) }
    }

    private func write(_ bytes: inout [UInt8]) throws {
        try FileIO.writeAll(fd, &bytes, path: path)
    }
}
