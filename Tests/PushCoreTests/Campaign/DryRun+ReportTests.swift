import Foundation
import Testing
@testable import PushCore

@Suite("Dry run: every row checked, valid or invalid, nothing sent")
struct DryRunReportTests {
    static let template = try! PayloadTemplate(text: #"{"aps":{"alert":"Hi {{name}}"}}"#)

    static func plan(dryRun: Bool = true) -> RowPlan {
        RowPlan(preparer: RowPreparer(template: template, defaults: NotificationDefaults(topic: "com.example.app")),
                dryRun: dryRun)
    }

    @Test("The planner settles each row valid or invalid in a dry run, and sends otherwise")
    func planner() throws {
        var planner = RowPlanner(plan: Self.plan())
        var out: [PlannedRow] = []
        try planner.plan(csvRecord(line: 2, ["token": "AABB", "name": "Ann"]), into: &out)
        try planner.plan(csvRecord(line: 3, ["token": "AABB", "nom": "x"]), into: &out)
        try planner.plan(InputRecord(line: 4, content: .malformed("expected 2 fields, found 3")), into: &out)
        let rows = out.compactMap { if case .settle(let row) = $0 { return row } else { return nil } }
        #expect(rows.map(\.line) == [2, 3, 4])
        #expect(rows.map(\.outcome) == [.valid, .invalid, .invalid])
        #expect(rows.map(\.token) == ["aabb", "AABB", ""])
        #expect(rows.map(\.reason) == [nil, "template field 'name' is missing", "expected 2 fields, found 3"])

        var sending = RowPlanner(plan: Self.plan(dryRun: false))
        var sent: [PlannedRow] = []
        try sending.plan(csvRecord(line: 2, ["token": "AABB", "name": "Ann"]), into: &sent)
        guard case .send(let notification, _)? = sent.first else {
            Issue.record("expected a notification to send, got \(sent)")
            return
        }
        #expect(notification.token == "aabb")
        #expect(notification.topic == "com.example.app")
    }

    @Test("A dry run writes the report and the summary; exit 1 when a row is invalid")
    func wholeRun() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dryrun-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("report.csv").path

        let input = "token,name\naa01,Ann\n\nzz,Bob\nbb02,\"Cy\"\n"
        var reader = try CSVReader(source: BufferByteSource(input), name: "in.csv")
        let dryRun = DryRun(report: try ReportWriter(path: path, format: .csv),
                            summary: RunSummary(endpoint: Endpoint(host: "127.0.0.1", port: 1), startedAtMs: 0))
        let result = dryRun.run(reader: &reader, planner: RowPlanner(plan: Self.plan()))
        #expect(result.fatal == nil)
        #expect(result.exitStatus == 1)
        #expect(result.summary.count(.valid) == 2)
        #expect(result.summary.count(.invalid) == 1)
        #expect(result.summary.total == 3)   // the empty line is not a row
        #expect(result.summary.render().hasPrefix("apnsctl: dry run, nothing sent; checked in "))
        #expect(result.summary.render().contains("\nrows: 3 total, 2 valid, 1 invalid\n"))

        let rows = try ReportReader(path: path).readAll()
        #expect(rows.map(\.line) == [2, 4, 5])
        #expect(rows.map(\.outcome) == [.valid, .invalid, .valid])
        #expect(rows[1].reason == "field 'token': 'z' at position 1 is not a hex digit")
    }

    @Test("Every row valid: exit status 0")
    func allValid() throws {
        var reader = DeviceListReader(tokens: ["aa", "BB"])
        let writer = try ReportWriter(path: "/dev/null", format: .jsonl)
        let plan = RowPlan(preparer: RowPreparer(template: try PayloadTemplate(text: #"{"aps":{"badge":1}}"#),
                                                 defaults: NotificationDefaults(topic: "t")), dryRun: true)
        let result = DryRun(report: writer, summary: RunSummary(startedAtMs: 0)).run(reader: &reader, planner: RowPlanner(plan: plan))
        #expect(result.exitStatus == 0)
        #expect(result.summary.count(.valid) == 2)
    }
}
