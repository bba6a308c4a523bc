import Foundation
import Testing
import PushCore

extension EndToEndTests {
    /// Scenario 2: a JSONL campaign whose rows bring their own payloads and override the header flags.
    @Suite("A JSONL campaign with per-row payloads and overrides")
    struct JSONLCampaign {
        /// The headers one request should carry, as the mock logs them (null = header absent).
        struct Headers: Equatable, CustomStringConvertible {
            var topic: JSONValue
            var pushType: JSONValue
            var priority: JSONValue
            var expiration: JSONValue
            var collapseID: JSONValue

            init(topic: JSONValue = .string("com.example.e2e"), pushType: JSONValue = .null, priority: JSONValue = .null,
                 expiration: JSONValue = .null, collapseID: JSONValue = .null) {
                self.topic = topic
                self.pushType = pushType
                self.priority = priority
                self.expiration = expiration
                self.collapseID = collapseID
            }

            init(logged: JSONObject) {
                self.init(topic: logged["topic"] ?? .null, pushType: logged["push_type"] ?? .null,
                          priority: logged["priority"] ?? .null, expiration: logged["expiration"] ?? .null,
                          collapseID: logged["collapse_id"] ?? .null)
            }

            var description: String { "topic \(topic), push_type \(pushType), priority \(priority), expiration \(expiration), collapse_id \(collapseID)" }
        }

        @Test("Each request carries exactly the row's headers and payload; bad lines are invalid with their line numbers")
        func overrides() throws {
            let fixture = try MockFixture()
            let t = (1...6).map { deviceToken("c0de", $0) }
            let ownID = "123E4567-E89B-12D3-A456-426614174000"
            let lines = [
                /* 1 */ #"{"token":"\#(t[0])","name":"Ann"}"#,
                /* 2 */ #"{"token":"\#(t[1])","payload":{"aps":{"alert":"own \"payload\""},"ids":[1,2.50,null]}}"#,
                /* 3 */ #"{"token":"\#(t[2])","payload":{"aps":{"content-available":1}},"priority":5,"push_type":"background","topic":"com.example.other","collapse_id":"group-1","apns_id":"\#(ownID)","expiration":1900000000}"#,
                /* 4 */ #"{"token":"\#(t[3])","name":"Cy","priority":"10","push_type":"alert","expiration":"0","collapse_id":""}"#,
                /* 5 */ "",
                /* 6 */ "[1,2,3]",
                /* 7 */ #"{"token":"\#(t[4])","name":"#,
                /* 8 */ #"{"token":"\#(t[5])"}"#,
                /* 9 */ #"{"token":"\#(t[0])","name":"Di","priority":7}"#,
            ]
            let input = try fixture.write("rows.jsonl", lines.joined(separator: "\n") + "\n")
            let template = try fixture.write("welcome.json", #"{"aps":{"alert":"Hi {{name}}"}}"#)
            let reportPath = fixture.path("report.jsonl")
            let result = try fixture.send(["--input", input, "--template", template, "--topic", MockFixture.topic,
                                           "--report", reportPath] + fixture.connection)
            let log = try fixture.stopMock()

            #expect(result.status == 1, "stderr:\n\(result.stderr)")
            let report = try ReportFile.rowsByLine(try ReportFile.rows(path: reportPath))
            #expect(report.keys.sorted() == [1, 2, 3, 4, 6, 7, 8, 9])

            // Sent rows: exactly these headers and payloads reached the server.
            let expected: [(line: Int, token: String, headers: Headers, payload: JSONValue)] = [
                (1, t[0], Headers(pushType: "alert"), ["aps": ["alert": "Hi Ann"]]),
                (2, t[1], Headers(pushType: "alert"), ["aps": ["alert": "own \"payload\""], "ids": [1, .number("2.50"), nil]]),
                (3, t[2], Headers(topic: "com.example.other", pushType: "background", priority: 5,
                                  expiration: 1900000000, collapseID: "group-1"), ["aps": ["content-available": 1]]),
                (4, t[3], Headers(pushType: "alert", priority: 10, expiration: 0), ["aps": ["alert": "Hi Cy"]]),
            ]
            #expect(log.tokens.sorted() == expected.map(\.token).sorted())
            for row in expected {
                let logged = try log.request(for: row.token)
                #expect(Headers(logged: logged) == row.headers, "line \(row.line)")
                #expect(logged["payload"] == row.payload, "line \(row.line)")
                let reported = try #require(report[row.line])
                #expect(reported.outcome == .delivered && reported.token == row.token, "line \(row.line)")
                #expect(reported.apnsID == logged["apns_id"]?.stringValue, "line \(row.line)")
            }
            // The row's own apns-id was sent (lowercased) and is the id the server answered with.
            #expect(try log.request(for: t[2])["apns_id"] == .string(ownID.lowercased()))
            #expect(report[3]?.apnsID == ownID.lowercased())
            #expect(isUUID(report[1]?.apnsID) && report[1]?.apnsID != report[2]?.apnsID)

            // Invalid lines, with the reason and the line they are on; never sent (t[4] and t[5] are not logged).
            #expect(report[6]?.outcome == .invalid)
            #expect(report[6]?.reason == "expected a JSON object, found an array")
            #expect(report[7]?.outcome == .invalid)
            #expect(report[7]?.reason == "unexpected end of input, expected a value at column \(lines[6].utf8.count + 1)")
            #expect(report[8]?.outcome == .invalid && report[8]?.token == t[5])
            #expect(report[8]?.reason == "template field 'name' is missing")
            #expect(report[9]?.outcome == .invalid && report[9]?.token == t[0])
            #expect(report[9]?.reason == "field 'priority': '7' is not 10, 5 or 1")
            for line in [6, 7, 8, 9] { #expect(report[line]?.attempts == 0 && report[line]?.status == nil) }
        }
    }
}
