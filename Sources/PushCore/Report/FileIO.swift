import Glibc

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

    /// True when the reader of a pipe went away (`apnsctl send ... | head`): end quietly.
    public var isBrokenPipe: Bool { errno == EPIPE }

    public var description: String {
        "\(path == "-" ? "stdout" : path): cannot \(operation): \(FileIO.message(errno))"
    }
}

/// The few POSIX calls apnsctl's file handling needs, each with its EINTR retry in one place.
public enum FileIO {
    package static func message(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }

    /// The permissions of files apnsctl creates unless `--file-mode` says otherwise: reports, prune lists and
    /// summaries hold device tokens, which are personal data.
    public static let privateMode: UInt32 = 0o600

    package static func open(_ path: String, flags: Int32, mode: mode_t = privateMode) throws(FileIOError) -> Int32 {
        while true {
            let fd = Glibc.open(path, flags | O_CLOEXEC, mode)
            if fd >= 0 { return fd }
            if errno != EINTR { throw FileIOError(path: path, operation: "open", errno: errno) }
        }
    }

    /// Reads up to `count` bytes at the file position into `buffer`'s end; returns 0 at end of file.
    package static func read(_ fd: Int32, into buffer: inout [UInt8], count: Int, path: String) throws(FileIOError) -> Int {
        let start = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: count))
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + start, count) }
            if n >= 0 {
                buffer.removeLast(count - n)
                return n
            }
            if errno != EINTR {
                let code = errno
                buffer.removeLast(count)
                throw FileIOError(path: path, operation: "read", errno: code)
            }
        }
    }

    /// The whole file (for small files: keys, certificates, templates).
    package static func readAll(path: String, limit: Int = 16 << 20) throws(FileIOError) -> [UInt8] {
        let fd = try open(path, flags: O_RDONLY)
        defer { _ = Glibc.close(fd) }
        return try readAll(fd, path: path, limit: limit)
    }

    /// Everything left to read on `fd` (stdin for `--key -`); `path` names it in errors.
    package static func readAll(_ fd: Int32, path: String, limit: Int) throws(FileIOError) -> [UInt8] {
        var bytes: [UInt8] = []
        while try read(fd, into: &bytes, count: 64 << 10, path: path) > 0 {
            if bytes.count > limit { throw FileIOError(path: path, operation: "read (larger than \(limit) bytes)", errno: EFBIG) }
        }
        return bytes
    }

    /// Writes every byte, retrying on EINTR and partial writes. On failure, `written` tells how many
    /// bytes reached the file before the error.
    package static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String,
                                 written: inout Int) throws(FileIOError) {
        written = 0
        while written < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + written, bytes.count - written)
            if n > 0 {
                written += n
            } else if n < 0 && errno == EINTR {
                continue
            } else {
                throw FileIOError(path: path, operation: "write", errno: n < 0 ? errno : EIO)
            }
        }
    }

    /// True when `path` names something that exists (a file apnsctl may read).
    package static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    /// The permission bits of an existing file, or nil when it cannot be examined.
    package static func permissions(_ path: String) -> mode_t? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return info.st_mode & 0o7777
    }

    /// The permission bits of an open file.
    package static func permissions(_ fd: Int32) -> mode_t? {
        var info = stat()
        guard fstat(fd, &info) == 0 else { return nil }
        return info.st_mode & 0o7777
    }

    /// Sets the permission bits of an open file (a temporary file that replaces one with other permissions).
    package static func setPermissions(_ fd: Int32, _ mode: mode_t) {
        _ = fchmod(fd, mode)
    }
}
