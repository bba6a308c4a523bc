import Testing
@testable import PushCore

@Suite("--dedupe: a repeated token is reported skipped, naming its first line")
struct DuplicateTokensPlannerTests {
    @Test("The first line is remembered; letter case does not make a new token")
    func table() {
        var seen = DuplicateTokens()
        let a = seen.firstLine(of: "aa01", line: 2)
        let b = seen.firstLine(of: "bb02", line: 3)
        let again = seen.firstLine(of: "aa01", line: 9)
        let upper = seen.firstLine(of: "BB02", line: 10)
        #expect(a == nil && b == nil)
        #expect(again == 2)
        #expect(upper == 3)
        #expect(seen.count == 2)
        #expect(DuplicateTokens.fnv1a32("") == 0x811c_9dc5)
        #expect(DuplicateTokens.fnv1a32("a") == 0xe40c_292c)
    }

    static func plan(_ records: [InputRecord], dryRun: Bool, dedupe: Bool = true) -> [PlannedRow] {
        let preparer = RowPreparer(template: try! PayloadTemplate(text: #"{"aps":{"alert":"{{name}}"}}"#),
                                   defaults: NotificationDefaults(topic: "t"))
        var planner = RowPlanner(plan: RowPlan(preparer: preparer, dryRun: dryRun, keep: ["name"], dedupe: dedupe))
        var out: [PlannedRow] = []
        for record in records { try! planner.plan(record, into: &out) }
        return out
    }

    static let records = [
        csvRecord(line: 2, ["token": "AA01", "name": "Ann"]),
        csvRecord(line: 3, ["token": "bb02", "name": "Bo"]),
        csvRecord(line: 4, ["token": "aa01", "name": "Ann again"]),
        csvRecord(line: 5, ["token": "aa01"]),                       // invalid (no name): not deduped, not sent
        csvRecord(line: 6, ["token": "bb02", "name": "Bo again"]),
    ]

    @Test("Sending: duplicates settle skipped with their kept values; first appearances are sent")
    func sending() {
        let out = Self.plan(Self.records, dryRun: false)
        var sent: [Int] = []
        var settled: [ReportRow] = []
        for row in out {
            switch row {
            case .send(let n, _): sent.append(n.line)
            case .settle(let r): settled.append(r)
            }
        }
        #expect(sent == [2, 3])
        #expect(settled.map(\.line) == [4, 5, 6])
        #expect(settled.map(\.outcome) == [.skipped, .invalid, .skipped])
        #expect(settled[0].reason == "duplicate token: first seen on line 2")
        #expect(settled[2].reason == "duplicate token: first seen on line 3")
        #expect(settled[2].kept == [.text("Bo again")])
        #expect(settled[0].token == "aa01")
    }

    @Test("Without --dedupe every valid row is sent; a dry run reports the duplicates too")
    func optional() {
        let plain = Self.plan(Self.records, dryRun: false, dedupe: false)
        #expect(plain.filter { if case .send = $0 { return true } else { return false } }.count == 4)
        var summary = RunSummary(startedAtMs: 0)
        for case .settle(let row) in Self.plan(Self.records, dryRun: true) { summary.record(row) }
        #expect(summary.count(.valid) == 2)
        #expect(summary.count(.skipped) == 2)
        #expect(summary.reasonCounts["duplicate token: first seen on line N"] == 2)
    }

    @Test("Skipped rows do not make the exit status 1")
    func exitStatus() {
        var summary = RunSummary(startedAtMs: 0)
        summary.record(ReportRow(line: 2, token: "aa", outcome: .delivered, status: 200, finishedAtMs: 0))
        summary.record(ReportRow(line: 3, token: "aa", outcome: .skipped, reason: "duplicate token: first seen on line 2", finishedAtMs: 0))
        #expect(summary.exitStatus == 0)
        #expect(summary.render().contains("\nrows: 2 total, 1 delivered, 0 rejected, 0 failed, 0 invalid, 1 skipped\n"))
    }
}
