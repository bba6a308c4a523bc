import PushCore
import Testing
@testable import PushMock

/// The per-attempt rules: `--respond …:K`, `--fail-rate`, `--expire-token-once`.
@Suite("RequestValidator: first-K rules, failure rate, provider tokens expired once")
struct RequestValidatorMisbehaviourTests {
    static let aaToken = "aa" + String(repeating: "01", count: 31)

    func decide(_ validator: RequestValidator, _ request: MockRequest = Requests.valid(token: aaToken),
                attempt: Int, uses: @escaping (Substring) -> Int = { _ in 1 }) -> MockDecision {
        validator.decide(request, attempt: attempt, providerTokenUses: uses, nowMs: { 1_732_630_000_000 },
                         newID: { Requests.fixedID })
    }

    @Test func aRuleWithKAnswersTheFirstKAttemptsThenAccepts() {
        let validator = RequestValidator(responseRules: [
            MockResponseRule(prefix: "aa", status: 429, reason: "TooManyRequests", firstAttempts: 2),
        ])
        let statuses = (1...5).map { decide(validator, attempt: $0).status }
        #expect(statuses == [429, 429, 200, 200, 200])
        #expect(decide(validator, attempt: 1).reason == .tooManyRequests)
        // Other tokens are untouched.
        #expect(decide(validator, Requests.valid(), attempt: 1).status == 200)
    }

    @Test func aRuleWithoutKAppliesToEveryAttempt() {
        let validator = RequestValidator(responseRules: [MockResponseRule(prefix: "aa", status: 410, reason: "Unregistered")])
        #expect((1...4).map { decide(validator, attempt: $0).status } == [410, 410, 410, 410])
    }

    @Test func pastKTheLongestRuleDoesNotFallBackToAShorterOne() {
        let validator = RequestValidator(responseRules: [
            MockResponseRule(prefix: "a", status: 400, reason: "BadDeviceToken"),
            MockResponseRule(prefix: "aa", status: 503, reason: "ServiceUnavailable", firstAttempts: 1),
        ])
        #expect(decide(validator, attempt: 1).status == 503)
        #expect(decide(validator, attempt: 2).status == 200)
    }

    @Test("--timestamp: a rule's error answer carries the raw text; the longest prefix wins; 200s carry none",
          arguments: ["1e19", "1e400", "-1e300"])
    func rawTimestamps(text: String) {
        let validator = RequestValidator(
            responseRules: [MockResponseRule(prefix: "aa", status: 410, reason: "Unregistered"),
                            MockResponseRule(prefix: "bb", status: 400, reason: "BadDeviceToken")],
            timestampRules: [MockTimestampRule(prefix: "a", text: "0"), MockTimestampRule(prefix: "aa", text: text),
                             MockTimestampRule(prefix: "bb", text: "7"), MockTimestampRule(prefix: "cc", text: "8")])
        let gone = decide(validator, attempt: 1)
        #expect(gone.timestampText == text)
        #expect(gone.timestampMs == nil)
        #expect(MockResponseEncoding.body(for: gone).map { String(decoding: $0, as: UTF8.self) }
            == #"{"reason":"Unregistered","timestamp":"# + text + "}")
        // Any rule's error status takes it, not only 410.
        let bad = decide(validator, Requests.valid(token: "bb" + String(repeating: "0", count: 62)), attempt: 1)
        #expect(bad.status == 400 && bad.timestampText == "7")
        // No rule answers cc: accepted, no body.
        let accepted = decide(validator, Requests.valid(token: "cc" + String(repeating: "0", count: 62)), attempt: 1)
        #expect(accepted.status == 200 && accepted.timestampText == nil)
        #expect(MockResponseEncoding.body(for: accepted) == nil)
        // Without a --timestamp rule a 410 carries the clock's milliseconds.
        let plain = RequestValidator(responseRules: [MockResponseRule(prefix: "aa", status: 410, reason: "Unregistered")])
        #expect(decide(plain, attempt: 1).timestampMs == 1_732_630_000_000)
        #expect(decide(plain, attempt: 1).timestampText == nil)
    }

    @Test func failureRateAnswers500ToOtherwiseAcceptedRequestsOnly() {
        let always = FailureRate(rate: 1, seed: 1)
        let validator = RequestValidator(responseRules: [MockResponseRule(prefix: "dead", status: 410, reason: "Unregistered")],
                                         failureRate: always)
        let failed = decide(validator, Requests.valid(), attempt: 1)
        #expect(failed.status == 500)
        #expect(failed.reason == .internalServerError)
        // A rule's answer and a validation error come first.
        #expect(decide(validator, Requests.valid(token: "dead" + String(repeating: "0", count: 60)), attempt: 1).status == 410)
        #expect(decide(validator, Requests.valid().setting("apns-topic", nil), attempt: 1).reason == .missingTopic)
    }

    @Test func failureRateFollowsThePureDrawForTokenAndAttempt() {
        let rate = FailureRate(rate: 0.5, seed: 2024)
        let validator = RequestValidator(failureRate: rate)
        for i in 0..<200 {
            let token = SplitMix64ReproducibilityTests.token(i)
            for attempt in 1...2 {
                let status = decide(validator, Requests.valid(token: token), attempt: attempt).status
                #expect(status == (rate.fails(token: token, attempt: attempt) ? 500 : 200))
            }
        }
    }

    @Test func expireOnceRefusesTheFirstUseOfEachProviderToken() {
        let validator = RequestValidator(expireProviderTokenOnce: true)
        var uses: [Substring: Int] = [:]
        func count(_ jwt: Substring) -> Int {
            uses[jwt, default: 0] += 1
            return uses[jwt]!
        }
        let first = Requests.valid().setting("authorization", "bearer first.jwt.x")
        let second = Requests.valid().setting("authorization", "bearer second.jwt.x")
        #expect(decide(validator, first, attempt: 1, uses: count).reason == .expiredProviderToken)
        #expect(decide(validator, first, attempt: 2, uses: count).status == 200)
        #expect(decide(validator, first, attempt: 3, uses: count).status == 200)
        let fresh = decide(validator, second, attempt: 4, uses: count)
        #expect(fresh.status == 403)
        #expect(fresh.reason == .expiredProviderToken)
        #expect(decide(validator, second, attempt: 5, uses: count).status == 200)
    }

    @Test func expireOnceCountsOnlyTokensThatPassedTheVerifier() {
        let validator = RequestValidator(tokenVerifier: { $0 == "good" ? nil : .invalidProviderToken },
                                         expireProviderTokenOnce: true)
        var asked: [Substring] = []
        let bad = Requests.valid().setting("authorization", "bearer bad")
        #expect(decide(validator, bad, attempt: 1, uses: { asked.append($0); return 1 }).reason == .invalidProviderToken)
        #expect(asked.isEmpty)
        let good = Requests.valid().setting("authorization", "bearer good")
        #expect(decide(validator, good, attempt: 1, uses: { asked.append($0); return 1 }).reason == .expiredProviderToken)
        #expect(asked == ["good"])
    }

    @Test func withoutExpireOnceTheUseCountIsNeverAsked() {
        let validator = RequestValidator()
        var asked = 0
        #expect(decide(validator, attempt: 1, uses: { _ in asked += 1; return 1 }).status == 200)
        #expect(asked == 0)
    }
}
