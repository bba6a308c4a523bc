import Glibc

/// Another apnsctl is writing the report: "report.jsonl is being written by apnsctl pid 4242 since …".
public struct ReportBusyError: Error, CustomStringConvertible, Sendable, Equatable {
    public var report: String
    /// "pid 4242 since 2026-12-05T05:00:00.000Z", as the holder wrote it; nil when it had not written it yet.
    public var holder: String?

    public var description: String {
        "\(report) is being written by apnsctl \(holder ?? "(another run, starting)"): one run per report; "
            + "nothing was sent"
    }
}

/// One run per report: an exclusive `flock(2)` on `REPORT.lock`, beside the report, for the whole run. The file
/// holds the holder's pid and start time for the message a second run prints. The kernel drops the lock when
/// the process ends however it ends (`kill -9` included), so a stale file never blocks a later run.
public final class ReportLock {
    public let path: String
    private var fd: Int32

    /// Takes the lock or throws `ReportBusyError` at once (never waits); `FileIOError` when the lock file cannot
    /// be made. `startedAtMs` goes into the file.
    public init(report: String, startedAtMs: Int64) throws {
        path = report + ".lock"
        while true {
            let fd = try FileIO.open(path, flags: O_RDWR | O_CREAT, mode: 0o600)
            if Self.tryLock(fd) != 0 {
                let code = errno
                defer { Glibc.close(fd) }
                guard code == EWOULDBLOCK else { throw FileIOError(path: path, operation: "lock", errno: code) }
                throw ReportBusyError(report: report, holder: Self.holder(fd))
            }
            // The previous holder unlinks the file as it lets go: a lock on an unlinked file guards nothing.
            var held = stat(), named = stat()
            if fstat(fd, &held) == 0, stat(path, &named) == 0, held.st_ino == named.st_ino, held.st_dev == named.st_dev {
                self.fd = fd
                break
            }
            Glibc.close(fd)
        }
        let text = Array("pid \(getpid()) since \(RFC3339.format(epochMilliseconds: startedAtMs))\n".utf8)
        if ftruncate(fd, 0) == 0 { _ = text.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) } }
    }

    deinit { release() }

    /// Removes the lock file and lets go of the lock. Calling it again does nothing.
    public func release() {
        guard fd >= 0 else { return }
        unlink(path)
        Glibc.close(fd)
        fd = -1
    }

    private static func tryLock(_ fd: Int32) -> Int32 {
        while true {
            let result = flock(fd, LOCK_EX | LOCK_NB)
            if result == 0 || errno != EINTR { return result }
        }
    }

    /// What the holder wrote: its pid and start time.
    private static func holder(_ fd: Int32) -> String? {
        var bytes = [UInt8](repeating: 0, count: 200)
        let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return nil }
        let text = String(decoding: bytes.prefix(n).prefix { $0 != 0x0A }, as: UTF8.self)
        return text.hasPrefix("pid ") ? text : nil
    }
}
