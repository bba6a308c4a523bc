import PushCore
import Testing
@testable import PushMock

/// When a request breaks several rules, the earliest check in APNs' order decides the answer.
@Suite("RequestValidator: order of checks")
struct RequestValidatorOrderTests {
    /// Faults in check order; each can be combined with every later one.
    static let faults: [(name: String, reason: Reason, apply: @Sendable (inout MockRequest) -> Void)] = [
        ("method", .methodNotAllowed, { $0.method = "PUT" }),
        ("token", .badDeviceToken, { $0.path = "/3/device/xyz1" }),
        ("duplicate", .duplicateHeaders, { $0.headers.append(("x-extra", "1")); $0.headers.append(("x-extra", "2")) }),
        ("authorization", .missingProviderToken, { $0 = $0.setting("authorization", nil) }),
        ("topic", .missingTopic, { $0 = $0.setting("apns-topic", nil) }),
        ("push type", .invalidPushType, { $0 = $0.setting("apns-push-type", "nope") }),
        ("priority", .badPriority, { $0 = $0.setting("apns-priority", "3") }),
        ("apns-id", .badMessageId, { $0 = $0.setting("apns-id", "nope") }),
        ("expiration", .badExpirationDate, { $0 = $0.setting("apns-expiration", "1.5") }),
        ("collapse id", .badCollapseId, { $0 = $0.setting("apns-collapse-id", String(repeating: "z", count: 100)) }),
        ("empty body", .payloadEmpty, { $0 = $0.with(body: []) }),
    ]

    @Test(arguments: 0..<faults.count)
    func earliestFaultWins(from first: Int) {
        var request = Requests.valid()
        for fault in Self.faults[first...] { fault.apply(&request) }
        #expect(Requests.decide(request).reason == Self.faults[first].reason, "faults from \(Self.faults[first].name) on")
    }

    @Test func pathIsCheckedBeforeTheToken() {
        var request = Requests.valid()
        request.path = "/3/device-x/zz"
        #expect(Requests.decide(request).reason == .badPath)
    }

    @Test func sizeIsCheckedBeforeJSONSyntax() {
        let request = Requests.valid().with(body: Array(repeating: UInt8(ascii: "x"), count: 5000))
        #expect(Requests.decide(request).status == 413)
    }

    @Test func requestFaultsWinOverResponseRules() {
        let validator = RequestValidator(responseRules: [MockResponseRule(prefix: "", status: 410, reason: "Unregistered")])
        #expect(Requests.decide(Requests.valid().setting("apns-topic", nil), validator).reason == .missingTopic)
        #expect(Requests.decide(Requests.valid(), validator).reason == .unregistered)
    }

    @Test func authorizationIsCheckedBeforeTheVerifierSeesAnything() {
        let seen = Recorder()
        let validator = RequestValidator(tokenVerifier: { seen.record($0); return nil })
        _ = Requests.decide(Requests.valid().setting("apns-topic", nil), validator)
        _ = Requests.decide({ var r = Requests.valid(); r.method = "GET"; return r }(), validator)
        #expect(seen.values.count == 1)
    }
}
