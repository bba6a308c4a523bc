import Testing
@testable import PushCore

/// Each request kind's method, path and header set (apns-protocol.md §9), and that a device push after one of them
/// gets its own headers back.
@Suite("APNsRequestHeaders: broadcast and channel-management requests")
struct APNsRequestHeadersKindsTests {
    static let requestID = "123e4567-e89b-12d3-a456-426614174000"

    private static func fields(_ notification: PushNotification, headers: inout APNsRequestHeaders) -> [String: String] {
        headers.update(for: notification, authority: "api-manage-broadcast.sandbox.push.apple.com",
                       authorization: "bearer x")
        var result: [String: String] = [:]
        for index in headers.block.spans.indices {
            let (name, value, _) = headers.block.field(index)
            #expect(result[name] == nil, "\(name) twice")
            result[name] = value
        }
        return result
    }

    private static func fields(_ notification: PushNotification) -> [String: String] {
        var headers = APNsRequestHeaders()
        return fields(notification, headers: &headers)
    }

    static func request(_ kind: RequestKind, channel: String = "", body: String = "") -> PushNotification {
        PushNotification(line: 1, token: channel, payload: Array(body.utf8), topic: "com.example.app",
                         pushType: kind == .broadcast ? .liveactivity : nil, priority: kind == .broadcast ? 5 : nil,
                         expiration: kind == .broadcast ? 0 : nil, apnsID: requestID, kind: kind)
    }

    @Test("method, path and the channel id header of each kind", arguments: [
        (RequestKind.broadcast, "POST", "/4/broadcasts/apps/com.example.app", true),
        (.createChannel, "POST", "/1/apps/com.example.app/channels", false),
        (.readChannel, "GET", "/1/apps/com.example.app/channels", true),
        (.deleteChannel, "DELETE", "/1/apps/com.example.app/channels", true),
        (.listChannels, "GET", "/1/apps/com.example.app/all-channels", false),
    ])
    func shape(kind: RequestKind, method: String, path: String, namesChannel: Bool) {
        let got = Self.fields(Self.request(kind, channel: namesChannel ? "dHdvY2hhbm5lbA==" : ""))
        #expect(got[":method"] == method)
        #expect(got[":path"] == path)
        #expect(got["apns-channel-id"] == (namesChannel ? "dHdvY2hhbm5lbA==" : nil))
        #expect(got["apns-request-id"] == Self.requestID)
        #expect(got["apns-topic"] == nil, "no request but a device push names a topic")
        #expect(got["authorization"] == "bearer x")
    }

    @Test("a broadcast carries push type liveactivity, its priority and expiration (all required)")
    func broadcastHeaders() {
        let got = Self.fields(Self.request(.broadcast, channel: "abc="))
        #expect(got["apns-push-type"] == "liveactivity")
        #expect(got["apns-priority"] == "5")
        #expect(got["apns-expiration"] == "0")
        #expect(got["content-type"] == "application/json")
        var defaults = Self.request(.broadcast, channel: "abc=")
        defaults.priority = nil
        defaults.expiration = nil
        let filled = Self.fields(defaults)
        #expect(filled["apns-priority"] == "10" && filled["apns-expiration"] == "0")
    }

    @Test("management requests carry no push headers")
    func managementHeaders() {
        for kind in [RequestKind.createChannel, .readChannel, .deleteChannel, .listChannels] {
            let got = Self.fields(Self.request(kind))
            #expect(got["apns-push-type"] == nil && got["apns-priority"] == nil && got["apns-expiration"] == nil)
        }
    }

    @Test("a device push after a broadcast gets the device headers back (the reused block is rebuilt)")
    func deviceAfterBroadcast() {
        var headers = APNsRequestHeaders()
        let device = PushNotification(line: 1, token: "ab12", payload: [], topic: "com.example.app", pushType: .alert)
        let before = Self.fields(device, headers: &headers)
        _ = Self.fields(Self.request(.broadcast, channel: "abc="), headers: &headers)
        let after = Self.fields(device, headers: &headers)
        #expect(before == after)
        #expect(after[":path"] == "/3/device/ab12" && after["apns-channel-id"] == nil)
    }
}
