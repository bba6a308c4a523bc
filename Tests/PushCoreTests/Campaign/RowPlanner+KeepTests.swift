import Foundation
import Testing
@testable import PushCore

@Suite("--keep: input fields copied into every report row")
struct RowPlannerKeepTests {
    static let template = try! PayloadTemplate(text: #"{"aps":{"alert":"{{name}}"}}"#)

    static func planner(dryRun: Bool) -> RowPlanner {
        RowPlanner(plan: RowPlan(preparer: RowPreparer(template: template, defaults: NotificationDefaults(topic: "t")),
                                 dryRun: dryRun, keep: ["uid", "meta", "name"]))
    }

    @Test("JSONL values keep their type; objects become JSON text; absent and null are nil")
    func jsonlValues() throws {
        var planner = Self.planner(dryRun: true)
        var out: [PlannedRow] = []
        try planner.plan(try jsonlRow(#"{"token":"aa","uid":7,"meta":{"a":[1,true]},"name":"Ann"}"#), into: &out)
        try planner.plan(try jsonlRow(#"{"token":"zz","uid":"u-2","meta":null}"#), into: &out)
        try planner.plan(InputRecord(line: 3, content: .malformed("bad")), into: &out)
        let kept = out.map { row -> [KeptValue?] in
            if case .settle(let r) = row { return r.kept }
            return []
        }
        #expect(kept == [
            [.literal("7"), .text(#"{"a":[1,true]}"#), .text("Ann")],
            [.text("u-2"), nil, nil],
            [nil, nil, nil],
        ])
    }

    @Test("Rows to send carry their kept values to the sink, which puts them on the settled row")
    func sendRowsThroughTheSink() throws {
        var planner = Self.planner(dryRun: false)
        var out: [PlannedRow] = []
        try planner.plan(csvRecord(line: 5, ["token": "aa", "uid": "42", "name": "Bo"]), into: &out)
        guard case .send(let notification, let kept)? = out.first else {
            Issue.record("expected a row to send, got \(out)")
            return
        }
        #expect(kept == [.text("42"), nil, .text("Bo")])

        let directory = try TemporaryDirectory()
        let path = directory.url.appendingPathComponent("r.csv").path
        let writer = try ReportWriter(path: path, format: .csv, keptFields: ["uid", "meta", "name"])
        let sink = ReportSink(writer: writer, summary: RunSummary(startedAtMs: 0), control: RunControl())
        sink.remember(line: notification.line, kept: kept)
        sink.settle([ReportRow(line: 5, token: "aa", outcome: .delivered, status: 200, attempts: 1, finishedAtMs: 0,
                               pushType: .alert),
                     ReportRow(line: 6, token: "bb", outcome: .failed, reason: "Timeout", attempts: 1, finishedAtMs: 0)])
        sink.close()
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text == """
            line,token,outcome,status,reason,apns_id,apns_unique_id,unregistered_at,attempts,latency_ms,finished_at,push_type,uid,meta,name
            5,aa,delivered,200,,,,,1,,1970-01-01T00:00:00.000Z,alert,42,,Bo
            6,bb,failed,,Timeout,,,,1,,1970-01-01T00:00:00.000Z,,,,

            """)
        let reader = try ReportReader(path: path)
        let rows = try reader.readAll()
        #expect(reader.keptFields == ["uid", "meta", "name"])
        #expect(rows.map(\.kept) == [[.text("42"), nil, .text("Bo")], [nil, nil, nil]])
        #expect(rows.map(\.pushType) == [.alert, nil])
    }

    @Test("JSONL report lines end with the kept keys, values typed as in the input")
    func jsonlEncoding() throws {
        var row = ReportRow(line: 1, token: "aa", outcome: .valid, finishedAtMs: 0)
        row.kept = [.literal("7"), .text("say \"hi\""), nil]
        var bytes: [UInt8] = []
        ReportRowEncoding.appendJSONLine(row, kept: ["uid", "note", "gone"], to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self).hasSuffix(#""finished_at":"1970-01-01T00:00:00.000Z","push_type":null,"uid":7,"note":"say \"hi\"","gone":null}"# + "\n"))
        let reader = ReportReader(bytes: bytes, format: .jsonl)
        #expect(try reader.readAll().map(\.kept) == [[.literal("7"), .text("say \"hi\""), nil]])
        #expect(reader.keptFields == ["uid", "note", "gone"])
    }
}
