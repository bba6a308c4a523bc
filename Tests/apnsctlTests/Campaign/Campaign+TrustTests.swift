import Foundation
import Testing
import PushCore
@testable import apnsctl

/// Campaigns cron can trust, run after run: a stopped run leaves its rows to `--resume`, one run per report, no
/// report lost, campaign totals, and exit statuses that tell a healthy run from a broken one. Each test runs the
/// built apnsctl against `apnsctl mock` on 127.0.0.1.
@Suite("The built apnsctl: campaigns cron can trust, run after run", .enabled(if: CampaignHarness.canRun), .serialized)
struct CampaignTrustTests {
    /// Report rows read back (none when the file is missing or empty).
    static func rows(_ harness: CampaignHarness, _ name: String) throws -> [ReportRow] {
        guard FileManager.default.fileExists(atPath: harness.path(name)) else { return [] }
        return try ReportReader(path: harness.path(name)).readAll()
    }

    /// Starts `send --resume` of `rows` rows to report.jsonl against a mock answering after 20 ms, two requests in
    /// flight, and returns once the report has `reportLines` lines.
    static func startSlowRun(_ harness: CampaignHarness, rows: Int, reportLines: Int) throws -> ChildProcess {
        try harness.writeRecipients("in.csv", count: rows)
        try harness.startMock(extra: ["--latency", "20ms"])
        let run = try harness.start(harness.sendArguments(input: "in.csv", report: "report.jsonl",
                                                          extra: ["--resume", "--concurrency", "2"]), name: "slow")
        try CampaignResumeTests.waitForLines(harness.path("report.jsonl"), atLeast: reportLines, child: run)
        return run
    }

    @Test("A run stopped by the wrong environment or refused credentials settles none of those rows; --resume sends them all after the fix",
          arguments: ["400:BadDeviceToken", "403:InvalidProviderToken"])
    func stoppedRunIsResumedWhole(answer: String) throws {
        let harness = try CampaignHarness()
        try harness.writeRecipients("in.csv", count: 200)
        try harness.startMock(extra: ["--respond", "ab=\(answer)"])
        let stopped = try harness.run(harness.sendArguments(input: "in.csv", report: "report.jsonl",
                                                            extra: ["--resume", "--concurrency", "5"]))
        #expect(stopped.status == ExitStatus.fatal.rawValue, "stderr: \(stopped.stderr)")
        #expect(try Self.rows(harness, "report.jsonl").isEmpty, "answers that stopped the run are not settled rows")
        #expect(stopped.stderr.contains("answered while the run stopped)"), "stderr: \(stopped.stderr)")
        #expect(stopped.stderr.contains("run the same command with --resume"))
        harness.stopMock()
        let refused = try harness.mockRequestLines().count
        #expect(refused >= 1 && refused < 200)

        // The flag (or key) fixed: the resumed run sends every row, the ones answered before the stop included.
        try harness.startMock()
        let resumed = try harness.run(harness.sendArguments(input: "in.csv", report: "report.jsonl",
                                                            extra: ["--resume", "--concurrency", "20"]))
        #expect(resumed.status == 0, "stderr: \(resumed.stderr)")
        let rows = try Self.rows(harness, "report.jsonl")
        #expect(rows.count == 200)
        #expect(Set(rows.map(\.line)) == Set(2...201))
        #expect(rows.allSatisfy { $0.outcome == .delivered })
        #expect(try Tool.run(harness.binary, ["report", harness.path("report.jsonl"), "--failed", harness.path("retry.csv"), "-q"]).status == 0)
        #expect(try harness.read("retry.csv") == "token,input_line\n")
    }

    @Test("A second run on the same report exits 3 at once naming the first one's pid, and sends nothing")
    func oneRunPerReport() throws {
        let harness = try CampaignHarness()
        let report = harness.path("report.jsonl")
        let first = try Self.startSlowRun(harness, rows: 300, reportLines: 10)
        #expect(first.isRunning, "the first run ended before the second could start")
        let second = try harness.run(harness.sendArguments(input: "in.csv", report: "report.jsonl", extra: ["--resume"]))
        #expect(second.status == ExitStatus.fatal.rawValue)
        #expect(second.stderr.hasPrefix("apnsctl: \(report) is being written by apnsctl pid \(first.processIdentifier) since 20"),
                "stderr: \(second.stderr)")
        let finished = try first.wait(seconds: 120)
        #expect(finished.status == 0, "first run: \(finished.stderr)")
        let rows = try Self.rows(harness, "report.jsonl")
        #expect(rows.count == 300)
        #expect(Set(rows.map(\.line)).count == 300)
        #expect(!FileManager.default.fileExists(atPath: report + ".lock"), "the lock file goes with the run")

