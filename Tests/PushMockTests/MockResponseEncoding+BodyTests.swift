import Foundation
import PushCore
import Testing
@testable import PushMock

@Suite("MockResponseEncoding: bodies and headers as APNs sends them")
struct MockResponseEncodingBodyTests {
    @Test func errorBodyHasOnlyTheReason() {
        let body = MockResponseEncoding.errorBody(reason: .badDeviceToken, timestampMs: nil)
        #expect(String(decoding: body, as: UTF8.self) == #"{"reason":"BadDeviceToken"}"#)
    }

    @Test func unregisteredBodyCarriesTheTimestamp() {
        let body = MockResponseEncoding.errorBody(reason: .unregistered, timestampMs: 1_732_630_000_000)
        #expect(String(decoding: body, as: UTF8.self) == #"{"reason":"Unregistered","timestamp":1732630000000}"#)
    }

    @Test func bodyIsValidJSONEvenForOddReasons() throws {
        let body = MockResponseEncoding.errorBody(reason: Reason(rawValue: "Odd \"quoted\"\\\n\u{1}"), timestampMs: -3)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
        #expect(object["reason"] as? String == "Odd \"quoted\"\\\n\u{1}")
        #expect(object["timestamp"] as? Int == -3)
    }

    @Test func successHasNoBodyAndBothIDs() {
        let decision = MockDecision(status: 200, apnsID: "a-id", uniqueID: "u-id")
        #expect(MockResponseEncoding.body(for: decision) == nil)
        var headers: [HTTP2HeaderField] = [HTTP2HeaderField(name: "stale", value: "x")]
        MockResponseEncoding.headers(for: decision, into: &headers)
        #expect(headers.contains(HTTP2HeaderField(name: "apns-id", value: "a-id", neverIndex: true)))
        #expect(headers.contains(HTTP2HeaderField(name: "apns-unique-id", value: "u-id", neverIndex: true)))
        #expect(!headers.contains { $0.name == "content-type" || $0.name == "stale" })
    }

    @Test func errorHasJSONContentTypeAndNoUniqueID() {
        let decision = MockDecision(status: 410, reason: .unregistered, apnsID: "a-id", timestampMs: 5)
        let body = MockResponseEncoding.body(for: decision).map { String(decoding: $0, as: UTF8.self) }
        #expect(body == #"{"reason":"Unregistered","timestamp":5}"#)
        var headers: [HTTP2HeaderField] = []
        MockResponseEncoding.headers(for: decision, into: &headers)
        #expect(headers.contains(HTTP2HeaderField(name: "content-type", value: "application/json")))
        #expect(headers.contains { $0.name == "apns-id" && $0.value == "a-id" })
        #expect(!headers.contains { $0.name == "apns-unique-id" })
    }

    @Test func integersEncodeLikeSwift() {
        for value: Int64 in [0, 7, -7, 10, 1_732_630_000_000, .max, .min] {
            var out: [UInt8] = []
            JSONText.appendInteger(value, to: &out)
            #expect(String(decoding: out, as: UTF8.self) == String(value))
        }
    }
}
