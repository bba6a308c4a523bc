import Foundation
import Testing
import PushCore

extension EndToEndTests {
    /// Live Activities on device tokens, `{{$now}}`, durations as expirations, push types on every request, and the
    /// topic trip wire, against `apnsctl mock` (which checks Live Activity payloads like the client).
    @Suite("Live Activities and push types")
    struct LiveActivities {
        static let laTopic = MockFixture.topic + ".push-type.liveactivity"

        /// The payload's `aps` of a logged request.
        static func aps(_ logged: JSONObject) -> JSONObject? { logged["payload"]?.objectValue?["aps"]?.objectValue }

        /// Seconds of the request's arrival at the mock.
        static func arrival(_ logged: JSONObject) -> Int { (logged["time_ms"]?.intValue ?? 0) / 1000 }

        @Test("A start, updates with {{$now}} (a retried row gets the time of its retry) and an end on device tokens")
        func startUpdateEnd() throws {
            // Token b's first request is answered 503: it is sent again, later.
            let fixture = try MockFixture(respond: ["dead=503:ServiceUnavailable:1"])
            let a = deviceToken("1a", 1), b = deviceToken("dead", 2)
            let testStart = Int(Date().timeIntervalSince1970)

            let start = try fixture.write("start.json", #"{"aps":{"event":"start","timestamp":{{$now}},"#
                + #""alert":{"title":"Kick-off","body":"{{home}} v {{away}}"},"attributes-type":"MatchAttributes","#
                + #""attributes":{"home":"{{home}}","away":"{{away}}"},"content-state":{"home":0,"away":0},"#
                + #""stale-date":{{$now+15m}},"input-push-token":1}}"#)
            let startRows = try fixture.write("start.csv", "token,home,away\n\(a),Lions,Bears\n")
            let started = try fixture.send(["--input", startRows, "--template", start, "--topic", MockFixture.topic,
                                             "--report", fixture.path("start.jsonl")] + fixture.connection)
            #expect(started.status == 0, "stderr:\n\(started.stderr)")

            let update = try fixture.write("update.json", #"{"aps":{"event":"update","timestamp":{{$now}},"#
                + #""content-state":{"home":{{home}},"away":{{away}}},"stale-date":{{$now+15m}}}}"#)
            let updateRows = try fixture.write("update.csv", "token,home,away\n\(a),1,0\n\(b),2,2\n")
            let updated = try fixture.send(["--input", updateRows, "--template", update, "--topic", MockFixture.topic,
                                             "--priority", "5", "--report", fixture.path("update.jsonl")] + fixture.connection)
            #expect(updated.status == 0, "stderr:\n\(updated.stderr)")

            let end = try fixture.write("end.json", #"{"aps":{"event":"end","timestamp":{{$now}},"dismissal-date":{{$now+1h}}}}"#)
            let ended = try fixture.send(["--device", a, "--device", b, "--template", end, "--topic", MockFixture.topic,
                                          "--expiration", "1h"] + fixture.connection)
            #expect(ended.status == 0, "stderr:\n\(ended.stderr)")
            #expect(ended.stderr.components(separatedBy: "2 Live Activity end events have no content-state").count == 2,
                    "one warning for the run, with the count:\n\(ended.stderr)")
            let testEnd = Int(Date().timeIntervalSince1970)
            let log = try fixture.stopMock()

            // Every request: the inferred push type, the topic with its suffix, the time of its own sending.
            #expect(log.requests.count == 6)   // start a; update a, b, b again; end a, b
            for logged in log.requests {
                #expect(logged["push_type"] == "liveactivity" && logged["topic"] == .string(Self.laTopic))
                let aps = try #require(Self.aps(logged))
                let timestamp = try #require(aps["timestamp"]?.intValue)
                #expect(abs(timestamp - Self.arrival(logged)) <= 2, "the time it was sent: \(logged)")
                #expect(timestamp >= testStart - 1 && timestamp <= testEnd + 1)
                if let stale = aps["stale-date"]?.intValue { #expect(stale == timestamp + 900) }
            }
            let startLogged = try #require(log.requests.first)
            #expect(Self.aps(startLogged)?["event"] == "start" && Self.aps(startLogged)?["attributes"] == ["home": "Lions", "away": "Bears"])

            // The retried update: answered 503, then sent again with a timestamp of its own, never earlier.
            let forB = log.requests.filter { $0["token"]?.stringValue == b && Self.aps($0)?["event"] == "update" }
            try #require(forB.count == 2)
            #expect(forB[0]["status"]?.intValue == 503 && forB[1]["status"]?.intValue == 200)
            let first = try #require(Self.aps(forB[0])?["timestamp"]?.intValue)
            let retry = try #require(Self.aps(forB[1])?["timestamp"]?.intValue)
            #expect(retry >= first)
            #expect(retry - first >= Self.arrival(forB[1]) - Self.arrival(forB[0]) - 2,
                    "the retry carries the time of its retry, not of the first rendering")
            let updateReport = try ReportFile.rowsByLine(try ReportFile.rows(path: fixture.path("update.jsonl")))
            #expect(updateReport[3]?.attempts == 2 && updateReport[3]?.outcome == .delivered)

            // The end: no content-state, dismissal an hour on, and an expiration an hour after each send.
            for logged in log.requests where Self.aps(logged)?["event"] == "end" {
                let aps = try #require(Self.aps(logged))
                #expect(aps["content-state"] == nil)
                let timestamp = try #require(aps["timestamp"]?.intValue)
                #expect(aps["dismissal-date"]?.intValue == timestamp + 3600)
                let expiration = try #require(logged["expiration"]?.intValue)
                #expect(abs(expiration - (Self.arrival(logged) + 3600)) <= 2)
            }
        }

        /// One row per rule: its JSONL fields beside the token, and the report's reason (nil: valid).
        static let checks: [(fields: String, reason: String?)] = [
            (#""payload":{"aps":{"event":"update","timestamp":1767225600,"content-state":{"home":1,"away":0}}}"#, nil),
            (#""push_type":"liveactivity","payload":{"aps":{"event":"end","timestamp":1767225600}}"#, nil),
            (#""payload":{"aps":{"event":"pause","timestamp":1}}"#,
             #"field 'payload': aps.event: '"pause"' is not start, update or end"#),
            (#""payload":{"aps":{"event":"update","timestamp":"now","content-state":{}}}"#,
             #"field 'payload': aps.timestamp: '"now"' is not an integer (UNIX seconds)"#),
            (#""payload":{"aps":{"event":"update","timestamp":1}}"#,
             "field 'payload': aps.content-state: missing; update needs the activity's ContentState as an object"),
            (#""payload":{"aps":{"event":"update","timestamp":1,"content-state":[]}}"#,
             "field 'payload': aps.content-state: must be an object (the app's ContentState), found an array"),
            (#""payload":{"aps":{"event":"start","timestamp":1,"content-state":{"home":0,"away":0},"alert":"a","attributes":{}}}"#,
             "field 'payload': aps.attributes-type: missing; a start event names its ActivityAttributes type"),
            (#""payload":{"aps":{"event":"start","timestamp":1,"content-state":{"home":0,"away":0},"alert":"a","attributes-type":"M","attributes":{},"input-push-token":1,"input-push-channel":"c"}}"#,
             "field 'payload': aps.input-push-token: give input-push-token or input-push-channel, not both"),
            (#""payload":{"aps":{"event":"end","timestamp":1,"stale-date":"later"}}"#,
             #"field 'payload': aps.stale-date: '"later"' is not an integer (UNIX seconds)"#),
            (#""payload":{"aps":{"event":"end","timestamp":1,"relevance-score":"high"}}"#,
             #"field 'payload': aps.relevance-score: '"high"' is not a number"#),
            (#""priority":1,"payload":{"aps":{"event":"end","timestamp":1}}"#,
             "push type liveactivity takes priority 5 or 10, found 1; set --priority 5 or 10 or the row's priority field"),
            (#""payload":{"aps":{"event":"update","timestamp":1,"content-state":{"home":"1","away":0}}}"#,
             #"field 'payload': aps.content-state: key 'home' is a string ('"1"'); the app's ContentState decodes an integer"#),
            (#""payload":{"aps":{"event":"update","timestamp":1,"content-state":{"away":0}}}"#,
             "field 'payload': aps.content-state: key 'home' is missing; the app's ContentState needs an integer"),
            (#""push_type":"widgets","payload":{"aps":{"alert":"a"}}"#,
             "push type widgets needs \"content-changed\": true in the 'aps' dictionary"),
            (#""push_type":"location","priority":1,"payload":{"aps":{}}"#,
             "push type location takes priority 5 or 10, found 1; set --priority 5 or 10 or the row's priority field"),
            (#""expiration":3600,"payload":{"aps":{"alert":"a"}}"#,
             "field 'expiration': '3600' looks like a number of seconds, but apns-expiration is a UNIX time; write a "
                + "duration such as 1h (from when the push is sent), an RFC 3339 time or a UNIX time"),
            (#""expiration":"2020-01-01T00:00:00Z","payload":{"aps":{"alert":"a"}}"#,
             "field 'expiration': '2020-01-01T00:00:00Z' is in the past (2020-01-01T00:00:00.000Z); APNs would not "
                + "store it: give a later time, a duration such as 1h, or 0 to try once"),
            (#""expiration":"45m","payload":{"aps":{"content-available":1}}"#, nil),
        ]

        @Test("check: every local rule on its own row, named in the report; the push type shown")
        func localChecks() throws {
            let fixture = try MockFixture()
            let lines = Self.checks.enumerated().map { "{\"token\":\"\(deviceToken("c4", $0.offset + 1))\",\($0.element.fields)}" }
            let input = try fixture.write("rows.jsonl", lines.joined(separator: "\n") + "\n")
            let schema = try fixture.write("state.json", #"{"home":"integer","away":"integer","note":"string?"}"#)
            let reportPath = fixture.path("check.jsonl")
            let result = try ChildProcess(try BinarySmokeTests.binary(),
                                          ["check", "--input", input, "--topic", MockFixture.topic, "--content-state-schema",
                                           schema, "--report", reportPath], name: "check", directory: fixture.directory)
                .wait(seconds: MockFixture.sendTimeLimit)
            _ = try fixture.stopMock()

            #expect(result.status == 1, "stderr:\n\(result.stderr)")
            let report = try ReportFile.rowsByLine(try ReportFile.rows(path: reportPath))
            #expect(report.count == Self.checks.count)
            for (index, check) in Self.checks.enumerated() {
                let row = try #require(report[index + 1])
                #expect(row.outcome == (check.reason == nil ? .valid : .invalid), "line \(index + 1): \(row.reason ?? "")")
                #expect(row.reason == check.reason, "line \(index + 1)")
            }
            #expect(result.stderr.contains("1 Live Activity end event has no content-state"))

            // The push type a template gives is worked out once and shown by check.
            let typed = try ChildProcess(try BinarySmokeTests.binary(),
                                         ["check", "--device", deviceToken("c4", 99), "--topic", MockFixture.topic, "--payload",
                                          #"{"aps":{"event":"end","timestamp":{{$now}},"content-state":{}}}"#],
                                         name: "check", directory: fixture.directory).wait(seconds: MockFixture.sendTimeLimit)
            #expect(typed.status == 0, "stderr:\n\(typed.stderr)")
            #expect(typed.stderr.contains("push type: liveactivity (inferred from --payload)\n"))
        }

        @Test("The push type is inferred from each payload and sent on every request (-vv shows it, the report has it); none fits: invalid")
        func inferredOnEveryRequest() throws {
            let fixture = try MockFixture()
            let t = (1...6).map { deviceToken("7e", $0) }
            let rows = [
                #"{"token":"\#(t[0])","payload":{"aps":{"alert":"hi"}}}"#,
                #"{"token":"\#(t[1])","payload":{"aps":{"sound":"default"}}}"#,
                #"{"token":"\#(t[2])","payload":{"aps":{"content-available":1},"sync":1}}"#,
                #"{"token":"\#(t[3])","payload":{"aps":{"event":"end","timestamp":1767225600,"content-state":{}}}}"#,
                #"{"token":"\#(t[4])","payload":{"aps":{},"data":1}}"#,
                #"{"token":"\#(t[5])","push_type":"alert","payload":{"aps":{},"data":1}}"#,
            ]
            let input = try fixture.write("rows.jsonl", rows.joined(separator: "\n") + "\n")
            let result = try fixture.send(["--input", input, "--topic", MockFixture.topic, "--report",
                                           fixture.path("r.jsonl"), "-vv"] + fixture.connection)
            let log = try fixture.stopMock()

            #expect(result.status == 1, "stderr:\n\(result.stderr)")
            let expected: [(type: String, topic: String, priority: JSONValue)?] = [
                ("alert", MockFixture.topic, .null), ("alert", MockFixture.topic, .null), ("background", MockFixture.topic, 5),
                ("liveactivity", Self.laTopic, .null), nil, ("alert", MockFixture.topic, .null),
            ]
            let report = try ReportReader(path: fixture.path("r.jsonl")).readAll()
            for (token, want) in zip(t, expected) {
                let row = try #require(report.first { $0.token == token })
                #expect(row.pushType?.rawValue == want?.type, "\(token)")
                guard let want else {
                    #expect(row.outcome == .invalid && !log.tokens.contains(token), "\(token)")
                    #expect(row.reason == "field 'payload' fits no push type ('aps' has no alert, sound, badge, "
                        + "content-available or event): set --push-type (alert, background, complication, controls, "
                        + "fileprovider, liveactivity, location, mdm, pushtotalk, voip, widgets) or give the rows a "
                        + "'push_type' field")
                    continue
                }
                let logged = try log.request(for: token)
                #expect(logged["push_type"] == .string(want.type), "\(token)")
                #expect(logged["topic"] == .string(want.topic) && logged["priority"] == want.priority, "\(token)")
            }
            #expect(result.stderr.contains("> apns-push-type: background"))
        }

        @Test("Every one of the first 20 answers TopicDisallowed: the run stops (exit 3) naming the topic")
        func topicTripWire() throws {
            let fixture = try MockFixture(respond: ["70bc=400:TopicDisallowed"])
            let tokens = (1...40).map { deviceToken("70bc", $0) }
            let input = try fixture.write("in.csv", "token\n" + tokens.map { "\($0)\n" }.joined())
            let reportPath = fixture.path("r.jsonl")
            let result = try fixture.send(["--input", input, "--payload", #"{"aps":{"event":"update","timestamp":{{$now}},"#
                + #""content-state":{}}}"#, "--topic", MockFixture.topic, "--report", reportPath, "--concurrency", "1"]
                + fixture.connection)
            _ = try fixture.stopMock()

            #expect(result.status == 3, "stderr:\n\(result.stderr)")
            #expect(result.stderr.contains("stopped early: APNs refused each of the first 20 requests (20 TopicDisallowed)"))
            #expect(result.stderr.contains("'\(Self.laTopic)'"))
            #expect(result.stderr.contains("--resume"))
            let rows = try ReportFile.rows(path: reportPath)
            #expect(!rows.contains { $0.reason == "TopicDisallowed" }, "rows answered so are left for --resume")
        }
    }
}
