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

extension EndToEndTests.Broadcast {
    @Test("--channels: rows take their channel's storage policy from channel read's output; a channel not live there is invalid")
    func channelsFile() throws {
        let mock = try ChannelMock()
        let noStorage = try mock.create(2, policy: 0, output: "a.jsonl")
        let stored = try mock.create(1, policy: 1, output: "b.jsonl")
        let all = try mock.fixture.write("all.csv", "channel_id\n" + (noStorage + stored).map { "\($0)\n" }.joined())
        #expect(try mock.channel("delete", ["--channel-id", noStorage[1]]).status == 0)
        let channels = mock.fixture.path("read.jsonl")
        let read = try mock.channel("read", ["--input", all, "--output", channels])
        #expect(read.status == 1, "one channel is gone: \(read.stderr)")

        let events = try mock.fixture.write("events.csv", "channel_id,expiration,score\n\(noStorage[0]),1h,1\n"
            + "\(noStorage[0]),,2\n\(stored[0]),1h,3\n\(noStorage[1]),,4\nbm9uZQ==,,5\n")
        try mock.fixture.write("update.json", Self.template)
        let report = mock.fixture.path("r.jsonl")
        let sent = try mock.broadcast(["--input", events, "--template", mock.fixture.path("update.json"),
                                       "--channels", channels, "--report", report])
        #expect(sent.status == 1, "\(sent.stderr)")
        let rows = try ReportReader(path: report).readAll().sorted { $0.line < $1.line }
        #expect(rows.map(\.outcome) == [.invalid, .delivered, .delivered, .invalid, .invalid])
        #expect(rows[0].reason?.contains("storage policy 0 (No Message Stored)") == true, "\(rows[0].reason ?? "")")
        for (row, channel) in zip(rows[3...], [noStorage[1], "bm9uZQ=="]) {
            #expect(row.reason?.hasPrefix("channel \(channel) is not a live channel in \(channels) (--channels)") == true,
                    "\(row.reason ?? "")")
        }
        #expect(rows.allSatisfy { $0.outcome == .invalid || $0.pushType == .liveactivity })

        // A file that is not a channel file is refused before anything is sent.
        let wrong = try mock.broadcast(["--input", events, "--template", mock.fixture.path("update.json"),
                                        "--channels", events, "--report", mock.fixture.path("wrong.jsonl")])
        #expect(wrong.status == 2 && wrong.stderr.contains("--channels: \(events): no line has a storage_policy field"),
                "\(wrong.stderr)")
        let stats = try mock.stop()
        #expect(stats["broadcasts_accepted"]?.intValue == 2 && stats["broadcasts_rejected"]?.intValue == 0,
                "only the two rows that pass reach the server")
    }

    @Test("one mock per environment: a sandbox channel is unknown to the production mock, which sends no apns-unique-id")
    func environments() throws {
        let sandbox = try ChannelMock()
        let production = try ChannelMock(["--environment", "production"])
        let channels = try sandbox.create(2, output: "c.jsonl")
        let input = try sandbox.fixture.write("in.csv", "channel_id,score\n" + channels.map { "\($0),1\n" }.joined())
        try sandbox.fixture.write("update.json", Self.template)
        let template = sandbox.fixture.path("update.json")

        let toSandbox = try sandbox.broadcast(["--input", input, "--template", template, "--report", sandbox.fixture.path("s.jsonl")])
        #expect(toSandbox.status == 0, "\(toSandbox.stderr)")
        let sandboxRows = try ReportReader(path: sandbox.fixture.path("s.jsonl")).readAll()
        #expect(sandboxRows.count == 2 && sandboxRows.allSatisfy { $0.outcome == .delivered && isUUID($0.apnsUniqueID) })

        let toProduction = try production.broadcast(["--input", input, "--template", template,
                                                     "--report", sandbox.fixture.path("p.jsonl")])
        #expect(toProduction.status == 1, "\(toProduction.stderr)")
        let productionRows = try ReportReader(path: sandbox.fixture.path("p.jsonl")).readAll()
        #expect(productionRows.count == 2 && productionRows.allSatisfy { $0.reason == "ChannelNotRegistered" })

        // Created on production, accepted there, without apns-unique-id.
        let own = try production.create(1, output: "own.jsonl")
        let ownInput = try production.fixture.write("own.csv", "channel_id,score\n\(own[0]),1\n")
        let accepted = try production.broadcast(["--input", ownInput, "--template", template,
                                                 "--report", production.fixture.path("own-report.jsonl")])
        #expect(accepted.status == 0, "\(accepted.stderr)")
        let ownRows = try ReportReader(path: production.fixture.path("own-report.jsonl")).readAll()
        #expect(ownRows.count == 1 && ownRows[0].outcome == .delivered && isUUID(ownRows[0].apnsID) && ownRows[0].apnsUniqueID == nil)
        // A device push to the production mock: accepted, no apns_unique_id either.
        let device = try production.fixture.send(["--device", deviceToken("e0", 1), "--payload", #"{"aps":{"alert":"hi"}}"#,
                                                  "--topic", MockFixture.topic, "--report", production.fixture.path("d.jsonl")]
                                                 + production.fixture.connection)
        #expect(device.status == 0, "\(device.stderr)")
        let deviceRows = try ReportReader(path: production.fixture.path("d.jsonl")).readAll()
        #expect(deviceRows.count == 1 && isUUID(deviceRows[0].apnsID) && deviceRows[0].apnsUniqueID == nil)
        #expect(try sandbox.stop()["broadcasts_accepted"]?.intValue == 2)
        let stats = try production.stop()
        #expect(stats["broadcasts_accepted"]?.intValue == 1 && stats["broadcasts_rejected"]?.intValue == 2)
    }
}
