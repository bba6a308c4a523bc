import Foundation
import Testing
@testable import PushCore

@Suite("ReportLock: one run per report")
struct ReportLockExclusionTests {
    @Test("A second lock on the same report is refused at once, naming the holder; released, the lock file goes")
    func exclusion() throws {
        let directory = try TemporaryDirectory()
        let report = directory.url.appendingPathComponent("r.jsonl").path
        let first = try ReportLock(report: report, startedAtMs: 0)
        #expect(FileManager.default.fileExists(atPath: report + ".lock"))
        #expect(throws: ReportBusyError(report: report, holder: "pid \(getpid()) since 1970-01-01T00:00:00.000Z")) {
            _ = try ReportLock(report: report, startedAtMs: 1000)
        }
        first.release()
        #expect(!FileManager.default.fileExists(atPath: report + ".lock"))
        let again = try ReportLock(report: report, startedAtMs: 2000)
        #expect(try String(contentsOfFile: report + ".lock", encoding: .utf8) == "pid \(getpid()) since 1970-01-01T00:00:02.000Z\n")
        again.release()
    }

    @Test("A lock file left by a run that died does not block: the kernel dropped its lock")
    func staleFile() throws {
        let directory = try TemporaryDirectory()
        let report = directory.url.appendingPathComponent("r.jsonl").path
        try "pid 1 since 1970-01-01T00:00:00.000Z\n".write(toFile: report + ".lock", atomically: true, encoding: .utf8)
        let lock = try ReportLock(report: report, startedAtMs: 0)
        #expect(try String(contentsOfFile: report + ".lock", encoding: .utf8).hasPrefix("pid \(getpid()) "))
        lock.release()
    }
}
