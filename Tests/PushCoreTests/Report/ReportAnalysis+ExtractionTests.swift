import Foundation
import Testing
@testable import PushCore

@Suite("apnsctl report: summary, rows to retry, tokens to prune")
struct ReportAnalysisExtractionTests {
    static func row(_ line: Int, _ outcome: Outcome, _ status: Int? = nil, _ reason: String? = nil, name: String? = "n\(0)") -> ReportRow {
        var row = ReportRow(line: line, token: String(format: "%04x", line), outcome: outcome, status: status, reason: reason,
                            attempts: outcome == .invalid ? 0 : 1, latencyMs: status == nil ? nil : Double(line),
                            finishedAtMs: 1_795_706_300_000 + Int64(line))
        row.kept = [.text("user \(line)"), .literal(String(line * 10))]
        return row
    }

    static let rows: [ReportRow] = [
        row(2, .delivered, 200),
        row(3, .rejected, 410, "Unregistered"),
        row(4, .rejected, 400, "BadDeviceToken"),
        row(5, .failed, nil, "ConnectionLost"),
        row(6, .failed, nil, "Timeout"),
        row(7, .rejected, 429, "TooManyRequests"),
        row(8, .rejected, 503, "ServiceUnavailable"),
        row(9, .rejected, 410, "ExpiredToken"),
        row(10, .invalid, nil, "template field 'name' is missing"),
        row(11, .rejected, 403, "ExpiredProviderToken"),
        row(12, .rejected, 400, "BadCollapseId"),
    ]

    @Test("Worth retrying: no answer, 429, 5xx and provider-token trouble; never token, payload or input problems")
    func selection() {
        #expect(Self.rows.filter(\.isWorthRetrying).map(\.line) == [5, 6, 7, 8, 11])
        #expect(Self.rows.filter(\.isPrunable).map(\.line) == [3, 9])
    }

    func writeReport(_ rows: [ReportRow], in directory: TemporaryDirectory, name: String = "report.jsonl") throws -> String {
        let path = directory.url.appendingPathComponent(name).path
        let writer = try ReportWriter(path: path, format: ReportFormat(path: path), keptFields: ["name", "score"])
        try writer.write(rows)
        try writer.close()
        return path
    }

