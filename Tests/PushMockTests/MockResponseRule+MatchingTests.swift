import PushCore
import Testing
@testable import PushMock

@Suite("MockResponseRule: matching by token prefix")
struct MockResponseRuleMatchingTests {
    static let rules = [
        MockResponseRule(prefix: "dead", status: 410, reason: "Unregistered"),
        MockResponseRule(prefix: "de", status: 400, reason: "BadDeviceToken"),
        MockResponseRule(prefix: "bad", status: 400, reason: "DeviceTokenNotForTopic"),
        MockResponseRule(prefix: "badbad", status: 500, reason: "InternalServerError"),
    ]

    @Test func longestMatchingPrefixWins() {
        #expect(MockResponseRule.bestMatch(in: Self.rules, token: "deadbeef")?.status == 410)
        #expect(MockResponseRule.bestMatch(in: Self.rules, token: "de00")?.reason == "BadDeviceToken")
        // "badbad" is listed after "bad" but is longer: longest wins, whatever the order.
        #expect(MockResponseRule.bestMatch(in: Self.rules, token: "badbad00")?.status == 500)
        #expect(MockResponseRule.bestMatch(in: Self.rules, token: "bad000")?.reason == "DeviceTokenNotForTopic")
        let same = [MockResponseRule(prefix: "ab", status: 400, reason: "First"), MockResponseRule(prefix: "ab", status: 500, reason: "Second")]
        #expect(MockResponseRule.bestMatch(in: same, token: "ab00")?.reason == "First", "equal prefixes: first given")
        #expect(MockResponseRule.bestMatch(in: Self.rules, token: "00ff") == nil)
        #expect(MockResponseRule.bestMatch(in: [], token: "dead") == nil)
    }

    @Test func matchingIgnoresCase() {
        #expect(MockResponseRule.bestMatch(in: Self.rules, token: "DEADBEEF")?.status == 410)
        let upperRule = [MockResponseRule(prefix: "AB", status: 429, reason: "TooManyRequests")]
        #expect(MockResponseRule.bestMatch(in: upperRule, token: "ab12")?.status == 429)
    }

    @Test func emptyPrefixMatchesEveryToken() {
        let rules = [MockResponseRule(prefix: "", status: 503, reason: "ServiceUnavailable")]
        #expect(MockResponseRule.bestMatch(in: rules, token: "0123")?.status == 503)
    }

    @Test func prefixLongerThanTheTokenDoesNotMatch() {
        #expect(MockResponseRule.bestMatch(in: Self.rules, token: "ba") == nil)
        #expect(MockResponseRule.bestMatch(in: Self.rules, token: "dea")?.prefix == "de")
    }

    @Test func ruleDecidesStatusReasonAndTimestamp() {
        let validator = RequestValidator(responseRules: Self.rules + [MockResponseRule(prefix: "", status: 200, reason: "")])
        let gone = Requests.decide(Requests.valid(token: "dead" + String(repeating: "0", count: 60)), validator)
        #expect(gone == MockDecision(status: 410, reason: .unregistered, apnsID: Requests.fixedID,
                                     timestampMs: 1_732_630_000_000))
        let longest = Requests.decide(Requests.valid(token: "badbad" + String(repeating: "0", count: 58)), validator)
        #expect(longest.status == 500, "badbad is the longest matching prefix")
        #expect(longest.reason == .internalServerError)
        #expect(longest.timestampMs == nil)
        let shorter = Requests.decide(Requests.valid(token: "bad0" + String(repeating: "0", count: 60)), validator)
        #expect(shorter.status == 400)
        #expect(shorter.reason == .deviceTokenNotForTopic)
        // A catch-all 200 rule accepts normally.
        #expect(Requests.decide(Requests.valid(), validator).status == 200)
    }

    @Test func firstAttemptsLimitWhenARuleApplies() {
        let twice = MockResponseRule(prefix: "aa", status: 429, reason: "TooManyRequests", firstAttempts: 2)
        #expect((1...4).map(twice.applies(toAttempt:)) == [true, true, false, false])
        let always = MockResponseRule(prefix: "aa", status: 429, reason: "TooManyRequests")
        #expect((1...4).allSatisfy(always.applies(toAttempt:)))
    }

    @Test func silentPrefixesMatchAnyCase() {
        #expect(MockResponseRule.matchesAny(["5e", "dead"], token: "DEADbeef"))
        #expect(MockResponseRule.matchesAny(["5e"], token: "5e00"))
        #expect(!MockResponseRule.matchesAny(["5e"], token: "e500"))
        #expect(!MockResponseRule.matchesAny([], token: "5e00"))
    }

    @Test func configurationCarriesRulesToTheValidator() {
        let rate = FailureRate(rate: 0.25, seed: 9)
        let configuration = MockConfiguration(responseRules: Self.rules, requireProviderToken: false,
                                              failureRate: rate, expireProviderTokenOnce: true)
        let validator = RequestValidator(configuration: configuration)
        #expect(validator.responseRules == Self.rules)
        #expect(validator.requireProviderToken == false)
        #expect(validator.failureRate == rate)
        #expect(validator.expireProviderTokenOnce)
        #expect(configuration.maxStreams == 1000)
        #expect(configuration.logPath == nil)
    }
}
