import Foundation
import Testing
import PushCore

extension EndToEndTests {
    /// `apnsctl channel` and `apnsctl broadcast` against the mock's channel emulation, over TLS on 127.0.0.1.
    @Suite("Broadcast channels")
    struct Broadcast {
        static let template = #"{"aps":{"timestamp":1700000000,"event":"update","content-state":{"score":"{{score}}"}}}"#

        @Test("create 100 channels, broadcast an update to each from a CSV, read and delete them in a batch")
        func lifecycle() throws {
            let mock = try ChannelMock()
            let channels = try mock.create(100, policy: 0, output: "channels.jsonl")
            #expect(channels.count == 100 && Set(channels).count == 100)
            let created = try ChannelOutput.rows(mock.fixture.path("channels.jsonl"))
            let mode = try FileManager.default.attributesOfItem(atPath: mock.fixture.path("channels.jsonl"))[.posixPermissions]
            #expect(mode as? Int == 0o600, "the output is private like a report")
            #expect(created.allSatisfy { $0["outcome"]?.stringValue == "created" && $0["status"]?.intValue == 201
                && $0["storage_policy"]?.intValue == 0 && isUUID($0["apns_request_id"]?.stringValue) })

            let events = try mock.fixture.write("events.csv", "channel_id,storage_policy,score\n"
                + channels.enumerated().map { "\($1),0,\($0)-0\n" }.joined())
            try mock.fixture.write("update.json", Self.template)
            let checked = try mock.broadcast(["--input", events, "--template", mock.fixture.path("update.json"),
                                              "--dry-run", "--report", mock.fixture.path("check.jsonl")])
            #expect(checked.status == 0, "broadcast --dry-run: \(checked.stderr)")
            #expect(try ReportReader(path: mock.fixture.path("check.jsonl")).readAll().filter { $0.outcome == .valid }.count == 100)
            let report = mock.fixture.path("report.jsonl")
            let sent = try mock.broadcast(["--input", events, "--template", mock.fixture.path("update.json"),
                                           "--report", report, "--concurrency", "20"])
            #expect(sent.status == 0, "broadcast: \(sent.stderr)")
            let rows = try ReportReader(path: report).readAll()
            #expect(rows.count == 100 && Set(rows.map(\.line)).count == 100)
            #expect(rows.allSatisfy { $0.outcome == .delivered && $0.status == 200 && isUUID($0.apnsID) })
            #expect(Set(rows.map(\.token)) == Set(channels))
            let firstLine = try #require(try String(contentsOfFile: report, encoding: .utf8).split(separator: "\n").first)
            #expect(firstLine.contains(#""channel_id":"#) && firstLine.contains(#""apns_request_id":"#))
            #expect(!firstLine.contains(#""token":"#))

            let read = try mock.channel("read", ["--input", mock.fixture.path("channels.jsonl"), "--concurrency", "10"])
            #expect(read.status == 0, "read: \(read.stderr)")
            let readRows = try ChannelOutput.rows(jsonl: read.stdout)
            #expect(readRows.count == 100 && readRows.allSatisfy {
                $0["outcome"]?.stringValue == "read" && $0["storage_policy"]?.intValue == 0
                    && $0["push_type"]?.stringValue?.lowercased() == "liveactivity" })

            let deleted = try mock.channel("delete", ["--input", mock.fixture.path("channels.jsonl"), "--format", "csv"])
            #expect(deleted.status == 0, "delete: \(deleted.stderr)")
            let csv = deleted.stdout.split(separator: "\n")
            #expect(csv.first == "channel_id,storage_policy,push_type,apns_request_id,outcome,status,reason")
            #expect(csv.dropFirst().count == 100 && csv.dropFirst().allSatisfy { $0.contains(",deleted,204,") })

            let listed = try mock.channel("list", [])
            #expect(listed.status == 0 && listed.stdout.isEmpty, "the store is empty: \(listed.stdout)")
            let stats = try mock.stop()
            #expect(stats["channels_created"]?.intValue == 100)
            #expect(stats["broadcasts_accepted"]?.intValue == 100)
            #expect(stats["channels_read"]?.intValue == 100)
            #expect(stats["channels_deleted"]?.intValue == 100)
        }

        @Test("list names every channel; a channel unknown to read or delete is its own row, exit 1")
        func listAndUnknown() throws {
            let mock = try ChannelMock()
            let channels = try mock.create(3, output: "c.jsonl")
            let listed = try mock.channel("list", [])
            #expect(listed.status == 0)
            #expect(Set(try ChannelOutput.rows(jsonl: listed.stdout).compactMap { $0["channel_id"]?.stringValue }) == Set(channels))
            let ids = try mock.fixture.write("ids.csv", "channel_id\n\(channels[0])\ndW5rbm93bg==\n\n")
            let deleted = try mock.channel("delete", ["--input", ids])
            #expect(deleted.status == 1, "\(deleted.stderr)")
            let rows = try ChannelOutput.rows(jsonl: deleted.stdout)
            #expect(rows.map { $0["outcome"]?.stringValue } == ["deleted", "rejected"])
            #expect(rows[1]["reason"]?.stringValue == "ChannelNotRegistered" && rows[1]["status"]?.intValue == 400)
            #expect(deleted.stderr.contains("1 deleted, 1 not (1 ChannelNotRegistered)"))
            _ = try mock.stop()
        }
    }
}