    @Test("One pass: counts, latency, retry rows with their kept fields, prune list", arguments: ["report.jsonl", "report.csv.gz"])
    func extraction(name: String) throws {
        let directory = try TemporaryDirectory()
        let path = try writeReport(Self.rows, in: directory, name: name)
        let retryPath = directory.url.appendingPathComponent("retry.csv").path
        let prunePath = directory.url.appendingPathComponent("prune.txt").path
        let retry = try RetryInputWriter(path: retryPath)
        let prune = try PruneListWriter(path: prunePath)
        let analysis = try ReportAnalysis.read(try ReportReader(path: path), retry: retry, pruneList: prune)
        try retry.close(keptFields: analysis.keptFields)
        try prune.close()

        #expect(analysis.summary.total == 11)
        #expect(analysis.summary.count(.rejected) == 7)
        #expect(analysis.summary.count(.failed) == 2)
        #expect(analysis.summary.latency.count == 8)
        #expect(analysis.retryRows == 5)
        #expect(analysis.prunedTokens == 2)
        #expect(analysis.duplicateLines == 0)
        #expect(analysis.summary.exitStatus == 1)
        let rendered = analysis.render(name: "r")
        #expect(rendered.hasPrefix("r: 11 rows settled from 2026-11-26T15:18:20.002Z to 2026-11-26T15:18:20.012Z\n"
            + "rows: 11 total, 1 delivered, 7 rejected, 2 failed, 1 invalid\n"))
        #expect(rendered.contains("\nprune list: 2 tokens (Unregistered, ExpiredToken); left out: 1 BadDeviceToken, 0 DeviceTokenNotForTopic"))

        #expect(try String(contentsOfFile: prunePath, encoding: .utf8) == "0003\n0009\n")
        #expect(try String(contentsOfFile: retryPath, encoding: .utf8) == """
            token,input_line,name,score
            0005,5,user 5,50
            0006,6,user 6,60
            0007,7,user 7,70
            0008,8,user 8,80
            000b,11,user 11,110

            """)
        // The retry file is an input apnsctl reads, with the kept fields for the template.
        var reader = try openRecordReader(path: retryPath, format: nil)
        let first = try #require(try reader.next())
        #expect(first.fields?.value(named: "name") == .text("user 5"))
    }

    @Test("JSONL retry rows keep the kept values' JSON types")
    func jsonlRetry() throws {
        let directory = try TemporaryDirectory()
        let path = try writeReport(Self.rows, in: directory)
        let retryPath = directory.url.appendingPathComponent("retry.jsonl").path
        let retry = try RetryInputWriter(path: retryPath)
        _ = try ReportAnalysis.read(try ReportReader(path: path), retry: retry)
        try retry.close()
        let lines = try String(contentsOfFile: retryPath, encoding: .utf8).split(separator: "\n")
        #expect(lines.first == #"{"token":"0005","input_line":5,"name":"user 5","score":50}"#)
        #expect(lines.count == 5)
    }

    @Test("Lines reported more than once are counted; a dry run's report says so")
    func duplicatesAndDryRun() throws {
        var analysis = ReportAnalysis()
        for row in [Self.row(2, .delivered, 200), Self.row(3, .delivered, 200), Self.row(2, .delivered, 200)] {
            analysis.record(row)
        }
        #expect(analysis.duplicateLines == 1)
        #expect(analysis.render(name: "r").hasSuffix("duplicates: 1 row for input lines already in the report\n"))

        let directory = try TemporaryDirectory()
        let path = try writeReport([Self.row(2, .valid), Self.row(3, .invalid, nil, "bad")], in: directory)
        let dry = try ReportAnalysis.read(try ReportReader(path: path))
        #expect(dry.summary.isDryRun)
        #expect(dry.render(name: "r").contains("\nrows: 2 total, 1 valid, 1 invalid\n"))
    }

    @Test("The line set grows as needed and answers membership")
    func lineSet() {
        var set = LineSet()
        let first = set.insert(1), far = set.insert(10_000_000), again = set.insert(1)
        #expect(first && far && !again)
        #expect(set.contains(10_000_000))
        #expect(!set.contains(9_999_999))
        #expect(!set.contains(20_000_000))
    }

    @Test("Hostile line numbers (9e18, 4e9) cost a hash entry, not a bitmap up to them; duplicates still found")
    func hugeLines() {
        var set = LineSet()
        let huge = 9_000_000_000_000_000_000, big = 4_000_000_000
        #expect(set.insert(huge) && set.insert(big) && set.insert(3))
        #expect(!set.insert(huge) && !set.insert(big) && !set.insert(3))
        #expect(set.contains(huge) && set.contains(big) && !set.contains(big + 1))
        // Dense lines past the free part still go to the bitmap as rows accumulate; a line kept in the hash set
        // earlier is still known once the bitmap covers it.
        var dense = LineSet()
        let early = dense.insert(300_000)
        for line in 1...400_000 where line != 300_000 { _ = dense.insert(line) }
        let again = dense.insert(300_000)
        #expect(early && !again && dense.contains(399_999) && !dense.contains(400_001))

        var analysis = ReportAnalysis()
        let large = huge / 10   // the row helper multiplies the line by 10
        for row in [Self.row(large, .delivered, 200), Self.row(big, .delivered, 200), Self.row(large, .delivered, 200)] {
            analysis.record(row)
        }
        #expect(analysis.duplicateLines == 1)
    }

    @Test("A broadcast's report: the retry file names channel_id, and --input finds the case-kept channel ids",
          arguments: ["report.jsonl", "report.csv"])
    func broadcastRetry(name: String) throws {
        let directory = try TemporaryDirectory()
        let path = directory.url.appendingPathComponent(name).path
        var failed = Self.row(3, .failed, nil, "ConnectionLost")
        failed.token = "Qk9PTQ+/=="
        let writer = try ReportWriter(path: path, format: ReportFormat(path: path), keptFields: ["name", "score"],
                                      columns: .broadcast)
        try writer.write([Self.row(2, .delivered, 200), failed])
        try writer.close()

        for retryName in ["retry.csv", "retry.jsonl"] {
            let retryPath = directory.url.appendingPathComponent(retryName).path
            let retry = try RetryInputWriter(path: retryPath)
            let analysis = try ReportAnalysis.read(try ReportReader(path: path), retry: retry)
            try retry.close(keptFields: analysis.keptFields)
            let text = try String(contentsOfFile: retryPath, encoding: .utf8)
            #expect(text.contains("channel_id") && !text.contains("token") && text.contains("Qk9PTQ+/=="), "\(text)")
        }

        let input = directory.url.appendingPathComponent("events.csv").path
        try "channel_id,name\nAAAA,a\nQk9PTQ+/==,b\n".write(toFile: input, atomically: true, encoding: .utf8)
        let analysis = try ReportAnalysis.read(try ReportReader(path: path), collectRetries: true)
        let out = directory.url.appendingPathComponent("again.csv").path
        #expect(try RetryFromInput.write(tokens: analysis.retryTokens, input: input, to: out) == 1)
        #expect(try String(contentsOfFile: out, encoding: .utf8).contains("Qk9PTQ+/==,b"))
    }
}
