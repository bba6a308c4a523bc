import Testing
@testable import PushCore

@Suite("APNsRequestHeaders: the header block of one notification after another")
struct APNsRequestHeaderTests {
    private func fields(_ headers: APNsRequestHeaders) -> [(String, String, Bool)] {
        let block = headers.block
        return block.spans.indices.map { block.field($0) }.map { ($0.name, $0.value, $0.sensitive) }
    }

    private func fields(_ notification: PushNotification, authorization: String? = "bearer x") -> [(String, String, Bool)] {
        var headers = APNsRequestHeaders()
        headers.update(for: notification, authority: "api.push.apple.com", authorization: authorization)
        return fields(headers)
    }

    @Test("every header a notification carries, per-request values never indexed")
    func full() {
        let notification = PushNotification(line: 7, token: "ab12", payload: [], topic: "com.example.app",
                                            pushType: .alert, priority: 5, expiration: 1_764_000_000,
                                            collapseID: "news", apnsID: "123e4567-e89b-12d3-a456-426614174000")
        let got = fields(notification)
        #expect(got.map(\.0) == [":method", ":scheme", ":authority", ":path", "authorization", "apns-topic",
                                 "apns-push-type", "apns-priority", "apns-expiration", "content-type",
                                 "apns-collapse-id", "apns-id"])
        #expect(got[3].1 == "/3/device/ab12")
        #expect(got[7].1 == "5")
        #expect(got[8].1 == "1764000000")
        #expect(Set(got.filter(\.2).map(\.0)) == [":path", "authorization", "apns-expiration", "apns-collapse-id", "apns-id"])
    }

    @Test("-vv trace: every header, the provider token shown by its last 6 characters only")
    func trace() {
        var headers = APNsRequestHeaders()
        let token = "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJ4In0.secretSIGNATUREabcdef"
        headers.update(for: PushNotification(line: 1, token: "ab12", payload: [], topic: "com.example.app"),
                       authority: "api.push.apple.com", authorization: "bearer " + token)
        let trace = headers.trace
        #expect(trace.contains("> :path: /3/device/ab12") && trace.contains("> apns-topic: com.example.app"))
        #expect(trace.contains("> authorization: bearer …abcdef"))
        #expect(!trace.contains("secretSIGNATURE") && !trace.contains("eyJ"))
    }

    @Test("absent values leave their headers out; certificate auth sends no authorization")
    func minimal() {
        let got = fields(PushNotification(line: 1, token: "00", payload: []), authorization: nil)
        #expect(got.map(\.0) == [":method", ":scheme", ":authority", ":path", "content-type"])
    }

    @Test("the block is reused: a second request does not keep the first one's fields")
    func reuse() {
        var headers = APNsRequestHeaders()
        headers.update(for: PushNotification(line: 1, token: "aa", payload: [], collapseID: "c"), authority: "h", authorization: nil)
        headers.update(for: PushNotification(line: 2, token: "bb", payload: []), authority: "h", authorization: nil)
        #expect(fields(headers).map(\.0) == [":method", ":scheme", ":authority", ":path", "content-type"])
        #expect(headers.block.field(3).value == "/3/device/bb")
    }

    @Test("a request whose repeating fields differ from the last one's gets its own, whatever came before",
          arguments: [
              PushNotification(line: 3, token: "cc", payload: [], topic: "com.other.app", pushType: .background, priority: 5),
              PushNotification(line: 3, token: "cc", payload: [], topic: "com.example.app", expiration: 0),
              PushNotification(line: 3, token: "cc", payload: [], apnsID: "123e4567-e89b-12d3-a456-426614174000"),
          ])
    func changedFields(third: PushNotification) {
        let first = PushNotification(line: 1, token: "aa", payload: [], topic: "com.example.app", pushType: .alert,
                                     priority: 10, collapseID: "c")
        var second = first
        second.token = "bbbb"
        second.collapseID = nil
        var headers = APNsRequestHeaders()
        for (notification, authorization) in [(first, "bearer one"), (second, "bearer one"), (third, "bearer two")] {
            headers.update(for: notification, authority: "h", authorization: authorization)
            var fresh = APNsRequestHeaders()
            fresh.update(for: notification, authority: "h", authorization: authorization)
            #expect(fields(headers).map { "\($0.0)=\($0.1)/\($0.2)" } == fields(fresh).map { "\($0.0)=\($0.1)/\($0.2)" })
        }
        #expect(headers.block.field(3).value == "/3/device/cc")
        #expect(fields(headers).contains { $0.0 == "authorization" && $0.1 == "bearer two" })
    }
}
