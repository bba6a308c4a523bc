import Foundation
import Testing
import PushCore
@testable import apnsctl

@Suite("The built apnsctl: two shards cover a campaign exactly once", .enabled(if: CampaignHarness.canRun))
struct CampaignShardTests {
    @Test("shard 1/2 and 2/2: every input row in exactly one report, every valid row pushed exactly once")
    func twoShards() throws {
        let harness = try CampaignHarness()
        try harness.writeRecipients("in.csv", count: 400)
        // Two bad rows: they are reported by exactly one shard too.
        try FileHandle(forWritingTo: URL(fileURLWithPath: harness.path("in.csv"))).appendAll("zz-not-hex,Bad\n\"unterminated,x\n")
        try harness.startMock()
        var lines: [[Int]] = []
        for k in 1...2 {
            let result = try harness.run(harness.sendArguments(input: "in.csv", report: "shard\(k).jsonl",
                                                               extra: ["--shard", "\(k)/2", "--keep", "name"]))
            let rows = try ReportReader(path: harness.path("shard\(k).jsonl")).readAll()
            // Exit 1 for the shard that reports an invalid row, 0 for one with only delivered rows.
            #expect(result.status == (rows.contains { $0.outcome == .invalid } ? 1 : 0), "shard \(k): \(result.stderr)")
            #expect(rows.allSatisfy { $0.outcome == .delivered || $0.outcome == .invalid })
            #expect(rows.filter { $0.outcome == .delivered }.allSatisfy { $0.kept.first??.text.hasPrefix("Customer ") == true })
            lines.append(rows.map(\.line))
        }
        #expect(lines[0].count > 100 && lines[1].count > 100)
        #expect(Set(lines[0]).isDisjoint(with: lines[1]))
        #expect((lines[0] + lines[1]).sorted() == Array(2...403))
        harness.stopMock()
        #expect(try harness.mockRequestLines().count == 400)
    }
}

extension FileHandle {
    func appendAll(_ text: String) throws {
        try seekToEnd()
        try write(contentsOf: Data(text.utf8))
        try close()
    }
}

@Suite("The built apnsctl: --dedupe pushes each token once", .enabled(if: CampaignHarness.canRun))
struct CampaignDedupeTests {
    @Test("Repeated tokens are reported skipped with their first line and never reach the server")
    func dedupe() throws {
        let harness = try CampaignHarness()
        var text = "token,name\n"
        for i in 1...60 { text += "\(CampaignHarness.token(i % 20 + 1)),Customer \(i)\n" }
        try harness.write("in.csv", text)
        try harness.startMock()
        let result = try harness.run(harness.sendArguments(input: "in.csv", report: "r.csv", extra: ["--dedupe"]))
        #expect(result.status == 0, "\(result.stderr)")
        let rows = try ReportReader(path: harness.path("r.csv")).readAll().sorted { $0.line < $1.line }
        #expect(rows.count == 60)
        #expect(rows.filter { $0.outcome == .delivered }.map(\.line) == Array(2...21))
        let skipped = rows.filter { $0.outcome == .skipped }
        #expect(skipped.count == 40)
        #expect(skipped.allSatisfy { $0.reason == "duplicate token: first seen on line \(($0.line - 2) % 20 + 2)" })
        harness.stopMock()
        #expect(try harness.mockRequestLines().count == 20)
    }
}
