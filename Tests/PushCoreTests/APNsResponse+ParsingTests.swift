import Testing
@testable import PushCore

@Suite("APNsResponse: headers and error body read once, defensively")
struct APNsResponseParsingTests {
    private let notification = PushNotification(line: 12, token: "ab", payload: [], apnsID: "11111111-2222-3333-4444-555555555555")

    private func response(_ status: String, body: String = "") -> APNsResponse {
        var response = APNsResponse()
        response.header(":status", status)
        Array(body.utf8).withUnsafeBufferPointer { response.data($0) }
        return response
    }

    @Test("a 200 with ids is delivered")
    func delivered() {
        var response = response("200")
        response.header("apns-id", "aaaaaaaa-0000-0000-0000-000000000000")
        response.header("apns-unique-id", "bbbbbbbb-0000-0000-0000-000000000000")
        response.header("x-other", "ignored")
        #expect(response.interpret() == .answered(status: 200, reason: nil, unregisteredAt: nil))
        let row = response.reportRow(for: notification, outcome: .delivered, status: 200, reason: nil, unregisteredAt: nil,
                                     attempts: 2, latencyMs: 3.5, finishedAtMs: 9)
        #expect(row.outcome == .delivered && row.status == 200 && row.reason == nil && row.attempts == 2)
        #expect(row.apnsID == "aaaaaaaa-0000-0000-0000-000000000000")
        #expect(row.apnsUniqueID == "bbbbbbbb-0000-0000-0000-000000000000")
    }

    @Test("a 410 carries its reason and timestamp; a 400 its reason but no timestamp")
    func rejected() {
        let gone = response("410", body: #"{"reason":"Unregistered","timestamp":1732630000000}"#)
        #expect(gone.interpret() == .answered(status: 410, reason: .unregistered, unregisteredAt: 1_732_630_000_000))
        let row = gone.reportRow(for: notification, outcome: .rejected, status: 410, reason: .unregistered,
                                 unregisteredAt: 1_732_630_000_000, attempts: 1, latencyMs: 1, finishedAtMs: 1)
        #expect(row.outcome == .rejected && row.reason == "Unregistered" && row.unregisteredAt == 1_732_630_000_000)
        #expect(row.apnsID == notification.apnsID, "the request's apns-id when the response has none")
        #expect(response("400", body: #"{"reason":"BadDeviceToken","timestamp":5}"#).interpret()
                == .answered(status: 400, reason: .badDeviceToken, unregisteredAt: nil))
        #expect(response("400", body: #"{"reason":"BadDeviceToken","timestamp":1e400}"#).interpret()
                == .answered(status: 400, reason: .badDeviceToken, unregisteredAt: nil), "a timestamp only matters on a 410")
    }

    @Test("a 410 timestamp that does not fit is dropped, never a trap; the reason stays", arguments: [
        "1e19", "1e400", "-1e300", "-1", "9223372036854775808", "253402300800000", "1.5e300", "\"1732630000000\"",
    ])
    func timestampOutOfRange(_ timestamp: String) {
        let answer = response("410", body: #"{"reason":"Unregistered","timestamp":"# + timestamp + "}").interpret()
        #expect(answer == .answered(status: 410, reason: .unregistered, unregisteredAt: nil))
    }

    @Test("a 410 timestamp written as a whole double in range is accepted")
    func timestampAsDouble() {
        #expect(response("410", body: #"{"reason":"Unregistered","timestamp":1.73263e12}"#).interpret()
                == .answered(status: 410, reason: .unregistered, unregisteredAt: 1_732_630_000_000))
    }

    @Test("a malformed :status is a protocol error, not a stream reset", arguments: ["2x0", "20", "2000", "099", "600", "", "+20"])
    func malformedStatus(_ status: String) {
        let answer = response(status).interpret()
        #expect(answer == .protocolError("malformed :status"))
    }

    @Test("a body that is not APNs' JSON gives no reason; an overlong reason is cut")
    func oddAnswers() {
        #expect(response("502", body: "Bad Gateway").interpret() == .answered(status: 502, reason: nil, unregisteredAt: nil))
        let long = String(repeating: "x", count: 1000)
        guard case .answered(_, let reason?, _) = response("400", body: #"{"reason":""# + long + #""}"#).interpret() else {
            Issue.record("no reason")
            return
        }
        #expect(reason.rawValue.utf8.count == APNsResponse.maxReasonBytes)
        let row = response("502").reportRow(for: notification, outcome: .rejected, status: 502, reason: nil,
                                            unregisteredAt: nil, attempts: 1, latencyMs: 1, finishedAtMs: 1)
        #expect(row.reason == "HTTP 502")
    }

    @Test("retry-after: delta-seconds below a day, anything else ignored")
    func retryAfter() {
        for (value, expected) in [(" 7", 7000 as Int?), ("0", 0), ("86399", 86_399_000), ("86400", nil),
                                  ("99999999999999999999", nil), ("Wed, 21 Oct 2015 07:28:00 GMT", nil), ("", nil)] {
            var response = APNsResponse()
            response.header("retry-after", value)
            #expect(response.retryAfterMs == expected, "retry-after '\(value)'")
        }
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
