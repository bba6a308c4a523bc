import Foundation
import Testing
import PushCore

extension EndToEndTests {
    /// Every broadcast and management reason through the built binary: per row, stopping the run, or stopping
    /// creation; and the rows refused before anything is sent.
    @Suite("Broadcast and channel reasons")
    struct BroadcastReasons {
        static let update = #"{"aps":{"timestamp":1700000000,"event":"{{event}}","content-state":{}}}"#

        /// A broadcast input row: a made-up channel id (the mock's rules answer before the channel is looked up).
        struct RowCase: Sendable {
            var channel: String
            var reason: String
            var status: Int
        }

        static let perRow: [RowCase] = [
            RowCase(channel: "bad!", reason: "BadChannelId", status: 400),          // not base64: the mock's own check
            RowCase(channel: "Z29uZQ==", reason: "ChannelNotRegistered", status: 400),   // no such channel
            RowCase(channel: "RVhQaXJl", reason: "BadExpirationDate", status: 400),
            RowCase(channel: "VE9QaWM=", reason: "TopicDisallowed", status: 400),
            RowCase(channel: "QklHYmln", reason: "PayloadTooLarge", status: 413),
            RowCase(channel: "UFJJb3Jp", reason: "BadPriority", status: 400),
            RowCase(channel: "UEFZbG9h", reason: "BadRequestPayload", status: 400),
        ]

        @Test("broadcast reasons are per row; a 429 is retried")
        func broadcastPerRow() throws {
            let mock = try ChannelMock(["--respond-channel", "RVhQ=400:BadExpirationDate",
                                        "--respond-channel", "VE9Q=400:TopicDisallowed",
                                        "--respond-channel", "QklH=413:PayloadTooLarge",
                                        "--respond-channel", "UFJJ=400:BadPriority",
                                        "--respond-channel", "UEFZ=400:BadRequestPayload",
                                        "--respond-channel", "QlVTWQ=429:TooManyRequests:1"])
            let input = try mock.fixture.write("rows.csv", "channel_id,event\n"
                + Self.perRow.map { "\($0.channel),update\n" }.joined() + "QlVTWQ==,update\n")
            let report = mock.fixture.path("report.jsonl")
            let result = try mock.broadcast(["--input", input, "--payload", Self.update, "--report", report,
                                             "--retries", "2"])
            #expect(result.status == 1, "\(result.stderr)")
            let byLine = try ReportFile.rowsByLine(try ReportReader(path: report).readAll())
            for (index, expected) in Self.perRow.enumerated() {
                let row = try #require(byLine[index + 2])
                #expect(row.token == expected.channel && row.outcome == .rejected, "\(expected.reason)")
                #expect(row.reason == expected.reason && row.status == expected.status)
            }
            let busy = try #require(byLine[Self.perRow.count + 2])
            #expect(busy.attempts == 2 && busy.reason == "ChannelNotRegistered", "429 once, then the store's answer")
            let stats = try mock.stop()
            #expect(stats["broadcasts_rejected"]?.intValue == Self.perRow.count + 2)
        }

        @Test("configuration reasons stop the run with exit 3 and what to enable where", arguments: [
            (["--broadcast-disabled"], "broadcast", "Broadcast Capability"),
            (["--broadcast-disabled"], "create", "Broadcast Capability"),
            (["--respond-manage", "list=403:TopicMismatch"], "list", "TopicMismatch"),
            (["--respond-manage", "read=403:InvalidProviderToken"], "read", "InvalidProviderToken"),
        ])
        func configurationStops(switches: [String], command: String, expected: String) throws {
            let mock = try ChannelMock(switches)
            let input = try mock.fixture.write("rows.csv", "channel_id,event\nYWJjZA==,update\nZWZnaA==,update\n")
            let result: ChildProcess.Result
            switch command {
            case "broadcast":
                result = try mock.broadcast(["--input", input, "--payload", Self.update,
                                             "--report", mock.fixture.path("r.jsonl")])
            case "read":
                result = try mock.channel("read", ["--input", input])
            default:
                result = try mock.channel(command, [])
            }
            #expect(result.status == 3, "\(result.stderr)")
            #expect(result.stderr.contains(expected), "\(result.stderr)")
            _ = try mock.stop()
        }

        @Test("the channel limit stops creating: the channels made are written, exit 1")
        func channelLimit() throws {
            let mock = try ChannelMock(["--channel-limit", "5"])
            let result = try mock.channel("create", ["--count", "8", "--concurrency", "1",
                                                     "--output", mock.fixture.path("c.jsonl")])
            #expect(result.status == 1, "\(result.stderr)")
            #expect(result.stderr.contains("CannotCreateChannelConfig"))
            let rows = try ChannelOutput.rows(mock.fixture.path("c.jsonl"))
            #expect(rows.count == 5 && rows.allSatisfy { $0["outcome"]?.stringValue == "created" })
            let stats = try mock.stop()
            #expect(stats["channels_created"]?.intValue == 5)
        }

