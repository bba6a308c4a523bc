import Testing
@testable import PushCore

@Suite("APNsResponse: headers and error body to a report row")
struct APNsResponseParsingTests {
    private let notification = PushNotification(line: 12, token: "ab", payload: [], apnsID: "11111111-2222-3333-4444-555555555555")

    @Test("a 200 with ids is delivered")
    func delivered() {
        var response = APNsResponse()
        response.header(":status", "200")
        response.header("apns-id", "aaaaaaaa-0000-0000-0000-000000000000")
        response.header("apns-unique-id", "bbbbbbbb-0000-0000-0000-000000000000")
        response.header("x-other", "ignored")
        let row = response.reportRow(for: notification, attempts: 2, latencyMs: 3.5, finishedAtMs: 9)
        #expect(row.outcome == .delivered && row.status == 200 && row.reason == nil && row.attempts == 2)
        #expect(row.apnsID == "aaaaaaaa-0000-0000-0000-000000000000")
        #expect(row.apnsUniqueID == "bbbbbbbb-0000-0000-0000-000000000000")
    }

    @Test("a 410 carries its reason and timestamp; a 400 its reason but no timestamp")
    func rejected() {
        var gone = APNsResponse()
        gone.header(":status", "410")
        Array(#"{"reason":"Unregistered","timestamp":1732630000000}"#.utf8).withUnsafeBufferPointer { gone.data($0) }
        let row = gone.reportRow(for: notification, attempts: 1, latencyMs: 1, finishedAtMs: 1)
        #expect(row.outcome == .rejected && row.reason == "Unregistered" && row.unregisteredAt == 1_732_630_000_000)
        #expect(row.apnsID == notification.apnsID, "the request's apns-id when the response has none")

        var bad = APNsResponse()
        bad.header(":status", "400")
        Array(#"{"reason":"BadDeviceToken","timestamp":5}"#.utf8).withUnsafeBufferPointer { bad.data($0) }
        #expect(bad.reportRow(for: notification, attempts: 1, latencyMs: 1, finishedAtMs: 1).unregisteredAt == nil)
    }

    @Test("a timestamp past Int64 (found by the fuzzer: it trapped) is no timestamp; a float one is truncated",
          arguments: [("1e300", nil), ("-1e19", nil), ("9223372036854775808", nil), ("1.5e3", 1500), ("12.9", 12)]
              as [(String, Int64?)])
    func outOfRangeTimestamp(text: String, expected: Int64?) {
        var gone = APNsResponse()
        gone.header(":status", "410")
        Array(#"{"reason":"Unregistered","timestamp":\#(text)}"#.utf8).withUnsafeBufferPointer { gone.data($0) }
        let row = gone.reportRow(for: notification, attempts: 1, latencyMs: 1, finishedAtMs: 1)
        #expect(row.reason == "Unregistered" && row.unregisteredAt == expected)
    }

    @Test("a body that is not APNs' JSON still gives a reason; odd statuses are not parsed as numbers")
    func oddAnswers() {
        var response = APNsResponse()
        response.header(":status", "502")
        Array("Bad Gateway".utf8).withUnsafeBufferPointer { response.data($0) }
        #expect(response.reportRow(for: notification, attempts: 1, latencyMs: 1, finishedAtMs: 1).reason == "HTTP 502")
        var weird = APNsResponse()
        weird.header(":status", "2x0")
        #expect(weird.status == nil)
    }

    @Test("the error body is capped")
    func capped() {
        var response = APNsResponse()
        let big = [UInt8](repeating: 0x20, count: APNsResponse.maxBodyBytes * 2)
        big.withUnsafeBufferPointer { response.data($0) }
        big.withUnsafeBufferPointer { response.data($0) }
        #expect(response.body.count == APNsResponse.maxBodyBytes)
    }
}
