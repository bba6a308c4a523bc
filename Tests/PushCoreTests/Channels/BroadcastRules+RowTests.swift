import Testing
@testable import PushCore

/// The broadcast preparer: what a row must be to become a broadcast, and what it becomes.
@Suite("BroadcastRules: broadcast rows checked before sending")
struct BroadcastRulesRowTests {
    static let template = #"{"aps":{"timestamp":1,"event":"{{event}}","content-state":{"score":"{{score}}"}}}"#

    static func prepare(_ fields: [String: String], defaults: NotificationDefaults = NotificationDefaults(topic: "com.example.app"),
                        template: String = template) -> Prepared {
        RowPreparer.broadcast(template: try! PayloadTemplate(text: template), defaults: defaults)
            .prepare(InputRecord(line: 2, content: .fields(Fields(columns: Array(fields.keys), values: Array(fields.values)))))
    }

    static func message(_ prepared: Prepared) -> String? {
        if case .invalid(_, _, let message) = prepared { return message }
        return nil
    }

    @Test("a channel row becomes a broadcast: channel id as given, bundle id, liveactivity, priority 10, expiration 0")
    func defaults() throws {
        guard case .notification(let n) = Self.prepare(["channel_id": "dGVzdA+/=", "event": "update", "score": "1"]) else {
            Issue.record("not prepared")
            return
        }
        #expect(n.kind == .broadcast)
        #expect(n.token == "dGVzdA+/=", "base64 kept as is: no hex check, no case change")
        #expect(n.topic == "com.example.app" && n.pushType == .liveactivity)
        #expect(n.priority == 10 && n.expiration == 0 && n.apnsID == nil)
    }

    @Test("row overrides: priority, expiration, apns_request_id, storage policy 1 allows an expiration")
    func overrides() throws {
        let prepared = Self.prepare(["channel_id": "YQ==", "event": "end", "score": "2", "priority": "5",
                                     "expiration": "1900000000", "storage_policy": "1",
                                     "apns_request_id": "123E4567-E89B-12D3-A456-426614174000"])
        guard case .notification(let n) = prepared else {
            Issue.record("not prepared: \(prepared)")
            return
        }
        #expect(n.priority == 5 && n.expiration == 1_900_000_000)
        #expect(n.apnsID == "123e4567-e89b-12d3-a456-426614174000")
    }

    @Test("refused locally", arguments: [
        (["channel_id": "", "event": "update", "score": "1"], "is empty"),
        (["channel_id": "has space", "event": "update", "score": "1"], "not a channel id"),
        (["channel_id": "YQ==", "event": "start", "score": "1"], "cannot be broadcast"),
        (["channel_id": "YQ==", "event": "update", "score": "1", "storage_policy": "0", "expiration": "1900000000"],
         "storage policy 0"),
        (["channel_id": "YQ==", "event": "update", "score": "1", "storage_policy": "2"], "not a storage policy"),
        (["channel_id": "YQ==", "event": "update", "score": "1", "priority": "1"], "priority 5 or 10"),
        (["channel_id": "YQ==", "event": "update", "score": "1", "topic": "com.example.app.push-type.liveactivity"],
         "push-type suffix"),
        (["channel_id": "YQ==", "event": "update", "score": "1", "push_type": "alert"], "liveactivity"),
        (["channel_id": "YQ==", "event": "update", "score": "1", "apns_request_id": "nope"], "apns_request_id"),
    ])
    func refused(fields: [String: String], expected: String) {
        let message = Self.message(Self.prepare(fields))
        #expect(message?.contains(expected) == true, "\(message ?? "prepared")")
    }

    @Test("storage policy 0 with expiration 0 passes; the 5120-byte limit, not the alert's 4096")
    func limits() {
        #expect(Self.message(Self.prepare(["channel_id": "YQ==", "event": "update", "score": "1",
                                           "storage_policy": "0", "expiration": "0"])) == nil)
        let big = String(repeating: "x", count: 4500)
        #expect(Self.message(Self.prepare(["channel_id": "YQ==", "event": "update", "score": big])) == nil)
        let tooBig = String(repeating: "x", count: 5200)
        #expect(Self.message(Self.prepare(["channel_id": "YQ==", "event": "update", "score": tooBig]))?
            .contains("at most 5120") == true)
    }

    @Test("the bundle id: a suffix is refused, a missing one named")
    func bundle() {
        #expect(throws: RowError.self) { try BroadcastRules.bundleID("com.example.app.voip", label: "--bundle-id") }
        #expect((try? BroadcastRules.bundleID("com.example.app", label: "--bundle-id")) == "com.example.app")
        let message = Self.message(Self.prepare(["channel_id": "YQ==", "event": "update", "score": "1"],
                                                defaults: NotificationDefaults()))
        #expect(message?.contains("--bundle-id") == true)
    }

    @Test("a device preparer is untouched: hex tokens, no broadcast kind")
    func devicePreparerUnchanged() {
        let preparer = RowPreparer(template: try! PayloadTemplate(text: #"{"aps":{"alert":"hi"}}"#),
                                   defaults: NotificationDefaults(topic: "com.example.app"))
        guard case .notification(let n) = preparer.prepare(csvRecord(["token": "ABCD"])) else {
            Issue.record("not prepared")
            return
        }
        #expect(n.kind == .device && n.token == "abcd")
        #expect(!preparer.isBroadcast && preparer.fieldNames[6] == "apns_id")
    }

    @Test("the Live Activity payload rules apply to broadcasts: an update without content-state, a bad timestamp")
    func liveActivityRules() {
        let noState = #"{"aps":{"timestamp":1,"event":"update"}}"#
        #expect(Self.message(Self.prepare(["channel_id": "YQ=="], template: noState))?.contains("content-state") == true)
        let badTime = #"{"aps":{"timestamp":"soon","event":"update","content-state":{}}}"#
        #expect(Self.message(Self.prepare(["channel_id": "YQ=="], template: badTime))?.contains("timestamp") == true)
    }

    @Test("send-time values: {{$now}} is stamped when sent, an expiration duration counts from the send")
    func sendTime() throws {
        let now = #"{"aps":{"timestamp":{{$now}},"event":"update","content-state":{},"stale-date":{{$now+15m}}}}"#
        guard case .notification(var n) = Self.prepare(["channel_id": "YQ==", "expiration": "1h", "storage_policy": "1"],
                                                       template: now) else {
            Issue.record("not prepared")
            return
        }
        let sendTime = try #require(n.sendTime)
        #expect(n.expiration == nil && sendTime.expiresAfter == 3600)
        sendTime.apply(to: &n, nowSeconds: 1_900_000_000)
        #expect(n.expiration == 1_900_003_600)
        let text = String(decoding: n.payload, as: UTF8.self)
        #expect(text.contains(#""timestamp":1900000000"#) && text.contains(#""stale-date":1900000900"#), "\(text)")
        let refused = Self.message(Self.prepare(["channel_id": "YQ==", "expiration": "1h", "storage_policy": "0"], template: now))
        #expect(refused?.contains("storage policy 0") == true, "\(refused ?? "prepared")")
    }
}
