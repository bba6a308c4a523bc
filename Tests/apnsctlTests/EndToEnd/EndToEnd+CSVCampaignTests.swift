import Foundation
import Testing
import PushCore

extension EndToEndTests {
    /// Scenario 1: a templated CSV campaign with accepted, 400, 410 and invalid rows.
    @Suite("A CSV campaign with a template")
    struct CSVCampaign {
        static let template = #"{"aps":{"alert":{"title":"Order {{order}}","body":"Hi {{name}}"},"badge":{{badge}}},"order":"{{order}}"}"#

        /// One input record as written, and what the test expects of it.
        struct Row {
            enum Expect {
                /// Delivered (or rejected by the mock's rules) with this rendered payload.
                case sent(payload: JSONValue)
                /// Never sent; reported with this reason.
                case invalid(reason: String)
            }
            var raw: String
            /// The token the report names (for malformed rows: empty).
            var reportToken: String
            var expect: Expect
            /// 1-based line where the record starts, from the file as written.
            var line = 0
        }

        static func payload(order: String, name: String, badge: JSONValue) -> JSONValue {
            ["aps": ["alert": ["title": .string("Order \(order)"), "body": .string("Hi \(name)")], "badge": badge],
             "order": .string(order)]
        }

        /// The rows, and the file text with each row's line number computed from what was written (the quoted
        /// name spans two lines; a blank line is skipped by the reader but still counts).
        static func campaign() -> (rows: [Row], csv: String) {
            let quotedName = "Smith, \"J\" \\ back\nslash"
            let longName = String(repeating: "x", count: 4100)
            let oversized = Array(#"{"aps":{"alert":{"title":"Order A-8","body":"Hi \#(longName)"},"badge":8},"order":"A-8"}"#.utf8)
            var rows: [Row] = [
                Row(raw: "\(deviceToken("ab12", 1)),Ann,A-1,1", reportToken: deviceToken("ab12", 1),
                    expect: .sent(payload: payload(order: "A-1", name: "Ann", badge: 1))),
                Row(raw: "\(deviceToken("AB12", 2)),\"Smith, \"\"J\"\" \\ back\nslash\",A-2,2", reportToken: deviceToken("ab12", 2),
                    expect: .sent(payload: payload(order: "A-2", name: quotedName, badge: 2))),
                Row(raw: "", reportToken: "", expect: .invalid(reason: "blank line: never a row")),
                Row(raw: "\(deviceToken("0bad", 3)),Bob,A-3,3", reportToken: deviceToken("0bad", 3),
                    expect: .sent(payload: payload(order: "A-3", name: "Bob", badge: 3))),
                Row(raw: "\(deviceToken("dead", 4)),Cy,A-4,null", reportToken: deviceToken("dead", 4),
                    expect: .sent(payload: payload(order: "A-4", name: "Cy", badge: nil))),
                Row(raw: "nothex,Dee,A-5,5", reportToken: "nothex",
                    expect: .invalid(reason: "field 'token': 'n' at position 1 is not a hex digit")),
                Row(raw: "<ab12 cd34>,Ed,A-6,6", reportToken: "<ab12 cd34>",
                    expect: .invalid(reason: "field 'token': contains spaces or angle brackets; give only the hex digits (e.g. 'abcdef01', not '<abcd ef01>')")),
                Row(raw: "\(deviceToken("ab12", 7)),Eve,A-7,", reportToken: deviceToken("ab12", 7),
                    expect: .invalid(reason: "template field 'badge' must be a JSON number, true, false or null (found '')")),
                Row(raw: "\(deviceToken("ab12", 8)),\(longName),A-8,8", reportToken: deviceToken("ab12", 8),
                    expect: .invalid(reason: "payload is \(oversized.count) bytes, over the 4096-byte limit for alert")),
                Row(raw: "\(deviceToken("ab12", 9)),Fay", reportToken: "",
                    expect: .invalid(reason: "expected 4 fields, found 2")),
                Row(raw: "\(deviceToken("ab12", 10)),\"Zoë 😀, \"\"the\"\" last\",A-10,true", reportToken: deviceToken("ab12", 10),
                    expect: .sent(payload: payload(order: "A-10", name: "Zoë 😀, \"the\" last", badge: true))),
            ]
            var text = "token,name,order,badge\n"
            var line = 2
            for i in rows.indices {
                rows[i].line = line
                text += rows[i].raw + "\n"
                line += rows[i].raw.filter { $0 == "\n" }.count + 1
            }
            return (rows.filter { !$0.raw.isEmpty }, text)
        }

        @Test("Exit 1; one report row per input row, keyed by line; each sent token logged once with its payload")
        func campaignReport() throws {
            let fixture = try MockFixture(respond: ["0bad=400:BadDeviceToken", "dead=410:Unregistered"])
            let (rows, csv) = Self.campaign()
            let input = try fixture.write("recipients.csv", csv)
            let template = try fixture.write("payload.json", Self.template)
            let reportPath = fixture.path("report.jsonl")
            let startedMs = Clock.wallMilliseconds()
            let result = try fixture.send(["--input", input, "--template", template, "--topic", MockFixture.topic,
                                           "--report", reportPath] + fixture.connection)
            let endedMs = Clock.wallMilliseconds()
            let log = try fixture.stopMock()

            #expect(result.status == 1, "stderr:\n\(result.stderr)")
            #expect(result.stderr.contains("rows: 10 total, 3 delivered, 2 rejected, 0 failed, 5 invalid\n"))
            // The line numbers follow the file: the quoted name spans lines 3-4, line 5 is blank.
            #expect(rows.map(\.line) == [2, 3, 6, 7, 8, 9, 10, 11, 12, 13])

            let reportText = try String(contentsOfFile: reportPath, encoding: .utf8)
            let report = try ReportFile.rowsByLine(try ReportFile.rows(path: reportPath))
            #expect(report.keys.sorted() == rows.map(\.line))
            let finishedTexts = Dictionary(uniqueKeysWithValues: try ReportFile.objects(jsonl: reportText).compactMap { object in
                object["line"]?.intValue.map { ($0, object["finished_at"]?.stringValue ?? "") }
            })

            for row in rows {
                let reported = try #require(report[row.line], "no report row for line \(row.line)")
                #expect(reported.token == row.reportToken, "line \(row.line)")
                // finished_at is RFC 3339 UTC text within the run.
                let finishedText = finishedTexts[row.line] ?? ""
                #expect(finishedText.hasSuffix("Z") && RFC3339.parse(finishedText) == reported.finishedAtMs,
                        "line \(row.line): finished_at '\(finishedText)'")
                #expect(reported.finishedAtMs >= startedMs - 1000 && reported.finishedAtMs <= endedMs + 1000)

                switch row.expect {
                case .invalid(let reason):
                    #expect(reported.outcome == .invalid, "line \(row.line)")
                    #expect(reported.reason == reason, "line \(row.line)")
                    #expect(reported.status == nil && reported.apnsID == nil && reported.attempts == 0
                            && reported.latencyMs == nil, "line \(row.line) was never sent")
                case .sent(let payload):
                    let logged = try log.request(for: row.reportToken)
                    #expect(logged["payload"] == payload, "line \(row.line): the mock received the rendered payload")
                    #expect(logged["topic"] == .string(MockFixture.topic))
                    #expect(logged["push_type"] == "alert" && logged["priority"] == .null && logged["collapse_id"] == .null)
                    #expect(reported.apnsID != nil && reported.apnsID == logged["apns_id"]?.stringValue,
                            "line \(row.line): the report's apns_id is the one the server answered")
                    #expect(isUUID(reported.apnsID))
                    #expect(reported.attempts == 1)
                    #expect((reported.latencyMs ?? -1) >= 0)
                    #expect(logged["status"]?.intValue == reported.status)
                    switch row.reportToken.prefix(4) {
                    case "0bad":
                        #expect(reported.outcome == .rejected && reported.status == 400 && reported.reason == "BadDeviceToken")
                        #expect(reported.unregisteredAt == nil)
                    case "dead":
                        #expect(reported.outcome == .rejected && reported.status == 410 && reported.reason == "Unregistered")
                        let at = try #require(reported.unregisteredAt, "a 410 row has unregistered_at")
                        #expect(at >= startedMs - 1000 && at <= endedMs + 1000)
                    default:
                        #expect(reported.outcome == .delivered && reported.status == 200 && reported.reason == nil)
                        #expect(isUUID(reported.apnsUniqueID))
                        #expect(reported.unregisteredAt == nil)
                    }
                }
            }

            // Each sent token exactly once; invalid rows never reached the server.
            let sent = rows.filter { if case .sent = $0.expect { return true } else { return false } }.map(\.reportToken)
            #expect(log.tokens.sorted() == sent.sorted())
            #expect(log.requests.count == 5)
            // The request log never holds the provider token (a JWT starts with eyJ, base64url of '{"').
            #expect(!log.text.contains("eyJ") && !log.text.lowercased().contains("bearer"))
            #expect(!reportText.contains("eyJ") && !result.stderr.contains("eyJ"))
        }
    }
}
