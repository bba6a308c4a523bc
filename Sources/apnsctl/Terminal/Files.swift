import Glibc
import PushCore

/// The few file operations the command line does itself: reading the config file and replacing a file
/// atomically (metrics, summary JSON).
enum Files {
    /// A config file's text; `.missing` when it does not exist.
    static func read(_ path: String) -> FileRead {
        do {
            let bytes = try FileIO.readAll(path: path, limit: 1 << 20)
            guard let text = String(validating: bytes, as: UTF8.self) else {
                return .failed("it is not UTF-8 text")
            }
            return .text(text)
        } catch {
            if error.errno == ENOENT { return .missing }
            return .failed(FileIO.message(error.errno))
        }
    }

    /// Writes `text` to a temporary file next to `path`, then renames it over `path`, so a reader (node_exporter's
    /// textfile collector, a script polling the file) sees the old content or the new, never half of it.
    /// `-` writes to stdout instead. A new file gets `mode` (less the umask); a file replaced keeps its permissions.
    static func replace(_ path: String, with text: String, mode: UInt32 = FileIO.privateMode) throws(FileIOError) {
        if path == "-" {
            try writeAll(STDOUT_FILENO, text, path: "-")
            return
        }
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        // A dot name: the textfile collector only reads *.prom, so it never picks up the temporary file.
        let temporary = directory + "." + name + ".tmp-\(getpid())"
        let fd = try FileIO.open(temporary, flags: O_WRONLY | O_CREAT | O_TRUNC, mode: mode)
        if let existing = FileIO.permissions(path) { FileIO.setPermissions(fd, existing) }
        do throws(FileIOError) {
            try writeAll(fd, text, path: temporary)
            if fsync(fd) != 0 && errno != EINVAL { throw FileIOError(path: temporary, operation: "fsync", errno: errno) }
        } catch {
            _ = close(fd)
            _ = unlink(temporary)
            throw error
        }
        _ = close(fd)
        if rename(temporary, path) != 0 {
            let code = errno
            _ = unlink(temporary)
            throw FileIOError(path: path, operation: "replace", errno: code)
        }
    }

    private static func writeAll(_ fd: Int32, _ text: String, path: String) throws(FileIOError) {
        let bytes = Array(text.utf8)
        let failure = bytes.withUnsafeBytes { buffer -> FileIOError? in
            var written = 0
            do {
                try FileIO.writeAll(fd, buffer, path: path, written: &written)
                return nil
            } catch {
                return error as? FileIOError ?? FileIOError(path: path, operation: "write", errno: EIO)
            }
        }
        if let failure { throw failure }
    }

    /// Why a file could not be created at `path` (its directory is missing or not writable), or nil.
    static func unwritableDirectory(of path: String) -> String? {
        let directory = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        let shown = directory.isEmpty ? "/" : directory
        if access(shown, W_OK) == 0 { return nil }
        return "cannot write into \(shown): \(FileIO.message(errno))"
    }

    /// True for a regular file, false for anything else (a pipe, a device), nil when `path` does not exist.
    static func isRegularFile(_ path: String) -> Bool? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return (info.st_mode & S_IFMT) == S_IFREG
    }

    /// The size of the file at `path`, nil when it cannot be seen.
    static func size(_ path: String) -> Int? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Int(info.st_size)
    }
}
