import PushCore
import Synchronization
import Testing
@testable import PushMock

/// A request that passes every check, and helpers to break it one way at a time.
enum Requests {
    static let token = String(repeating: "a1", count: 32)
    static let fixedID = "00000000-0000-4000-8000-000000000001"

    static func valid(token: String = Requests.token) -> MockRequest {
        MockRequest(method: "POST", path: "/3/device/\(token)",
                    headers: [("authorization", "bearer eyJhbGciOiJFUzI1NiJ9.e30.c2ln"),
                              ("apns-topic", "com.example.app"),
                              ("apns-push-type", "alert"),
                              ("apns-priority", "10")],
                    body: Array(#"{"aps":{"alert":"hi"}}"#.utf8))
    }

    /// A JSON object of exactly `size` bytes.
    static func payload(size: Int) -> [UInt8] {
        let head = Array(#"{"aps":{"alert":""#.utf8)
        let tail = Array(#""}}"#.utf8)
        return head + Array(repeating: UInt8(ascii: "x"), count: size - head.count - tail.count) + tail
    }

    static func decide(_ request: MockRequest, _ validator: RequestValidator = RequestValidator()) -> MockDecision {
        validator.decide(request, nowMs: { 1_732_630_000_000 }, newID: { fixedID })
    }
}

extension MockRequest {
    func setting(_ name: String, _ value: String?) -> MockRequest {
        var copy = self
        copy.headers.removeAll { $0.name == name }
        if let value { copy.headers.append((name, value)) }
        return copy
    }

    func with(body: [UInt8]) -> MockRequest {
        var copy = self
        copy.body = body
        copy.bodyLength = body.count
        return copy
    }
}

struct ValidatorCase: Sendable, CustomTestStringConvertible {
    var name: String
    var request: MockRequest
    var status: Int
    var reason: Reason?
    var testDescription: String { name }
}

@Suite("RequestValidator: one rule at a time")
struct RequestValidatorRulesTests {
    static let cases: [ValidatorCase] = {
        let ok = Requests.valid()
        var get = ok
        get.method = "GET"
        var badPath = ok
        badPath.path = "/3/devices/\(Requests.token)"
        var v4Path = ok
        v4Path.path = "/4/broadcasts/apps/com.example"
        var noToken = ok
        noToken.path = "/3/device/"
        var noTokenNoSlash = ok
        noTokenNoSlash.path = "/3/device"
        var oddToken = ok
        oddToken.path = "/3/device/abc"
        var nonHex = ok
        nonHex.path = "/3/device/zz" + String(Requests.token.dropFirst(2))
        var duplicate = ok
        duplicate.headers.append(("apns-topic", "com.example.other"))
        let longCollapse = String(repeating: "c", count: 65)
        let maxCollapse = String(repeating: "c", count: 64)
        let bigAlert = Requests.payload(size: 4096)
        let bigVoIP = Requests.payload(size: 5120)
        return [
            ValidatorCase(name: "valid request", request: ok, status: 200, reason: nil),
            ValidatorCase(name: "GET", request: get, status: 405, reason: .methodNotAllowed),
            ValidatorCase(name: "path not /3/device", request: badPath, status: 404, reason: .badPath),
            ValidatorCase(name: "broadcast path", request: v4Path, status: 404, reason: .badPath),
            ValidatorCase(name: "empty token", request: noToken, status: 400, reason: .missingDeviceToken),
            ValidatorCase(name: "no token segment", request: noTokenNoSlash, status: 400, reason: .missingDeviceToken),
            ValidatorCase(name: "odd-length token", request: oddToken, status: 400, reason: .badDeviceToken),
            ValidatorCase(name: "non-hex token", request: nonHex, status: 400, reason: .badDeviceToken),
            ValidatorCase(name: "uppercase hex token", request: Requests.valid(token: Requests.token.uppercased()),
                          status: 200, reason: nil),
            ValidatorCase(name: "duplicate header", request: duplicate, status: 400, reason: .duplicateHeaders),
            ValidatorCase(name: "no authorization", request: ok.setting("authorization", nil),
                          status: 403, reason: .missingProviderToken),
            ValidatorCase(name: "empty authorization", request: ok.setting("authorization", ""),
                          status: 403, reason: .missingProviderToken),
            ValidatorCase(name: "bearer without token", request: ok.setting("authorization", "bearer "),
                          status: 403, reason: .missingProviderToken),
            ValidatorCase(name: "basic scheme", request: ok.setting("authorization", "Basic dXNlcjpwdw=="),
                          status: 403, reason: .invalidProviderToken),
            ValidatorCase(name: "Bearer capitalised", request: ok.setting("authorization", "Bearer abc.def.ghi"),
                          status: 200, reason: nil),
            ValidatorCase(name: "no topic", request: ok.setting("apns-topic", nil), status: 400, reason: .missingTopic),
            ValidatorCase(name: "empty topic", request: ok.setting("apns-topic", ""), status: 400, reason: .missingTopic),
            ValidatorCase(name: "unknown push type", request: ok.setting("apns-push-type", "banner"),
                          status: 400, reason: .invalidPushType),
            ValidatorCase(name: "no push type", request: ok.setting("apns-push-type", nil), status: 200, reason: nil),
            ValidatorCase(name: "priority 7", request: ok.setting("apns-priority", "7"), status: 400, reason: .badPriority),
            ValidatorCase(name: "priority empty", request: ok.setting("apns-priority", ""), status: 400, reason: .badPriority),
            ValidatorCase(name: "priority 5", request: ok.setting("apns-priority", "5"), status: 200, reason: nil),
            ValidatorCase(name: "priority 1", request: ok.setting("apns-priority", "1"), status: 200, reason: nil),
            ValidatorCase(name: "background priority 10",
                          request: ok.setting("apns-push-type", "background").setting("apns-priority", "10"),
                          status: 400, reason: .badPriority),
            ValidatorCase(name: "background priority 5",
                          request: ok.setting("apns-push-type", "background").setting("apns-priority", "5"),
                          status: 200, reason: nil),
            ValidatorCase(name: "apns-id not a UUID", request: ok.setting("apns-id", "12345"),
                          status: 400, reason: .badMessageId),
            ValidatorCase(name: "apns-id with a bad hyphen",
                          request: ok.setting("apns-id", "123e4567e-89b-12d3-a456-426614174000"),
                          status: 400, reason: .badMessageId),
            ValidatorCase(name: "expiration not a number", request: ok.setting("apns-expiration", "tomorrow"),
                          status: 400, reason: .badExpirationDate),
            ValidatorCase(name: "expiration negative", request: ok.setting("apns-expiration", "-5"),
                          status: 400, reason: .badExpirationDate),
            ValidatorCase(name: "expiration 0", request: ok.setting("apns-expiration", "0"), status: 200, reason: nil),
            ValidatorCase(name: "collapse id 65 bytes", request: ok.setting("apns-collapse-id", longCollapse),
                          status: 400, reason: .badCollapseId),
            ValidatorCase(name: "collapse id 64 bytes", request: ok.setting("apns-collapse-id", maxCollapse),
                          status: 200, reason: nil),
            ValidatorCase(name: "empty body", request: ok.with(body: []), status: 400, reason: .payloadEmpty),
            ValidatorCase(name: "alert body 4097 bytes", request: ok.with(body: bigAlert + [0x20]),
                          status: 413, reason: .payloadTooLarge),
            ValidatorCase(name: "alert body 4096 bytes", request: ok.with(body: bigAlert), status: 200, reason: nil),
            ValidatorCase(name: "voip body 5120 bytes",
                          request: ok.setting("apns-push-type", "voip").with(body: bigVoIP), status: 200, reason: nil),
            ValidatorCase(name: "voip body 5121 bytes",
                          request: ok.setting("apns-push-type", "voip").with(body: bigVoIP + [0x20]),
                          status: 413, reason: .payloadTooLarge),
            ValidatorCase(name: "body a JSON array", request: ok.with(body: Array("[1,2]".utf8)),
                          status: 400, reason: .mockBadPayload),
            ValidatorCase(name: "body truncated JSON", request: ok.with(body: Array(#"{"aps":{"#.utf8)),
                          status: 400, reason: .mockBadPayload),
            ValidatorCase(name: "body plain text", request: ok.with(body: Array("hello".utf8)),
                          status: 400, reason: .mockBadPayload),
        ]
    }()

    @Test(arguments: cases)
    func answers(_ testCase: ValidatorCase) {
        let decision = Requests.decide(testCase.request)
        #expect(decision.status == testCase.status)
        #expect(decision.reason == testCase.reason)
        #expect((decision.uniqueID != nil) == (testCase.status == 200))
        #expect(decision.timestampMs == nil)
    }

    @Test func echoesAValidApnsID() {
        let id = "123e4567-e89b-42d3-a456-426614174000"
        let accepted = Requests.decide(Requests.valid().setting("apns-id", id))
        #expect(accepted.apnsID == id)
        #expect(accepted.uniqueID == Requests.fixedID)
        let rejected = Requests.decide(Requests.valid().setting("apns-id", id).setting("apns-topic", nil))
        #expect(rejected.apnsID == id)
        #expect(rejected.reason == .missingTopic)
    }

    @Test func generatesAnApnsIDWhenAbsent() {
        var calls = 0
        let decision = RequestValidator().decide(Requests.valid(), nowMs: { 0 }, newID: {
            calls += 1
            return "id-\(calls)"
        })
        #expect(decision.apnsID == "id-1")
        #expect(decision.uniqueID == "id-2")
    }

    @Test func verifierReasonsDecideTheAnswer() {
        let seen = Recorder()
        let verifier: @Sendable (String) -> Reason? = { jwt in
            seen.record(jwt)
            switch jwt {
            case "expired": return .expiredProviderToken
            case "churn": return .tooManyProviderTokenUpdates
            case "good": return nil
            default: return .invalidProviderToken
            }
        }
        let validator = RequestValidator(tokenVerifier: verifier)
        func answer(_ header: String) -> MockDecision {
            Requests.decide(Requests.valid().setting("authorization", header), validator)
        }
        #expect(answer("bearer good").status == 200)
        #expect(answer("bearer expired") == MockDecision(status: 403, reason: .expiredProviderToken, apnsID: Requests.fixedID))
        #expect(answer("bearer forged").reason == .invalidProviderToken)
        #expect(answer("bearer forged").status == 403)
        #expect(answer("bearer churn").status == 429)
        #expect(seen.values.prefix(2) == ["good", "expired"])
    }

    @Test func withoutTokenAuthTheAuthorizationHeaderIsNotNeeded() {
        let validator = RequestValidator(requireProviderToken: false, tokenVerifier: { _ in .invalidProviderToken })
        #expect(Requests.decide(Requests.valid().setting("authorization", nil), validator).status == 200)
    }

    @Test func bearerTokenExtraction() {
        #expect(RequestValidator.bearerToken("bearer abc") == "abc")
        #expect(RequestValidator.bearerToken("  BEARER   abc  ") == "abc")
        #expect(RequestValidator.bearerToken("bearer") == "")
        #expect(RequestValidator.bearerToken("bearerabc") == nil)
        #expect(RequestValidator.bearerToken("token abc") == nil)
    }
}

/// Collects values from a @Sendable closure.
final class Recorder: Sendable {
    private let storage = Mutex<[String]>([])
    func record(_ value: String) { storage.withLock { $0.append(value) } }
    var values: [String] { storage.withLock { $0 } }
}
