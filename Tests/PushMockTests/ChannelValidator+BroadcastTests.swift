import PushCore
import Testing
@testable import PushMock

/// Broadcast requests for the validator tests: a registered storing channel and a registered no-storage one.
enum Broadcasts {
    static let bundle = "com.example.app"
    static let storing = "c3RvcmluZy1jaGFubmVs"          // policy 1
    static let noStorage = "bm8tc3RvcmFnZQ=="             // policy 0
    static let registered = [storing: 1, noStorage: 0]

    static func valid(channel: String = storing) -> MockRequest {
        MockRequest(method: "POST", path: "/4/broadcasts/apps/\(bundle)",
                    headers: [("authorization", "bearer eyJhbGciOiJFUzI1NiJ9.e30.c2ln"),
                              ("apns-channel-id", channel),
                              ("apns-push-type", "liveactivity"),
                              ("apns-priority", "10"),
                              ("apns-expiration", channel == noStorage ? "0" : "1900000000")],
                    body: Array(#"{"aps":{"event":"update","timestamp":1,"content-state":{}}}"#.utf8))
    }

    static func check(_ request: MockRequest, _ validator: ChannelValidator = ChannelValidator.standard,
                      attempt: Int = 1) -> ChannelRefusal? {
        validator.checkBroadcast(request, bundle: bundle, attempt: attempt, policy: { registered[$0] })
    }
}

extension ChannelValidator {
    static let standard = ChannelValidator(authentication: RequestValidator(), broadcast: MockBroadcastConfiguration())

    static func with(_ change: (inout MockBroadcastConfiguration) -> Void) -> ChannelValidator {
        var broadcast = MockBroadcastConfiguration()
        change(&broadcast)
        return ChannelValidator(authentication: RequestValidator(), broadcast: broadcast)
    }
}

@Suite("ChannelValidator: broadcasts, in the order APNs checks them")
struct ChannelValidatorBroadcastTests {
    /// Faults in check order (the table of `ChannelValidator`); each is combined with every later one.
    static let faults: [(name: String, reason: Reason, apply: @Sendable (inout MockRequest) -> Void)] = [
        ("authorization", .missingProviderToken, { $0 = $0.setting("authorization", nil) }),
        ("channel id", ChannelReason.missingChannelId, { $0 = $0.setting("apns-channel-id", nil) }),
        ("push type", ChannelReason.missingPushType, { $0 = $0.setting("apns-push-type", nil) }),
        ("priority", .badPriority, { $0 = $0.setting("apns-priority", "3") }),
        ("expiration", .badExpirationDate, { $0 = $0.setting("apns-expiration", nil) }),
        ("topic", .topicDisallowed, { $0 = $0.setting("apns-topic", "com.example.app.push-type.liveactivity") }),
        ("request id", .badMessageId, { $0 = $0.setting("apns-request-id", "nope") }),
        ("too large", .payloadTooLarge, { $0 = $0.with(body: Array(repeating: UInt8(ascii: " "), count: 5121)) }),
    ]

    @Test(arguments: 0..<faults.count)
    func earliestFaultWins(from first: Int) {
        var request = Broadcasts.valid()
        for fault in Self.faults[first...] { fault.apply(&request) }
        #expect(Broadcasts.check(request)?.reason == Self.faults[first].reason, "faults from \(Self.faults[first].name) on")
    }

    @Test func aValidBroadcastIsAccepted() {
        #expect(Broadcasts.check(Broadcasts.valid()) == nil)
        #expect(Broadcasts.check(Broadcasts.valid(channel: Broadcasts.noStorage)) == nil)
        // The topic may be the bare bundle id; the push type any case; priorities 10, 5 and 1.
        #expect(Broadcasts.check(Broadcasts.valid().setting("apns-topic", Broadcasts.bundle)) == nil)
        #expect(Broadcasts.check(Broadcasts.valid().setting("apns-push-type", "LiveActivity")) == nil)
        for priority in ["10", "5", "1"] {
            #expect(Broadcasts.check(Broadcasts.valid().setting("apns-priority", priority)) == nil)
        }
        #expect(Broadcasts.check(Broadcasts.valid().setting("apns-request-id",
                                                            "00000000-0000-4000-8000-000000000001")) == nil)
        #expect(Broadcasts.check(Broadcasts.valid().with(body: Array(repeating: UInt8(ascii: " "), count: 5118)
            + Array("{}".utf8))) == nil, "5120 bytes fit")
    }

    @Test func featureDisabledComesRightAfterTheProviderToken() {
        let disabled = ChannelValidator.with { $0.disabled = true }
        #expect(Broadcasts.check(Broadcasts.valid().setting("apns-channel-id", nil), disabled)
            == ChannelRefusal(400, ChannelReason.featureNotEnabled))
        #expect(Broadcasts.check(Broadcasts.valid().setting("authorization", nil), disabled)?.reason == .missingProviderToken)
    }

    @Test func channelIDsMustBeBase64AndRegistered() {
        for bad in ["abc", "ab=c", "a===", "abc!", "====", String(repeating: "A", count: 260)] {
            #expect(Broadcasts.check(Broadcasts.valid().setting("apns-channel-id", bad))?.reason
                == ChannelReason.badChannelId, "\(bad)")
        }
        #expect(Broadcasts.check(Broadcasts.valid().setting("apns-channel-id", ""))?.reason == ChannelReason.missingChannelId)
        #expect(Broadcasts.check(Broadcasts.valid().setting("apns-channel-id", "QUJDRA=="))
            == ChannelRefusal(400, ChannelReason.channelNotRegistered))
        // Registered for another bundle is not registered for this one.
        let other = ChannelValidator.standard.checkBroadcast(Broadcasts.valid(), bundle: "com.other",
                                                             policy: { _ in nil })
        #expect(other?.reason == ChannelReason.channelNotRegistered)
    }

    @Test func pushTypeMustBeLiveActivity() {
        #expect(Broadcasts.check(Broadcasts.valid().setting("apns-push-type", "alert"))
            == ChannelRefusal(400, .invalidPushType))
        #expect(Broadcasts.check(Broadcasts.valid().setting("apns-push-type", ""))?.reason == ChannelReason.missingPushType)
    }

    @Test func expirationMustBeZeroOnANoStorageChannel() {
        let noStorage = Broadcasts.valid(channel: Broadcasts.noStorage)
        #expect(Broadcasts.check(noStorage.setting("apns-expiration", "1900000000"))?.reason == .badExpirationDate)
        #expect(Broadcasts.check(noStorage.setting("apns-expiration", "00")) == nil)
        #expect(Broadcasts.check(Broadcasts.valid().setting("apns-expiration", "0")) == nil, "0 is fine when stored")
        #expect(Broadcasts.check(Broadcasts.valid().setting("apns-expiration", "soon"))?.reason == .badExpirationDate)
        #expect(Broadcasts.check(Broadcasts.valid().setting("apns-priority", nil))?.reason == .badPriority)
    }

    @Test func anyOtherTopicIsDisallowed() {
        #expect(Broadcasts.check(Broadcasts.valid().setting("apns-topic", "com.other"))?.reason == .topicDisallowed)
    }

    @Test func bodyChecksComeLastInSizeEmptySyntaxOrder() {
        #expect(Broadcasts.check(Broadcasts.valid().with(body: [])) == ChannelRefusal(400, .payloadEmpty))
        #expect(Broadcasts.check(Broadcasts.valid().with(body: Array("{\"aps\":".utf8)))
            == ChannelRefusal(400, ChannelReason.badRequestPayload))
        #expect(Broadcasts.check(Broadcasts.valid().with(body: Array("[1]".utf8)))?.reason == ChannelReason.badRequestPayload)
        var large = Broadcasts.valid().with(body: Array(repeating: UInt8(ascii: "x"), count: 6000))
        #expect(Broadcasts.check(large) == ChannelRefusal(413, .payloadTooLarge))
        large = large.setting("apns-priority", "7")
        #expect(Broadcasts.check(large)?.reason == .badPriority, "header checks come before the body's")
    }

    @Test func channelRulesAnswerBeforeTheLookupForTheirFirstKAttempts() {
        let validator = ChannelValidator.with {
            $0.channelRules = [MockResponseRule(prefix: "QU", status: 429, reason: "TooManyRequests", firstAttempts: 2),
                               MockResponseRule(prefix: "QUJD", status: 400, reason: "BadRequestParams"),
                               MockResponseRule(prefix: "c3Rv", status: 500, reason: "InternalServerError", firstAttempts: 1)]
        }
        let madeUp = Broadcasts.valid().setting("apns-channel-id", "QUFBQQ==")
        #expect(Broadcasts.check(madeUp, validator, attempt: 1) == ChannelRefusal(429, .tooManyRequests))
        #expect(Broadcasts.check(madeUp, validator, attempt: 2)?.reason == .tooManyRequests)
        #expect(Broadcasts.check(madeUp, validator, attempt: 3)?.reason == ChannelReason.channelNotRegistered)
        // Longest prefix wins; prefixes are case-sensitive.
        #expect(Broadcasts.check(madeUp.setting("apns-channel-id", "QUJDRA=="), validator)?.reason.rawValue
            == "BadRequestParams")
        #expect(Broadcasts.check(madeUp.setting("apns-channel-id", "qUJDRA=="), validator)?.reason
            == ChannelReason.channelNotRegistered)
        // A registered channel: the error once, then accepted.
        #expect(Broadcasts.check(Broadcasts.valid(), validator, attempt: 1)?.status == 500)
        #expect(Broadcasts.check(Broadcasts.valid(), validator, attempt: 2) == nil)
        // Syntax checks come first.
        #expect(Broadcasts.check(madeUp.setting("apns-channel-id", "QU!!"), validator)?.reason == ChannelReason.badChannelId)
    }

    @Test func providerTokenRulesAreThoseOfThePushPort() {
        let refusing = ChannelValidator(authentication: RequestValidator(tokenVerifier: { _ in .expiredProviderToken }),
                                        broadcast: MockBroadcastConfiguration())
        #expect(Broadcasts.check(Broadcasts.valid(), refusing) == ChannelRefusal(403, .expiredProviderToken))
        let certificateAuth = ChannelValidator(authentication: RequestValidator(requireProviderToken: false),
                                               broadcast: MockBroadcastConfiguration())
        #expect(Broadcasts.check(Broadcasts.valid().setting("authorization", nil), certificateAuth) == nil)
    }
}
