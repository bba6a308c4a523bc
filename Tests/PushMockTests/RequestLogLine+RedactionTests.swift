import Foundation
import PushCore
import Testing
@testable import PushMock

@Suite("RequestLogLine: one JSON line per request, never the bearer token")
struct RequestLogLineRedactionTests {
    static let secret = "eyJhbGciOiJFUzI1NiIsImtpZCI6IlNFQ1JFVEtFWSJ9.eyJpc3MiOiJURUFNIn0.c2lnbmF0dXJl"

    func line(_ request: MockRequest, _ decision: MockDecision?) -> String {
        var out: [UInt8] = []
        RequestLogLine.append(timeMs: 1_732_630_000_123, connection: 3, stream: 7, attempt: 2, request: request,
                              decision: decision, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func neverContainsTheAuthorizationHeaderOrToken() throws {
        let request = Requests.valid().setting("authorization", "bearer \(Self.secret)")
        let text = line(request, Requests.decide(request))
        #expect(!text.contains(Self.secret))
        #expect(!text.contains("c2lnbmF0dXJl"))
        #expect(!text.lowercased().contains("authorization"))
        #expect(!text.lowercased().contains("bearer"))
        // Also when the token is rejected.
        let rejected = MockDecision(status: 403, reason: .invalidProviderToken, apnsID: "x")
        #expect(!line(request, rejected).contains(Self.secret))
    }

    @Test func carriesTheRequestFields() throws {
        let request = Requests.valid()
            .setting("apns-expiration", "1732630000").setting("apns-collapse-id", "c1")
            .setting("apns-id", "123e4567-e89b-42d3-a456-426614174000")
        let decision = Requests.decide(request)
        let text = line(request, decision)
        #expect(text.hasSuffix("}\n"))
        #expect(text.filter { $0 == "\n" }.count == 1)
        let fields = try object(text)
        #expect(fields["time_ms"] as? Int == 1_732_630_000_123)
        #expect(fields["connection"] as? Int == 3)
        #expect(fields["stream"] as? Int == 7)
        #expect(fields["attempt"] as? Int == 2)
        #expect(fields["method"] as? String == "POST")
        #expect(fields["token"] as? String == Requests.token)
        #expect(fields["topic"] as? String == "com.example.app")
        #expect(fields["push_type"] as? String == "alert")
        #expect(fields["priority"] as? Int == 10)
        #expect(fields["expiration"] as? Int == 1_732_630_000)
        #expect(fields["collapse_id"] as? String == "c1")
        #expect(fields["apns_id"] as? String == "123e4567-e89b-42d3-a456-426614174000")
        #expect(fields["payload_size"] as? Int == request.body.count)
        let payload = try #require(fields["payload"] as? [String: Any])
        #expect((payload["aps"] as? [String: Any])?["alert"] as? String == "hi")
        #expect(fields["status"] as? Int == 200)
        #expect(fields["reason"] is NSNull)
    }

    @Test func oddValuesStayValidJSONOnOneLine() throws {
        var request = Requests.valid().setting("apns-priority", "high\"\n").with(body: Array("not json\n\"x\"".utf8))
        request.path = "/weird\npath"
        let decision = MockDecision(status: 404, reason: .badPath, apnsID: "id")
        let text = line(request, decision)
        #expect(text.filter { $0 == "\n" }.count == 1)
        let fields = try object(text)
        #expect(fields["path"] as? String == "/weird\npath")
        #expect(fields["token"] == nil)
        #expect(fields["priority"] as? String == "high\"\n")
        #expect(fields["payload"] as? String == "not json\n\"x\"")
        #expect(fields["reason"] as? String == "BadPath")
    }

    @Test func multiLineJSONPayloadIsKeptOnOneLine() throws {
        let request = Requests.valid().with(body: Array("{\n  \"aps\": {}\r\n}".utf8))
        let text = line(request, Requests.decide(request))
        #expect(text.filter { $0 == "\n" }.count == 1)
        #expect(try object(text)["payload"] is [String: Any])
    }

    @Test func anUnansweredRequestHasNullStatusReasonAndID() throws {
        let fields = try object(line(Requests.valid(), nil))
        #expect(fields["status"] is NSNull)
        #expect(fields["reason"] is NSNull)
        #expect(fields["apns_id"] is NSNull)
        #expect(fields["token"] as? String == Requests.token)
        #expect(fields["attempt"] as? Int == 2)
    }
}
