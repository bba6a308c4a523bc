import Foundation
import Testing
import PushCore
@testable import apnsctl

@Suite("apnsctl report: parsing and the built binary")
struct ReportCommandBinaryTests {
    @Test("FILE is required and single; two outputs cannot share stdout")
    func parsing() {
        guard case .success(.report(let options)) = parse(["report", "r.jsonl", "--failed", "retry.csv", "-q"]) else {
            Issue.record("report did not parse")
            return
        }
        #expect(options == ReportOptions(report: "r.jsonl", failed: "retry.csv", pruneList: nil, quiet: true))
        #expect(usageMessage(["report", "a", "b"]) == "report reads one file; unexpected 'b'")
        #expect(usageMessage(["report", "a", "--failed", "-", "--prune-list", "-"]) == "--failed and --prune-list cannot both write to stdout")
    }

    @Test("The summary goes to stdout, or to stderr when a list goes to stdout; exit 0 when every row is settled (a gone token is), 1 when not")
    func binary() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("r.jsonl").path
        let writer = try ReportWriter(path: path, format: .jsonl)
        try writer.write([
            ReportRow(line: 2, token: "aa", outcome: .delivered, status: 200, attempts: 1, latencyMs: 1.5, finishedAtMs: 0),
            ReportRow(line: 3, token: "bb", outcome: .rejected, status: 410, reason: "Unregistered", attempts: 1, latencyMs: 2, finishedAtMs: 1000),
        ])
        try writer.close()
        let binary = try BinarySmokeTests.binary()
        let plain = try Tool.run(binary, ["report", path])
        #expect(plain.status == 0)
        #expect(plain.stdout == """
            \(path): 2 rows settled from 1970-01-01T00:00:00.000Z to 1970-01-01T00:00:01.000Z
            rows: 2 total, 1 delivered, 1 rejected, 0 failed, 0 invalid
            statuses: 1 200, 1 410
            reasons: 1 Unregistered
            latency: p50 1.50ms, p90 2.00ms, p99 2.00ms, max 2.00ms

            """)
        let pruned = try Tool.run(binary, ["report", path, "--prune-list", "-"])
        #expect(pruned.stdout == "bb\n")
        #expect(pruned.stderr.hasPrefix("\(path): 2 rows settled"))
        let refusedPath = directory.appendingPathComponent("refused.jsonl").path
        let refused = try ReportWriter(path: refusedPath, format: .jsonl)
        try refused.write([ReportRow(line: 2, token: "cc", outcome: .rejected, status: 400, reason: "TopicDisallowed",
                                     attempts: 1, finishedAtMs: 0)])
        try refused.close()
        #expect(try Tool.run(binary, ["report", refusedPath, "-q"]).status == 1)
        let missing = try Tool.run(binary, ["report", directory.appendingPathComponent("none.jsonl").path])
        #expect(missing.status == ExitStatus.fatal.rawValue)
        #expect(missing.stderr.hasSuffix("none.jsonl: cannot open: No such file or directory\n"))
    }
}
