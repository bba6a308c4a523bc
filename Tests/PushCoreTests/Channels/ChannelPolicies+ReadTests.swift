import Testing
@testable import PushCore

/// `broadcast --channels FILE`: the storage policies a channel create or read wrote, and what a row on a channel
/// they do not hold becomes.
@Suite("ChannelPolicies: channel files read, rows checked against them")
struct ChannelPoliciesReadTests {
    static func policies(_ text: String, name: String = "channels.jsonl") throws -> ChannelPolicies {
        var reader = try openRecordReader(source: BufferByteSource(Array(text.utf8)), name: name, format: nil,
                                          tokenField: "channel_id")
        return try ChannelPolicies(reader: &reader, name: name)
    }

    @Test("create's and read's lines (JSONL or CSV) give each live channel's policy; a rejected read is not live")
    func reads() throws {
        let jsonl = try Self.policies("""
            {"channel_id":"YQ==","storage_policy":0,"push_type":"LiveActivity","outcome":"created","status":201}
            {"channel_id":"Yg==","storage_policy":1,"outcome":"read","status":200}
            {"channel_id":"Yw==","storage_policy":null,"outcome":"rejected","status":400,"reason":"ChannelNotRegistered"}

            """)
        #expect(jsonl.policies == ["YQ==": 0, "Yg==": 1])
        let csv = try Self.policies("channel_id,storage_policy,push_type,apns_request_id,outcome,status,reason\n"
            + "YQ==,1,LiveActivity,,read,200,\nYg==,,,,deleted,204,\n", name: "c.csv")
        #expect(csv.policies == ["YQ==": 1])
        #expect(csv.source == "c.csv (--channels)")
    }

    @Test("a line without channel_id, or with another policy, refuses the file naming the line", arguments: [
        (#"{"channel_id":"YQ==","storage_policy":0}"# + "\n" + #"{"storage_policy":1}"#, "channels.jsonl:2: no channel_id"),
        (#"{"channel_id":"YQ==","storage_policy":2}"#, "channels.jsonl:1: storage_policy '2' is not 0 or 1"),
        (#"{"channel_id":"YQ==","#, "channels.jsonl:1: "),
        (#"{"channel_id":"YQ==","score":1}"#, "channels.jsonl: no line has a storage_policy field"),
    ])
    func refused(text: String, message: String) {
        #expect {
            _ = try Self.policies(text + "\n")
        } throws: { error in
            (error as? InputError)?.message.hasPrefix(message) == true && (error as? InputError)?.kind == .unusable
        }
    }

    @Test("a row without storage_policy takes its channel's; a channel not live in the file is invalid")
    func rows() throws {
        let policies = ChannelPolicies(policies: ["YQ==": 0, "Yg==": 1], source: "c.csv (--channels)")
        let preparer = RowPreparer.broadcast(template: try PayloadTemplate(text: BroadcastRulesRowTests.template),
                                             defaults: NotificationDefaults(topic: "com.example.app"), channels: policies)
        func prepare(_ fields: [String: String]) -> Prepared {
            preparer.prepare(InputRecord(line: 2, content: .fields(Fields(columns: Array(fields.keys),
                                                                          values: Array(fields.values)))))
        }
        let base = ["event": "update", "score": "1", "expiration": "1h"]
        #expect(BroadcastRulesRowTests.message(prepare(base.merging(["channel_id": "YQ=="]) { $1 }))?
            .contains("storage policy 0") == true, "policy 0 from the file: only expiration 0")
        guard case .notification(let n) = prepare(base.merging(["channel_id": "Yg=="]) { $1 }) else {
            Issue.record("policy 1 allows an expiration")
            return
        }
        #expect(n.sendTime?.expiresAfter == 3600)
        #expect(BroadcastRulesRowTests.message(prepare(base.merging(["channel_id": "YQ==", "storage_policy": "1"]) { $1 }))
            == nil, "the row's own storage_policy wins")
        #expect(BroadcastRulesRowTests.message(prepare(base.merging(["channel_id": "Yw=="]) { $1 }))
            == "channel Yw== is not a live channel in c.csv (--channels): create it (apnsctl channel create) or read "
                + "it again (apnsctl channel read)")
    }
}