        @Test("management reasons per row: read of an unknown channel, a 500 retried on create")
        func managementPerRow() throws {
            let mock = try ChannelMock(["--respond-manage", "create=500:InternalServerError:1"])
            let created = try mock.create(1, output: "c.jsonl")
            #expect(created.count == 1, "the 500 was retried")
            let read = try mock.channel("read", ["--channel-id", "bm9uZQ=="])
            #expect(read.status == 1)
            let row = try #require(try ChannelOutput.rows(jsonl: read.stdout).first)
            #expect(row["reason"]?.stringValue == "ChannelNotRegistered" && row["outcome"]?.stringValue == "rejected")
            _ = try mock.stop()
        }

        @Test("refused before sending: event start, expiration on a no-storage channel, size, bundle suffix")
        func localChecks() throws {
            let mock = try ChannelMock()
            let big = String(repeating: "x", count: 5200)
            let input = try mock.fixture.write("rows.csv", """
                channel_id,event,storage_policy,expiration,topic,pad
                YWFhYQ==,start,,,,
                YmJiYg==,update,0,1900000000,,
                Y2NjYw==,update,,,,\(big)
                ZGRkZA==,update,,,com.example.e2e.push-type.liveactivity,

                """)
            let report = mock.fixture.path("report.jsonl")
            let payload = #"{"aps":{"timestamp":1,"event":"{{event}}","content-state":{}},"pad":"{{pad}}"}"#
            let result = try mock.broadcast(["--input", input, "--payload", payload, "--report", report])
            #expect(result.status == 1, "\(result.stderr)")
            let rows = try ReportReader(path: report).readAll().sorted { $0.line < $1.line }
            #expect(rows.map(\.outcome) == [.invalid, .invalid, .invalid, .invalid])
            #expect(rows[0].reason?.contains("cannot be broadcast") == true)
            #expect(rows[1].reason?.contains("storage policy 0") == true)
            #expect(rows[2].reason?.contains("5120") == true)
            #expect(rows[3].reason?.contains("push-type suffix") == true)
            let suffixed = try mock.start(["broadcast", "--bundle-id", "com.example.e2e.voip", "--input", input,
                                           "--payload", payload, "--report", report, "--force",
                                           "--endpoint", "127.0.0.1:\(mock.fixture.port)"] + mock.credentials,
                                          name: "suffixed").wait(seconds: MockFixture.sendTimeLimit)
            #expect(suffixed.status == 2 && suffixed.stderr.contains("push-type suffix"))
            let stats = try mock.stop()
            #expect(stats["broadcasts_accepted"]?.intValue == 0 && stats["broadcasts_rejected"]?.intValue == 0,
                    "nothing reached the server")
        }

        @Test("an interrupted broadcast resumes: every channel once in the report, none broadcast twice")
        func resume() throws {
            let mock = try ChannelMock()
            let channels = try mock.create(60, output: "c.jsonl")
            let input = try mock.fixture.write("in.csv", "channel_id,event\n" + channels.map { "\($0),update\n" }.joined())
            let report = mock.fixture.path("report.jsonl")
            let arguments = ["broadcast", "--bundle-id", MockFixture.topic, "--endpoint", "127.0.0.1:\(mock.fixture.port)"]
                + mock.credentials + ["--input", input, "--payload", Self.update, "--report", report, "--resume"]
            // 4 a second: 15 s for the whole input, room for a slow (sanitizer) build to see 5 rows and stop it.
            let first = try mock.start(arguments + ["--rate", "4"], name: "first")
            let deadline = Date().addingTimeInterval(TestTime.seconds(30))
            while Date() < deadline && first.isRunning
                && ((try? String(contentsOfFile: report, encoding: .utf8))?.split(separator: "\n").count ?? 0) < 5 {
                usleep(20_000)
            }
            first.signal(SIGINT)
            let stopped = try first.wait(seconds: 60)
            #expect(stopped.status == 130, "\(stopped.stderr)")
            let before = try ReportReader(path: report).readAll().count
            #expect(before >= 5 && before < 60, "stopped after \(before) rows")
            let second = try mock.start(arguments, name: "second").wait(seconds: MockFixture.sendTimeLimit)
            #expect(second.status == 0, "\(second.stderr)")
            let rows = try ReportReader(path: report).readAll()
            #expect(rows.count == 60 && Set(rows.map(\.line)).count == 60)
            #expect(rows.allSatisfy { $0.outcome == .delivered } && Set(rows.map(\.token)) == Set(channels))
            let stats = try mock.stop()
            #expect(stats["broadcasts_accepted"]?.intValue == 60, "no channel broadcast twice")
        }
    }
}
