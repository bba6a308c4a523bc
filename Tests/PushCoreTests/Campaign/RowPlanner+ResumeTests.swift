import Foundation
import Testing
@testable import PushCore

@Suite("--resume: rows already in the report are left out; a changed input is refused")
struct RowPlannerResumeTests {
    static let preparer = RowPreparer(template: try! PayloadTemplate(text: #"{"aps":{"alert":"{{name}}"}}"#),
                                      defaults: NotificationDefaults(topic: "t"))

    static func token(_ i: Int) -> String { String(format: "%064x", i * 7919) }

    /// CSV records for lines 2...11 (tokens 1...10); line 6 is invalid (no name).
    static let records: [InputRecord] = (1...10).map { i in
        i == 5 ? csvRecord(line: i + 1, ["token": token(i)]) : csvRecord(line: i + 1, ["token": token(i), "name": "N\(i)"])
    }

    static func index(_ pairs: [(Int, String)]) -> ResumeIndex {
        ResumeIndex(path: "r.jsonl", entries: pairs.map { UInt64($0.0) << 32 | ResumeIndex.fingerprint($0.1) }.sorted())
    }

    static func lines(_ out: [PlannedRow]) -> [Int] {
        out.map { row in
            switch row {
            case .send(let n, _): return n.line
            case .settle(let r): return r.line
            }
        }
    }

    @Test("Settled rows are left out; the others are held until the report is verified, then released in order")
    func resume() throws {
        // The earlier run settled lines 2, 3, 5 and 6 (the invalid one); 4 was in flight when it stopped.
        var planner = RowPlanner(plan: RowPlan(preparer: Self.preparer),
                                 resume: Self.index([(2, Self.token(1)), (3, Self.token(2)), (5, Self.token(4)), (6, Self.token(5))]))
        var out: [PlannedRow] = []
        for record in Self.records.prefix(4) { try planner.plan(record, into: &out) }
        #expect(out.isEmpty, "nothing may leave the planner before line 6, the report's last, is matched")
        try planner.plan(Self.records[4], into: &out)   // line 6: the last report row
        #expect(Self.lines(out) == [4])
        for record in Self.records.dropFirst(5) { try planner.plan(record, into: &out) }
        try planner.finish(into: &out)
        #expect(Self.lines(out) == [4, 7, 8, 9, 10, 11])
        #expect(planner.alreadySettled == 4)
    }

    @Test("Letter case of a token does not matter; another token on a line does")
    func changedToken() throws {
        var planner = RowPlanner(plan: RowPlan(preparer: Self.preparer),
                                 resume: Self.index([(2, Self.token(1).uppercased()), (3, Self.token(2))]))
        var out: [PlannedRow] = []
        try planner.plan(Self.records[0], into: &out)
        #expect(throws: ResumeError("input line 3 has another token than r.jsonl says it had: the input changed since the "
            + "report was written. Resume with the original input, or start a new report")) {
            try planner.plan(csvRecord(line: 3, ["token": Self.token(99), "name": "x"]), into: &out)
        }
        #expect(out.isEmpty)
    }

    @Test("Report lines the input does not have are refused: removed rows, a shorter input")
    func missingLines() throws {
        var planner = RowPlanner(plan: RowPlan(preparer: Self.preparer), resume: Self.index([(2, Self.token(1)), (4, Self.token(3))]))
        var out: [PlannedRow] = []
        try planner.plan(Self.records[0], into: &out)
        let message = "r.jsonl has input line 4, which is not a row of the input (a blank line, past the end, or inside "
            + "another row): the input changed since the report was written. Resume with the original input, or start a new report"
        #expect(throws: ResumeError(message)) { try planner.plan(csvRecord(line: 5, ["token": Self.token(4), "name": "x"]), into: &out) }

        var short = RowPlanner(plan: RowPlan(preparer: Self.preparer), resume: Self.index([(2, Self.token(1)), (4, Self.token(3))]))
        try short.plan(Self.records[0], into: &out)
        #expect(throws: ResumeError(message)) { try short.finish(into: &out) }
        #expect(out.isEmpty)
    }

    @Test("A report row of another shard is refused: resume with the same --shard")
    func otherShard() throws {
        let record = Self.records[0]
        let shardOfToken = Shard.of(token: Self.token(1), count: 2)
        let other = Shard(index: shardOfToken == 1 ? 2 : 1, count: 2)!
        var planner = RowPlanner(plan: RowPlan(preparer: Self.preparer, shard: other), resume: Self.index([(2, Self.token(1))]))
        var out: [PlannedRow] = []
        #expect(throws: ResumeError("r.jsonl has input line 2, whose token belongs to another shard: resume with the "
            + "--shard the report was written with")) {
            try planner.plan(record, into: &out)
        }
    }

    @Test("With --dedupe, tokens of rows already settled still count as seen")
    func dedupeAcrossRuns() throws {
        let records = [csvRecord(line: 2, ["token": "aa01", "name": "A"]), csvRecord(line: 3, ["token": "AA01", "name": "B"])]
        var planner = RowPlanner(plan: RowPlan(preparer: Self.preparer, dedupe: true), resume: Self.index([(2, "aa01")]))
        var out: [PlannedRow] = []
        for record in records { try planner.plan(record, into: &out) }
        try planner.finish(into: &out)
        guard case .settle(let row)? = out.first, out.count == 1 else {
            Issue.record("expected one skipped row, got \(out)")
            return
        }
        #expect(row.outcome == .skipped)
        #expect(row.reason == "duplicate token: first seen on line 2")
    }

    @Test("Loading a report: duplicates collapse; a dry run and a real run do not mix; --keep must match; a torn line is ignored")
    func load() throws {
        let directory = try TemporaryDirectory()
        let rows = [ReportRow(line: 3, token: "bb", outcome: .delivered, status: 200, finishedAtMs: 0),
                    ReportRow(line: 2, token: "aa", outcome: .invalid, reason: "x", finishedAtMs: 0),
                    ReportRow(line: 3, token: "BB", outcome: .delivered, status: 200, finishedAtMs: 0)]
        let path = directory.url.appendingPathComponent("r.jsonl").path
        let writer = try ReportWriter(path: path, format: .jsonl)
        try writer.write(rows)
        try writer.close()
        try FileHandle(forWritingTo: URL(fileURLWithPath: path)).appendTorn(#"{"line":4,"token":"cc","outc"#)
        let index = try ResumeIndex.load(path: path, dryRun: false, keep: [])
        #expect(index.count == 2)
        #expect(throws: ResumeError("\(path) holds rows of a real run (outcome delivered, line 3); a dry run cannot resume "
            + "it: write the dry run's report to another file")) {
            _ = try ResumeIndex.load(path: path, dryRun: true, keep: [])
        }

        let dry = directory.url.appendingPathComponent("dry.jsonl").path
        let dryWriter = try ReportWriter(path: dry, format: .jsonl, keptFields: ["uid"])
        try dryWriter.write(ReportRow(line: 2, token: "aa", outcome: .valid, finishedAtMs: 0))
        try dryWriter.close()
        #expect(throws: ResumeError("\(dry) holds a dry run's rows (outcome valid, line 2); nothing was sent for them: "
            + "write the real run's report to another file, or delete this one")) {
            _ = try ResumeIndex.load(path: dry, dryRun: false, keep: ["uid"])
        }
        #expect(throws: ResumeError("\(dry) was written with --keep uid; resume with the same --keep")) {
            _ = try ResumeIndex.load(path: dry, dryRun: true, keep: [])
        }

        let mixed = try directory.write("mixed.jsonl", """
            {"line":2,"token":"aa","outcome":"delivered","finished_at":"1970-01-01T00:00:00.000Z"}
            {"line":2,"token":"bb","outcome":"delivered","finished_at":"1970-01-01T00:00:00.000Z"}

            """)
        #expect(throws: ResumeError("\(mixed) has two different tokens for input line 2; it is not one run's report: start a new report")) {
            _ = try ResumeIndex.load(path: mixed, dryRun: false, keep: [])
        }
    }

    @Test("Appending to a gzip report cut off by a crash: the whole lines are kept, new rows follow in a new member")
    func compressedAppend() throws {
        let directory = try TemporaryDirectory()
        let path = directory.url.appendingPathComponent("r.jsonl.gz").path
        let rows = (1...300).map { ReportRowWriterSamples.row($0) }
        let writer = try ReportWriter(path: path, format: .jsonl, keptFields: ["user"])
        try writer.write(rows[..<200])
        try writer.flush()
        try writer.write(rows[200...])
        let crashed = directory.url.appendingPathComponent("crashed.jsonl.gz").path
        try FileManager.default.copyItem(atPath: path, toPath: crashed)
        // Cut a few more bytes: the end of the last flush is gone too, as after a torn write.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: crashed))
        try bytes.prefix(bytes.count - 3).write(to: URL(fileURLWithPath: crashed))
        try writer.close()

        let readable = try ReportReader(path: crashed).readAll()
        #expect(readable.count > 100 && readable.count <= 200)
        let appending = try ReportWriter(path: crashed, format: .jsonl, append: true, keptFields: ["user"])
        try appending.write(rows[250...])
        try appending.close()
        let reader = try ReportReader(path: crashed)
        #expect(try reader.readAll() == readable + Array(rows[250...]))
        #expect(!reader.wasTruncated)
    }
}

extension FileHandle {
    func appendTorn(_ text: String) throws {
        try seekToEnd()
        try write(contentsOf: Data(text.utf8))
        try close()
    }
}