        // The lock went with the first run: the next one runs (nothing left to send).
        let third = try harness.run(harness.sendArguments(input: "in.csv", report: "report.jsonl", extra: ["--resume"]))
        #expect(third.status == 0, "stderr: \(third.stderr)")
        harness.stopMock()
        #expect(try harness.mockRequestLines().count == 300, "the second run sent nothing")
    }

    @Test("An existing report is refused without --resume or --force; --force starts it over")
    func existingReportIsNotOverwritten() throws {
        let harness = try CampaignHarness()
        try harness.writeRecipients("in.csv", count: 30)
        try harness.startMock()
        #expect(try harness.run(harness.sendArguments(input: "in.csv", report: "report.jsonl")).status == 0)
        let before = try harness.read("report.jsonl")
        let again = try harness.run(harness.sendArguments(input: "in.csv", report: "report.jsonl"))
        #expect(again.status == ExitStatus.usage.rawValue)
        #expect(again.stderr.hasPrefix("apnsctl: \(harness.path("report.jsonl")) has 30 rows: add --resume to continue it, "
            + "or --force to start over"), "stderr: \(again.stderr)")
        #expect(try harness.read("report.jsonl") == before)

        let forced = try harness.run(harness.sendArguments(input: "in.csv", report: "report.jsonl", extra: ["--force"]))
        #expect(forced.status == 0, "stderr: \(forced.stderr)")
        #expect(try Self.rows(harness, "report.jsonl").count == 30)
        harness.stopMock()
        #expect(try harness.mockRequestLines().count == 60, "the refused run sent nothing; --force sent every row again")
    }

    @Test("An interrupted run says how many rows are left and how to continue")
    func interruptedRunSaysWhatIsLeft() throws {
        let harness = try CampaignHarness()
        let run = try Self.startSlowRun(harness, rows: 2_000, reportLines: 20)
        run.signal(SIGINT)
        let interrupted = try run.wait(seconds: 60)
        #expect(interrupted.status == ExitStatus.interrupted.rawValue)
        let settled = try Self.rows(harness, "report.jsonl").count
        #expect(interrupted.stderr.hasPrefix("apnsctl: interrupted: \(settled) rows of this run in the report; "),
                "stderr: \(interrupted.stderr)")
        #expect(interrupted.stderr.hasSuffix("run the same command with --resume to send them\n"))
    }

    @Test("With --resume, the summary JSON, the metrics and the exit status describe the whole campaign")
    func campaignTotals() throws {
        let harness = try CampaignHarness()
        try harness.writeRecipients("in.csv", count: 40)
        try harness.startMock(extra: ["--respond", "\(CampaignHarness.token(3))=400:TopicDisallowed"])
        let first = try harness.run(harness.sendArguments(input: "in.csv", report: "report.jsonl",
                                                          extra: ["--resume", "--summary-json", harness.path("s1.json")]))
        #expect(first.status == 1, "a row rejected for TopicDisallowed: \(first.stderr)")

        let second = try harness.run(harness.sendArguments(input: "in.csv", report: "report.jsonl",
                                                           extra: ["--resume", "--summary-json", harness.path("s2.json"),
                                                                   "--metrics-file", harness.path("m.prom"), "--campaign", "weekly"]))
        #expect(second.status == 1, "the campaign still has the rejected row: \(second.stderr)")
        let json = try #require(try JSONParser.parse(Array(harness.read("s2.json").utf8)).objectValue)
        #expect(json["rows"]?.objectValue?["total"] == .number("0"))
        let campaign = try #require(json["campaign_rows"]?.objectValue)
        #expect(campaign["total"] == .number("40"))
        #expect(campaign["delivered"] == .number("39"))
        #expect(campaign["rejected"] == .number("1"))
        #expect(json["exit_status"] == .number("1"))
        let metrics = try harness.read("m.prom")
        #expect(metrics.contains(#"apnsctl_campaign_notifications{campaign="weekly",outcome="delivered"} 39"#))
        #expect(metrics.contains(#"apnsctl_exit_status{campaign="weekly"} 1"#))
    }

    @Test("Exit 0 when every row has APNs' final answer about it (tokens gone or wrong included); 1 for other rejections; --strict")
    func exitStatuses() throws {
        let harness = try CampaignHarness()
        try harness.writeRecipients("in.csv", count: 60)
        let gone = (1...5).flatMap { ["--respond", "\(CampaignHarness.token($0))=410:Unregistered"] }
            + ["--respond", "\(CampaignHarness.token(6))=400:BadDeviceToken",
               "--respond", "\(CampaignHarness.token(7))=400:DeviceTokenNotForTopic"]
        try harness.startMock(extra: gone + ["--respond", "\(CampaignHarness.token(8))=400:PayloadTooLarge"])
        try harness.write("healthy.csv", String(try harness.read("in.csv").split(separator: "\n").enumerated()
            .filter { $0.offset != 8 }.map { $0.element + "\n" }.joined()))

        let healthy = try harness.run(harness.sendArguments(input: "healthy.csv", report: "healthy.jsonl",
                                                            extra: ["--prune-list", harness.path("gone.txt")]))
        #expect(healthy.status == 0, "stale tokens are the prune list's business: \(healthy.stderr)")
        #expect(try harness.read("gone.txt").split(separator: "\n").count == 5)
        let strict = try harness.run(harness.sendArguments(input: "healthy.csv", report: "healthy.jsonl",
                                                           extra: ["--force", "--strict"]))
        #expect(strict.status == 1, "--strict: rows not delivered: \(strict.stderr)")

        let broken = try harness.run(harness.sendArguments(input: "in.csv", report: "all.jsonl"))
        #expect(broken.status == 1, "a payload APNs refused is a failure: \(broken.stderr)")
    }

    @Test("report --failed --input writes the failed rows' original input lines, which send renders with the same template")
    func retryFromTheInput() throws {
        let harness = try CampaignHarness()
        try harness.writeRecipients("in.csv", count: 20)
        try harness.startMock(extra: ["--respond", "\(CampaignHarness.token(3))=503:ServiceUnavailable"])
        let first = try harness.run(harness.sendArguments(input: "in.csv", report: "report.jsonl", extra: ["--retries", "0"]))
        #expect(first.status == 1, "stderr: \(first.stderr)")

        // From the report alone: token and input_line only, and the template's field is missing, as send says.
        let bare = try Tool.run(harness.binary, ["report", harness.path("report.jsonl"), "--failed", harness.path("bare.csv")])
        #expect(bare.stderr.contains("apnsctl: note: \(harness.path("bare.csv")) holds token, input_line; to retry with every "
            + "field the template needs, add --input with the campaign's input"), "stderr: \(bare.stderr)")
        let refused = try harness.run(harness.sendArguments(input: "bare.csv", report: "bare.jsonl"))
        #expect(refused.status == ExitStatus.usage.rawValue)
        #expect(refused.stderr.hasPrefix("apnsctl: \(harness.path("bare.csv")): the template uses field 'name'"))

        let export = try Tool.run(harness.binary, ["report", harness.path("report.jsonl"), "--failed", harness.path("retry.csv"),
                                                   "--input", harness.path("in.csv"), "-q"])
        #expect(export.status == 1, "stderr: \(export.stderr)")
        #expect(try harness.read("retry.csv") == "token,name\n\(CampaignHarness.token(3)),Customer 3\n")

        harness.stopMock()
        try harness.startMock()
        let retried = try harness.run(harness.sendArguments(input: "retry.csv", report: "retry.jsonl"))
        #expect(retried.status == 0, "stderr: \(retried.stderr)")
        let rows = try Self.rows(harness, "retry.jsonl")
        #expect(rows.map(\.token) == [CampaignHarness.token(3)] && rows.allSatisfy { $0.outcome == .delivered })

        // Another input than the report's is refused.
        try harness.writeRecipients("other.csv", count: 2)
        let other = try Tool.run(harness.binary, ["report", harness.path("report.jsonl"), "--failed", harness.path("x.csv"),
                                                  "--input", harness.path("other.csv"), "-q"])
        #expect(other.status == ExitStatus.fatal.rawValue)
        #expect(other.stderr.contains("give the input the report was written from"), "stderr: \(other.stderr)")
    }
}
