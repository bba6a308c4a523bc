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
            if error.isMissingFile { return .missing }
            return .failed(FileIO.message(error.errno))
        }
    }

    /// Writes `text` to a temporary file next to `path`, then renames it over `path`, so a reader (node_exporter's
    /// textfile collector, a script polling the file) sees the old content or the new, never half of it.
    /// `-` writes to stdout instead. A new file gets `mode` (less the umask); a file replaced keeps its permissions.
    static func replace(_ path: String, with text: String, mode: UInt32 = FileIO.privateMode) throws(FileIOError) {
        if path == "-" {
            try writeAll(FileDescriptor.standardOutput.rawValue, text, path: "-")
            return
        }
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        // A dot name: the textfile collector only reads *.prom, so it never picks up the temporary file.
        let temporary = directory + "." + name + ".tmp-\(FileIO.processID)"
        let fd = try FileIO.open(temporary, .writeTruncating, permissions: mode)
        if let existing = FileIO.permissions(path) { fd.setPermissions(UInt32(existing)) }
        do throws(FileIOError) {
            try writeAll(fd.rawValue, text, path: temporary)
            try FileIO.sync(fd.rawValue, path: temporary)
        } catch {
            fd.close()
            FileIO.remove(temporary)
            throw error
        }
        fd.close()
        do throws(FileIOError) {
            try FileIO.rename(temporary, to: path)
        } catch {
            FileIO.remove(temporary)
            throw error
        }
    }

    private static func writeAll(_ fd: Int32, _ text: String, path: String) throws(FileIOError) {
        var bytes = Array(text.utf8)
        try FileIO.writeAll(fd, &bytes, path: path)
    }

    /// Why a file could not be created at `path` (its directory is missing or not writable), or nil.
    static func unwritableDirectory(of path: String) -> String? {
        let directory = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        let shown = directory.isEmpty ? "/" : directory
        return FileIO.unwritableDirectoryReason(shown).map { "cannot write into \(shown): \($0)" }
    }

    /// True for a regular file, false for anything else (a pipe, a device), nil when `path` does not exist.
    static func isRegularFile(_ path: String) -> Bool? {
        FileIO.status(path)?.isRegular
    }

    /// The size of the file at `path`, nil when it cannot be seen.
    static func size(_ path: String) -> Int? {
        FileIO.status(path)?.size
    }
}
