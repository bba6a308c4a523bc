import Foundation
import Testing
import PushCore
@testable import apnsctl

/// Campaigns cron can trust: a run interrupted (SIGINT) or killed (SIGKILL) and then resumed ends with
/// exactly one report row per input row, and pushes no row twice except those in flight at a kill.
@Suite("The built apnsctl: interrupted and killed campaigns resume", .enabled(if: CampaignHarness.canRun), .serialized)
struct CampaignResumeTests {
    static let rows = 20_000

    /// Waits until the report at `path` has at least `lines` lines (or the child ended).
    static func waitForLines(_ path: String, atLeast lines: Int, child: ChildProcess) throws {
        let deadline = Date().addingTimeInterval(TestTime.seconds(60))
        while Date() < deadline && child.isRunning {
            if let text = try? String(contentsOfFile: path, encoding: .utf8),
               text.utf8.lazy.filter({ $0 == 0x0A }).count >= lines { return }
            usleep(5_000)
        }
    }

    /// Reports rows read back from `path`, and the analysis of exactly-once.
    static func analyse(_ path: String) throws -> (rows: [ReportRow], analysis: ReportAnalysis) {
        let rows = try ReportReader(path: path).readAll()
        var analysis = ReportAnalysis()
        for row in rows { analysis.record(row) }
        return (rows, analysis)
    }

    /// How many times the mock was asked to push each token.
    static func pushes(_ harness: CampaignHarness) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for line in try harness.mockRequestLines() {
            // {"time_ms":…,"token":"ab…","topic":…}: the token is hex, never escaped.
            guard let start = line.range(of: #""token":""#)?.upperBound,
                  let end = line[start...].firstIndex(of: "\"") else { continue }
            counts[String(line[start..<end]), default: 0] += 1
        }
        return counts
    }

    @Test("SIGINT: in-flight rows finish, exit 130; --resume sends the rest; every row settled and pushed exactly once")
    func interruptThenResume() throws {
        let harness = try CampaignHarness()
        try harness.writeRecipients("in.csv", count: Self.rows)
        try harness.startMock()
        let report = harness.path("report.jsonl")
        let first = try harness.start(harness.sendArguments(input: "in.csv", report: "report.jsonl",
                                                            extra: ["--concurrency", "1", "--resume", "--keep", "name"]), name: "first")
        try Self.waitForLines(report, atLeast: 300, child: first)
        first.signal(SIGINT)
        let interrupted = try first.wait(seconds: 60)
        #expect(interrupted.reason == .exit && interrupted.status == 130, "first run: \(interrupted.stderr)")
        let before = try Self.analyse(report)
        #expect(before.rows.count >= 300 && before.rows.count < Self.rows, "interrupted after \(before.rows.count) rows")
        #expect(before.analysis.duplicateLines == 0)

        let second = try harness.run(harness.sendArguments(input: "in.csv", report: "report.jsonl",
                                                           extra: ["--concurrency", "50", "--resume", "--keep", "name"]))
        #expect(second.status == 0, "resumed run: \(second.stderr)")
        let after = try Self.analyse(report)
        #expect(after.rows.count == Self.rows)
        #expect(after.analysis.duplicateLines == 0)
        #expect(Set(after.rows.map(\.line)) == Set(2...(Self.rows + 1)))
        #expect(after.rows.allSatisfy { $0.outcome == .delivered && $0.kept.first??.text.hasPrefix("Customer ") == true })

        harness.stopMock()
        let pushes = try Self.pushes(harness)
        #expect(pushes.count == Self.rows)
        #expect(pushes.values.allSatisfy { $0 == 1 }, "a row was pushed twice")
    }

    @Test("SIGKILL with a gzip report: --resume sends the rows never settled; duplicates only among rows in flight")
    func killThenResume() throws {
        let harness = try CampaignHarness()
        try harness.writeRecipients("in.csv", count: Self.rows)
        try harness.startMock()
        let concurrency = 20
        let report = harness.path("report.jsonl.gz")
        let first = try harness.start(harness.sendArguments(input: "in.csv", report: "report.jsonl.gz",
                                                            extra: ["--concurrency", "\(concurrency)", "--resume"]), name: "first")
        // A compressed report cannot be counted by lines while it grows: wait for a share of the pushes instead.
        let deadline = Date().addingTimeInterval(TestTime.seconds(60))
        while Date() < deadline, first.isRunning, (try? harness.mockRequestLines().count) ?? 0 < 2_000 { usleep(10_000) }
        usleep(200_000)
        first.signal(SIGKILL)
        let killed = try first.wait(seconds: 60)
        #expect(killed.reason == .uncaughtSignal && killed.status == SIGKILL)
        let before = try ReportReader(path: report)
        let settledBefore = Set(try before.readAll().map(\.token))
        #expect(settledBefore.count > 0 && settledBefore.count < Self.rows, "killed after \(settledBefore.count) rows")

        let second = try harness.run(harness.sendArguments(input: "in.csv", report: "report.jsonl.gz",
                                                           extra: ["--concurrency", "50", "--resume"]))
        #expect(second.status == 0, "resumed run: \(second.stderr)")
        #expect(second.stderr == "")
        let after = try Self.analyse(report)
        #expect(after.rows.count == Self.rows)
        #expect(after.analysis.duplicateLines == 0)
        #expect(!after.analysis.wasTruncated)
        #expect(Set(after.rows.map(\.line)) == Set(2...(Self.rows + 1)))

        harness.stopMock()
        let pushes = try Self.pushes(harness)
        #expect(pushes.count == Self.rows, "every row pushed at least once")
        // "In flight" = sent and not yet in the report: the requests on the wire (at most --concurrency), and the
        // answers a connection's loop pass read but writes to the report only after its next requests went out
        // (at most --concurrency more).
        let twice = pushes.filter { $0.value > 1 }.map(\.key)
        #expect(twice.count <= 2 * concurrency, "\(twice.count) rows pushed twice; at most \(2 * concurrency) were in flight")
        #expect(twice.allSatisfy { !settledBefore.contains($0) }, "a row already in the report was pushed again")
        #expect(pushes.values.allSatisfy { $0 <= 2 })
    }

    @Test("An input edited since the report was written is refused before anything is sent")
    func editedInputIsRefused() throws {
        let harness = try CampaignHarness()
        try harness.writeRecipients("in.csv", count: 50)
        try harness.startMock()
        let first = try harness.run(harness.sendArguments(input: "in.csv", report: "report.csv"))
        #expect(first.status == 0)
        var text = try harness.read("in.csv")
        text = text.replacingOccurrences(of: CampaignHarness.token(7), with: CampaignHarness.token(7777))
        try harness.write("edited.csv", text + "\(CampaignHarness.token(51)),Customer 51\n")
        let before = try harness.read("report.csv")
        let refused = try harness.run(harness.sendArguments(input: "edited.csv", report: "report.csv", extra: ["--resume"]))
        #expect(refused.status == ExitStatus.fatal.rawValue)
        #expect(refused.stderr.hasSuffix("apnsctl: cannot resume: input line 8 has another token than \(harness.path("report.csv")) "
            + "says it had: the input changed since the report was written. Resume with the original input, or start a new report\n"))
        #expect(try harness.read("report.csv") == before)
        harness.stopMock()
        #expect(try harness.mockRequestLines().count == 50)
    }
}
