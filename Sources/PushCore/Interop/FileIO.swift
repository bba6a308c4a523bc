#if canImport(Glibc)
import Glibc
#endif

/// A failed system call on a named file: "report.csv: cannot write: No space left on device".
public struct FileIOError: Error, CustomStringConvertible, Sendable, Equatable {
    public var path: String
    /// What was attempted: "open", "read", "write", "fsync", ...
    public var operation: String
    public var errno: Int32

    public init(path: String, operation: String, errno: Int32) {
        self.path = path
        self.operation = operation
        self.errno = errno
    }

    package init(path: String, operation: String, _ error: Errno) {
        self.init(path: path, operation: operation, errno: error.code)
    }

    /// True when the reader of a pipe went away (`apnsctl send ... | head`): end quietly.
    public var isBrokenPipe: Bool { errno == EPIPE }

    /// True when the file does not exist.
    public var isMissingFile: Bool { errno == ENOENT }

    public var description: String {
        "\(path == "-" ? "stdout" : path): cannot \(operation): \(FileIO.message(errno))"
    }
}

/// apnsctl's file handling by path, over `FileDescriptor`: errors name the file and what was attempted.
public enum FileIO {
    package static func message(_ code: Int32) -> String { Errno(code).description }

    /// The text for the calling thread's current `errno` (after a call that sets it, such as `setrlimit`).
    package static var lastErrorMessage: String { Errno.current.description }

    /// The permissions of files apnsctl creates unless `--file-mode` says otherwise: reports, prune lists and
    /// summaries hold device tokens, which are personal data.
    public static let privateMode: UInt32 = 0o600

    package static func open(_ path: String, flags: Int32, mode: mode_t = privateMode) throws(FileIOError) -> Int32 {
        do throws(Errno) {
            return try FileDescriptor.open(path, flags: flags, permissions: UInt32(mode)).rawValue
        } catch {
            throw FileIOError(path: path, operation: "open", error)
        }
    }

    package static func open(_ path: String, _ mode: FileDescriptor.Mode,
                             permissions: UInt32 = privateMode) throws(FileIOError) -> FileDescriptor {
        do throws(Errno) {
            return try FileDescriptor.open(path, mode, permissions: permissions)
        } catch {
            throw FileIOError(path: path, operation: "open", error)
        }
    }

    /// Reads up to `count` bytes at the file position into `buffer`'s end; returns 0 at end of file.
    package static func read(_ fd: Int32, into buffer: inout [UInt8], count: Int, path: String) throws(FileIOError) -> Int {
        do throws(Errno) {
            return try FileDescriptor(rawValue: fd).read(appendingTo: &buffer, count: count)
        } catch {
            throw FileIOError(path: path, operation: "read", error)
        }
    }

    /// The whole file (for small files: keys, certificates, templates).
    package static func readAll(path: String, limit: Int = 16 << 20) throws(FileIOError) -> [UInt8] {
        let fd = try open(path, .readOnly)
        defer { fd.close() }
        return try readAll(fd.rawValue, path: path, limit: limit)
    }

    /// Everything left to read on `fd` (stdin for `--key -`); `path` names it in errors.
    package static func readAll(_ fd: Int32, path: String, limit: Int) throws(FileIOError) -> [UInt8] {
        var bytes: [UInt8] = []
        while try read(fd, into: &bytes, count: 64 << 10, path: path) > 0 {
            if bytes.count > limit { throw FileIOError(path: path, operation: "read (larger than \(limit) bytes)", .fileTooLarge) }
        }
        return bytes
    }

    /// Writes every byte, retrying on EINTR and partial writes. On failure, `written` tells how many
    /// bytes reached the file before the error.
    package static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String,
                                 written: inout Int) throws(FileIOError) {
        do throws(Errno) {
            try FileDescriptor(rawValue: fd).writeAll(bytes, written: &written)
        } catch {
            throw FileIOError(path: path, operation: "write", error)
        }
    }

    /// Writes every byte of `bytes`; on failure the bytes that got through are removed from its front.
    package static func writeAll(_ fd: Int32, _ bytes: inout [UInt8], path: String) throws(FileIOError) {
        guard !bytes.isEmpty else { return }
        var written = 0
        defer { bytes.removeFirst(written) }
        let failure = bytes.withUnsafeBytes { raw -> FileIOError? in
            do throws(FileIOError) {
                try writeAll(fd, raw, path: path, written: &written)
                return nil
            } catch {
                return error
            }
        }
        if let failure { throw failure }
    }

    /// fsync of `fd`; a pipe or terminal, which cannot be synced, is not an error.
    package static func sync(_ fd: Int32, path: String) throws(FileIOError) {
        do throws(Errno) {
            try FileDescriptor(rawValue: fd).sync()
        } catch {
            throw FileIOError(path: path, operation: "fsync", error)
        }
    }

    /// Puts `from` in the place of `to` (atomically: a reader sees one or the other).
    package static func rename(_ from: String, to path: String) throws(FileIOError) {
        guard Glibc.rename(from, path) == 0 else { throw FileIOError(path: path, operation: "replace", .current) }
    }

    /// This process's id (in the names of temporary files).
    package static var processID: Int32 { getpid() }

    /// Removes a file, if it is there (a temporary file after a failure).
    package static func remove(_ path: String) {
        _ = unlink(path)
    }

    /// True when `path` names something that exists (a file apnsctl may read).
    package static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    /// Why files cannot be created in `directory` (missing, not writable), or nil when they can.
    package static func unwritableDirectoryReason(_ directory: String) -> String? {
        access(directory, W_OK) == 0 ? nil : Errno.current.description
    }

    /// What `stat` says about `path`, nil when it cannot be examined.
    package static func status(_ path: String) -> FileStatus? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return FileStatus(info)
    }

    /// The permission bits of an existing file, or nil when it cannot be examined.
    package static func permissions(_ path: String) -> mode_t? {
        status(path).map { mode_t($0.permissions) }
    }

    /// The permission bits of an open file.
    package static func permissions(_ fd: Int32) -> mode_t? {
        (try? FileDescriptor(rawValue: fd).status()).map { mode_t($0.permissions) }
    }

    /// Sets the permission bits of an open file (a temporary file that replaces one with other permissions).
    package static func setPermissions(_ fd: Int32, _ mode: mode_t) {
        FileDescriptor(rawValue: fd).setPermissions(UInt32(mode))
    }
}
