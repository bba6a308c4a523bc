import Foundation
import Testing
@testable import PushCore
@testable import PushMock

/// The client's resilience, each behaviour against a mock that misbehaves on purpose, over real TLS + HTTP/2.
@Suite("Delivery survives what APNs and networks do", .serialized)
struct DeliveryResilienceTests {
    /// Every input token has exactly one report row.
    private func expectOneRowPerToken(_ outcome: LiveCampaign.Outcome, _ tokens: [String]) {
        #expect(outcome.rows.count == tokens.count)
        #expect(Set(outcome.rows.map(\.token)) == Set(tokens))
    }

    @Test("payload arrays are reused: the connections give them back, and every payload sent is its own row's")
    func payloadsReused() throws {
        var live = LiveCampaign(tokens: LiveCampaign.tokens(600))
        live.connections = 2
        live.mock.goAway = MockGoAwayRule(afterRequests: 150)   // streams refused and resent too
        let outcome = try live.run()
        expectOneRowPerToken(outcome, live.tokens)
        #expect(outcome.rows.allSatisfy { $0.outcome == .delivered })
        #expect(outcome.spareBuffers > 0, "settled rows' payloads were handed back")
        for token in live.tokens { #expect(outcome.acceptedAlerts[token] == ["hello \(token)"]) }
    }

    @Test("GOAWAY (Shutdown) every 40 requests: every row delivered once, unprocessed streams resent without counting")
    func goAway() throws {
        var live = LiveCampaign(tokens: LiveCampaign.tokens(400))
        live.mock.goAway = MockGoAwayRule(afterRequests: 40)
        let outcome = try live.run()
        expectOneRowPerToken(outcome, live.tokens)
        #expect(outcome.rows.allSatisfy { $0.outcome == .delivered })
        #expect(outcome.rows.allSatisfy { $0.attempts == 1 }, "a refused stream is not an attempt")
        #expect(outcome.acceptedCount.values.allSatisfy { $0 == 1 }, "no token accepted twice")
        #expect(outcome.control.goAways >= 5)
        #expect(outcome.control.connectionsOpened >= 6, "a new connection after each GOAWAY")
        #expect(outcome.result.exitStatus == 0)
    }

    @Test("a connection reset every 150 requests: in-flight rows are resent and say so in attempts")
    func abruptDrops() throws {
        var live = LiveCampaign(tokens: LiveCampaign.tokens(600))
        live.mock.dropAfter = 150
        let outcome = try live.run()
        expectOneRowPerToken(outcome, live.tokens)
        #expect(outcome.rows.allSatisfy { $0.outcome == .delivered })
        #expect(outcome.result.exitStatus == 0)
        #expect(outcome.control.connectionsOpened >= 4)
        // A token may be accepted twice only if its row says it was sent more than once.
        for (token, count) in outcome.acceptedCount where count > 1 {
            #expect((outcome.row(token)?.attempts ?? 0) > 1, "\(token) accepted \(count)× with attempts 1")
        }
    }

    @Test("no answer: the request times out, is retried, then settles failed with reason Timeout")
    func silentTokens() throws {
        var live = LiveCampaign(tokens: LiveCampaign.tokens(20) + LiveCampaign.tokens(3, prefix: "5e"))
        live.mock.silentPrefixes = ["5e"]
        live.requestTimeoutMs = 300
        live.retryPolicy = RetryPolicy(maxRetries: 1, baseDelayMs: 5, maxDelayMs: 10)
        let outcome = try live.run()
        expectOneRowPerToken(outcome, live.tokens)
        let silent = outcome.rows.filter { $0.token.hasPrefix("5e") }
        #expect(silent.count == 3)
        #expect(silent.allSatisfy { $0.outcome == .failed && $0.reason == "Timeout" && $0.attempts == 2 })
        #expect(outcome.rows.filter { $0.outcome == .delivered }.count == 20)
        #expect(outcome.result.exitStatus == 1)
    }

    @Test("a connection that goes silent (no error, no FIN) is found by its PING and replaced; its rows are resent")
    func silentConnection() throws {
        var live = LiveCampaign(tokens: LiveCampaign.tokens(200))
        live.concurrency = 10
        live.requestTimeoutMs = 400
        live.pingAfterMs = 150
        live.retryPolicy = RetryPolicy(maxRetries: 5, baseDelayMs: 5, maxDelayMs: 20)
        live.relay = { mockPort in
            let relay = try FreezingRelay(upstreamPort: mockPort, freezeAfterBytes: 1500)
            return (relay.port, { relay.stop() })
        }
        let outcome = try live.run()
        expectOneRowPerToken(outcome, live.tokens)
        #expect(outcome.rows.allSatisfy { $0.outcome == .delivered })
        #expect(outcome.control.connectionsOpened >= 2, "the frozen connection was replaced")
        #expect(outcome.rows.contains { $0.attempts > 1 }, "rows in flight on the frozen connection were resent")
    }

    @Test("interrupted with requests that never get an answer: after the grace period they are left out of the report")
    func gracePeriod() throws {
        var live = LiveCampaign(tokens: LiveCampaign.tokens(20) + LiveCampaign.tokens(3, prefix: "5e"))
        live.mock.silentPrefixes = ["5e"]
        live.requestTimeoutMs = 60_000              // without the grace period these rows would wait a minute
        live.interrupt = (afterMs: 500, graceMs: 200)
        let outcome = try live.run()
        #expect(outcome.rows.count == 20, "the 3 unanswered rows are not in the report")
        #expect(outcome.rows.allSatisfy { $0.outcome == .delivered && !$0.token.hasPrefix("5e") })
        #expect(outcome.result.fatal == nil)
    }

    @Test("429 TooManyRequests twice, then success: delivered on the third attempt")
    func tooManyRequests() throws {
        var live = LiveCampaign(tokens: LiveCampaign.tokens(30) + LiveCampaign.tokens(5, prefix: "aa"))
        live.mock.responseRules = [MockResponseRule(prefix: "aa", status: 429, reason: "TooManyRequests", firstAttempts: 2)]
        let outcome = try live.run()
        expectOneRowPerToken(outcome, live.tokens)
        #expect(outcome.rows.allSatisfy { $0.outcome == .delivered })
        #expect(outcome.rows.filter { $0.token.hasPrefix("aa") }.allSatisfy { $0.attempts == 3 })
        #expect(outcome.rows.filter { !$0.token.hasPrefix("aa") }.allSatisfy { $0.attempts == 1 })
    }

    @Test("UnrelatedKeyIdInToken moves to a new connection; TooManyProviderTokenUpdates keeps the token and backs off")
    func tokenAnswers() throws {
        var live = LiveCampaign(tokens: LiveCampaign.tokens(20) + LiveCampaign.tokens(2, prefix: "0e") + LiveCampaign.tokens(2, prefix: "7a"))
        live.mock.responseRules = [
            MockResponseRule(prefix: "0e", status: 403, reason: "UnrelatedKeyIdInToken", firstAttempts: 1),
            MockResponseRule(prefix: "7a", status: 429, reason: "TooManyProviderTokenUpdates", firstAttempts: 1),
        ]
        let outcome = try live.run()
        expectOneRowPerToken(outcome, live.tokens)
        #expect(outcome.rows.allSatisfy { $0.outcome == .delivered })
        #expect(outcome.rows.filter { $0.token.hasPrefix("0e") || $0.token.hasPrefix("7a") }.allSatisfy { $0.attempts == 2 })
        #expect(outcome.control.connectionsOpened >= 2, "UnrelatedKeyIdInToken closed the connection")
        #expect(outcome.mints == 1, "no new token for TooManyProviderTokenUpdates")
    }

    @Test("retries run out: the row is rejected with the last reason and its attempts")
    func retriesRunOut() throws {
        var live = LiveCampaign(tokens: LiveCampaign.tokens(4, prefix: "ee"))
        live.mock.responseRules = [MockResponseRule(prefix: "ee", status: 503, reason: "ServiceUnavailable")]
        live.retryPolicy = RetryPolicy(maxRetries: 2, baseDelayMs: 5, maxDelayMs: 10)
        let outcome = try live.run()
        #expect(outcome.rows.count == 4)
        #expect(outcome.rows.allSatisfy { $0.outcome == .rejected && $0.status == 503
            && $0.reason == "ServiceUnavailable" && $0.attempts == 3 })
        #expect(outcome.server.requests == 12)
    }

    @Test("ExpiredProviderToken: one new token, every row resent and delivered")
    func expiredProviderToken() throws {
        var live = LiveCampaign(tokens: LiveCampaign.tokens(50))
        live.mock.expireProviderTokenOnce = true
        let outcome = try live.run()
        expectOneRowPerToken(outcome, live.tokens)
        #expect(outcome.rows.allSatisfy { $0.outcome == .delivered })
        #expect(outcome.mints == 2, "the refused token is replaced once, not per request")
        #expect(outcome.result.fatal == nil)
    }

    @Test("a replacement token refused as expired too: the clock is wrong, the run stops instead of looping")
    func clockSkew() throws {
        var live = LiveCampaign(tokens: LiveCampaign.tokens(30))
        live.tokenVerifier = { _ in .expiredProviderToken }
        let outcome = try live.run()
        #expect(outcome.mints == 2, "one replacement, no mint loop")
        #expect(outcome.result.exitStatus == 3)
        #expect(outcome.result.fatal?.contains("clock") == true)
        #expect(outcome.server.requests <= 3)
    }

    @Test("BadDeviceToken for everything: the run stops early and names the other environment")
    func wrongEnvironment() throws {
        var live = LiveCampaign(tokens: LiveCampaign.tokens(2000))
        live.mock.responseRules = [MockResponseRule(prefix: "", status: 400, reason: "BadDeviceToken")]
        live.campaignGuard = CampaignGuard(environmentFlag: "--sandbox")
        let outcome = try live.run()
        #expect(outcome.result.exitStatus == 3)
        #expect(outcome.result.fatal?.contains("try --production") == true)
        #expect(outcome.rows.count < 2000, "unsent rows are left out of the report for --resume")
        #expect(outcome.rows.allSatisfy { $0.reason == "BadDeviceToken" })
    }

    @Test("stream limit drops to 1 after each rejection: mixed good and bad tokens still all settle, none refused")
    func streamDrop() throws {
        let tokens = (0..<300).map { i in LiveCampaign.tokens(1, prefix: i % 3 == 0 ? "0bad\(String(i, radix: 16))" : "ab\(String(i, radix: 16))")[0] }
        var live = LiveCampaign(tokens: tokens)
        live.mock.dropStreamsOnRejection = true
        live.mock.responseRules = [MockResponseRule(prefix: "0bad", status: 400, reason: "DeviceTokenNotForTopic")]
        let outcome = try live.run()
        expectOneRowPerToken(outcome, tokens)
        #expect(outcome.rows.filter { $0.outcome == .rejected }.count == 100)
        #expect(outcome.rows.filter { $0.outcome == .delivered }.count == 200)
        #expect(outcome.rows.allSatisfy { $0.attempts == 1 }, "never more streams than the server allowed")
    }

    @Test("--rate 100: the server never sees more than the burst plus the rate in any 200 ms window")
    func rateLimit() throws {
        var live = LiveCampaign(tokens: LiveCampaign.tokens(60))
        live.ratePerSecond = 100
        let outcome = try live.run()
        #expect(outcome.rows.allSatisfy { $0.outcome == .delivered })
        let times = outcome.requestTimesMs.sorted()
        #expect(times.count == 60)
        // 100/s with a burst of 5: any 200 ms window holds at most 5 + 20 requests (+1 for rounding at the edges).
        var busiest = 0
        var start = 0
        for end in times.indices {
            while times[end] - times[start] >= 200 { start += 1 }
            busiest = max(busiest, end - start + 1)
        }
        #expect(busiest <= 26, "busiest 200 ms window had \(busiest) requests")
        #expect((times.last ?? 0) - (times.first ?? 0) >= 500, "60 requests at 100/s take over half a second")
    }

    @Test("a hostile campaign: 20,000 rows, GOAWAY every 500, reset every 1,500, 2 % 500s, 429 twice for some")
    func chaos() throws {
        var statuses: Set<Int32> = []
        for _ in 0..<2 {
            var live = LiveCampaign(tokens: LiveCampaign.tokens(19_900) + LiveCampaign.tokens(100, prefix: "cc"))
            live.concurrency = 200
            live.connections = 2
            live.retryPolicy = RetryPolicy(maxRetries: 8, baseDelayMs: 5, maxDelayMs: 50)
            live.mock.maxStreams = 100
            live.mock.goAway = MockGoAwayRule(afterRequests: 500)
            live.mock.dropEvery = 1500          // server-wide: GOAWAY at 500 per connection comes first otherwise
            live.mock.dropMode = .reset
            live.mock.failureRate = FailureRate(rate: 0.02, seed: 42)
            live.mock.responseRules = [MockResponseRule(prefix: "cc", status: 429, reason: "TooManyRequests", firstAttempts: 2)]
            let outcome = try live.run()
            expectOneRowPerToken(outcome, live.tokens)
            #expect(outcome.rows.allSatisfy { $0.outcome == .delivered })
            for (token, count) in outcome.acceptedCount where count > 1 {
                #expect((outcome.row(token)?.attempts ?? 0) > 1, "\(token) accepted \(count)× with attempts 1")
            }
            #expect(outcome.server.drops >= 10, "the mock reset connections (\(outcome.server.drops))")
            #expect(outcome.server.goAways >= 20)
            statuses.insert(outcome.result.exitStatus)
        }
        #expect(statuses == [0], "the same exit status every run")
    }
}
