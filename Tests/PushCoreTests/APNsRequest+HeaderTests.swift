import Testing
@testable import PushCore

@Suite("APNsRequest: the header block of one notification")
struct APNsRequestHeaderTests {
    private func fields(_ notification: PushNotification, authorization: String? = "bearer x") -> [(String, String, Bool)] {
        var block = HeaderBlock()
        APNsRequest.headers(for: notification, authority: "api.push.apple.com", authorization: authorization, into: &block)
        return block.spans.indices.map { block.field($0) }.map { ($0.name, $0.value, $0.sensitive) }
    }

    @Test("every header a notification carries, per-request values never indexed")
    func full() {
        let notification = PushNotification(line: 7, token: "ab12", payload: [], topic: "com.example.app",
                                            pushType: .alert, priority: 5, expiration: 1_764_000_000,
                                            collapseID: "news", apnsID: "123e4567-e89b-12d3-a456-426614174000")
        let got = fields(notification)
        #expect(got.map(\.0) == [":method", ":scheme", ":authority", ":path", "authorization", "apns-topic",
                                 "apns-push-type", "apns-priority", "apns-expiration", "apns-collapse-id", "apns-id",
                                 "content-type"])
        #expect(got[3].1 == "/3/device/ab12")
        #expect(got[7].1 == "5")
        #expect(got[8].1 == "1764000000")
        #expect(Set(got.filter(\.2).map(\.0)) == [":path", "authorization", "apns-collapse-id", "apns-id"])
    }

    @Test("absent values leave their headers out; certificate auth sends no authorization")
    func minimal() {
        let got = fields(PushNotification(line: 1, token: "00", payload: []), authorization: nil)
        #expect(got.map(\.0) == [":method", ":scheme", ":authority", ":path", "content-type"])
    }

    @Test("the block is reused: a second request does not keep the first one's fields")
    func reuse() {
        var block = HeaderBlock()
        APNsRequest.headers(for: PushNotification(line: 1, token: "aa", payload: [], collapseID: "c"),
                            authority: "h", authorization: nil, into: &block)
        APNsRequest.headers(for: PushNotification(line: 2, token: "bb", payload: []), authority: "h",
                            authorization: nil, into: &block)
        #expect(block.spans.count == 5)
        #expect(block.field(3).value == "/3/device/bb")
    }
}
