#if canImport(Glibc)
import Glibc
#endif

/// A failed system call's `errno`, with the C library's text for it.
package struct Errno: Error, Equatable, Sendable, CustomStringConvertible {
    package var code: Int32

    package init(_ code: Int32) { self.code = code }

    /// The calling thread's current `errno`.
    package static var current: Errno { Errno(errno) }

    package static let notFound = Errno(ENOENT)
    package static let brokenPipe = Errno(EPIPE)
    package static let ioError = Errno(EIO)
    package static let fileTooLarge = Errno(EFBIG)

    /// "No space left on device".
    package var description: String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }
}

/// What `stat` says about a file, as far as apnsctl asks.
package struct FileStatus: Sendable {
    package var isRegular: Bool
    package var isDirectory: Bool
    package var size: Int
    /// The permission bits.
    package var permissions: UInt32

    init(_ info: stat) {
        isRegular = (info.st_mode & S_IFMT) == S_IFREG
        isDirectory = (info.st_mode & S_IFMT) == S_IFDIR
        size = Int(info.st_size)
        permissions = UInt32(info.st_mode & 0o7777)
    }
}

/// An open file descriptor and the system calls apnsctl makes on it, each retried on EINTR here and nowhere else.
/// A value: closing is explicit (`close()`), as with the C descriptor it names.
package struct FileDescriptor: Sendable, Hashable {
    package let rawValue: Int32

    package init(rawValue: Int32) { self.rawValue = rawValue }

    package static let standardInput = FileDescriptor(rawValue: STDIN_FILENO)
    package static let standardOutput = FileDescriptor(rawValue: STDOUT_FILENO)
    package static let standardError = FileDescriptor(rawValue: STDERR_FILENO)

    /// How a file is opened.
    package struct Mode: Sendable {
        let flags: Int32
        package static let readOnly = Mode(flags: O_RDONLY)
        /// Created if missing, emptied if present.
        package static let writeTruncating = Mode(flags: O_WRONLY | O_CREAT | O_TRUNC)
        /// Created if missing; writes go to the end; readable (to check what is there before appending).
        package static let readAppending = Mode(flags: O_RDWR | O_CREAT | O_APPEND)
    }

    /// Opens `path` (close-on-exec); a file it creates gets `permissions` less the umask.
    package static func open(_ path: String, _ mode: Mode, permissions: UInt32 = 0o600) throws(Errno) -> FileDescriptor {
        try open(path, flags: mode.flags, permissions: permissions)
    }

    /// Opens `path` with raw `open(2)` flags (close-on-exec added), for the few callers that need other flags.
    package static func open(_ path: String, flags: Int32, permissions: UInt32 = 0o600) throws(Errno) -> FileDescriptor {
        while true {
            let fd = Glibc.open(path, flags | O_CLOEXEC, mode_t(permissions))
            if fd >= 0 { return FileDescriptor(rawValue: fd) }
            if errno != EINTR { throw .current }
        }
    }

    /// Reads up to `buffer.count` bytes at the file position; 0 at end of file.
    package func read(into buffer: UnsafeMutableRawBufferPointer) throws(Errno) -> Int {
        while true {
            let n = Glibc.read(rawValue, buffer.baseAddress, buffer.count)
            if n >= 0 { return n }
            if errno != EINTR { throw .current }
        }
    }

    /// Appends up to `count` bytes read at the file position to `buffer`; 0 at end of file.
    package func read(appendingTo buffer: inout [UInt8], count: Int) throws(Errno) -> Int {
        let start = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: count))
        let result = buffer.withUnsafeMutableBytes { all in
            Result { () throws(Errno) in try read(into: UnsafeMutableRawBufferPointer(rebasing: all[start...])) }
        }
        switch result {
        case .success(let n):
            buffer.removeLast(count - n)
            return n
        case .failure(let error):
            buffer.removeLast(count)
            throw error
        }
    }

    /// Reads up to `buffer.count` bytes at `offset`, leaving the file position alone; 0 at end of file.
    package func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws(Errno) -> Int {
        while true {
            let n = pread(rawValue, buffer.baseAddress, buffer.count, off_t(offset))
            if n >= 0 { return n }
            if errno != EINTR { throw .current }
        }
    }

    /// Writes every byte, retrying on EINTR and partial writes. On failure, `written` tells how many bytes got
    /// through before the error.
    package func writeAll(_ bytes: UnsafeRawBufferPointer, written: inout Int) throws(Errno) {
        written = 0
        while written < bytes.count {
            let n = Glibc.write(rawValue, bytes.baseAddress! + written, bytes.count - written)
            if n > 0 {
                written += n
            } else if n < 0 && errno == EINTR {
                continue
            } else {
                throw n < 0 ? .current : .ioError
            }
        }
    }

    /// fsync. A pipe or terminal, which cannot be synced, is not an error.
    package func sync() throws(Errno) {
        while fsync(rawValue) != 0 {
            switch errno {
            case EINTR: continue
            case EINVAL, EROFS, ENOTSUP: return
            default: throw .current
            }
        }
    }

    /// Cuts the file to `size` bytes.
    package func truncate(to size: Int) throws(Errno) {
        while ftruncate(rawValue, off_t(size)) != 0 {
            if errno != EINTR { throw .current }
        }
    }

    package func status() throws(Errno) -> FileStatus {
        var info = stat()
        guard fstat(rawValue, &info) == 0 else { throw .current }
        return FileStatus(info)
    }

    /// Sets the permission bits (a temporary file that replaces one with other permissions).
    package func setPermissions(_ permissions: UInt32) {
        _ = fchmod(rawValue, mode_t(permissions))
    }

    /// Closes the descriptor. Not retried on EINTR: on Linux the descriptor is gone either way.
    package func close() {
        _ = Glibc.close(rawValue)
    }
}
