import Foundation
import Testing
@testable import PushCore

@Suite("--prune-list: tokens APNs says are gone")
struct PruneListSinkTests {
    static func row(_ line: Int, _ token: String, _ outcome: Outcome, _ status: Int?, _ reason: String?) -> ReportRow {
        ReportRow(line: line, token: token, outcome: outcome, status: status, reason: reason, attempts: 1, finishedAtMs: 0)
    }

    static let rows = [
        row(2, "aa01", .rejected, 410, "Unregistered"),
        row(3, "aa02", .rejected, 410, "ExpiredToken"),
        row(4, "aa03", .rejected, 400, "BadDeviceToken"),
        row(5, "aa04", .rejected, 400, "DeviceTokenNotForTopic"),
        row(6, "aa05", .delivered, 200, nil),
        row(7, "aa06", .failed, nil, "Timeout"),
        row(8, "aa07", .invalid, nil, "Unregistered"),   // an invalid row's message, never an APNs answer
        row(9, "aa08", .rejected, 400, "BadDeviceToken"),
    ]

    @Test("Only 410 Unregistered and ExpiredToken answers are prunable")
    func prunable() {
        #expect(Self.rows.filter(\.isPrunable).map(\.token) == ["aa01", "aa02"])
    }

    @Test("The sink writes the list as rows settle; the summary counts what was left out")
    func throughTheSink() throws {
        let directory = try TemporaryDirectory()
        let listPath = directory.url.appendingPathComponent("prune.txt").path
        let prune = try PruneListWriter(path: listPath)
        let sink = ReportSink(writer: try ReportWriter(path: "/dev/null", format: .jsonl), pruneList: prune,
                              summary: RunSummary(startedAtMs: 0), control: RunControl())
        sink.settle(Array(Self.rows[..<4]))
        // Rows that were sent are written out as they settle: the list is on disk before the run ends.
        #expect(try String(contentsOfFile: listPath, encoding: .utf8) == "aa01\naa02\n")
        sink.settle(Array(Self.rows[4...]))
        sink.close()
        #expect(try String(contentsOfFile: listPath, encoding: .utf8) == "aa01\naa02\n")
        let summary = sink.finalSummary
        #expect(summary.prunedTokens == 2)
        #expect(summary.render().contains("\nprune list: 2 tokens (Unregistered, ExpiredToken); left out: 2 BadDeviceToken, "
            + "1 DeviceTokenNotForTopic (they may be valid for the other environment or topic)\n"))
    }

    @Test("Appending adds to an existing list; a .gz list is compressed")
    func appendAndCompress() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("prune.txt", "old1\n")
        let appending = try PruneListWriter(path: path, append: true)
        appending.add(Self.rows)
        try appending.close()
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old1\naa01\naa02\n")

        let gzPath = directory.url.appendingPathComponent("prune.txt.gz").path
        let compressed = try PruneListWriter(path: gzPath)
        compressed.add(Self.rows)
        try compressed.close()
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: gzPath)))
        #expect(try GzipRoundTripTests.decompress(bytes).text == "aa01\naa02\n")
    }
}
