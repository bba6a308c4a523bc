import Testing
@testable import PushCore

@Suite("RetryPolicy: what to do with each answer")
struct RetryPolicyTests {
    let policy = RetryPolicy(maxRetries: 3, baseDelayMs: 1000, maxDelayMs: 60_000)
    /// Full jitter at its ceiling, so the delay shows the ceiling.
    let top: (Int) -> Int = { $0 }

    @Test("classification by status and reason", arguments: [
        (200, nil, RetryPolicy.Class.delivered),
        (400, "BadDeviceToken", .final), (410, "Unregistered", .final), (413, "PayloadTooLarge", .final),
        (403, "Forbidden", .final),
        (429, "TooManyRequests", .retryable), (429, "TooManyProviderTokenUpdates", .reconnect),
        (500, "InternalServerError", .retryable), (503, "ServiceUnavailable", .retryable),
        (503, "Service Unavailable", .retryable), (502, nil, .retryable),
        (503, "Shutdown", .reconnect), (400, "IdleTimeout", .reconnect), (403, "UnrelatedKeyIdInToken", .reconnect),
        (403, "ExpiredProviderToken", .refreshToken),
        (403, "InvalidProviderToken", .credentials), (403, "BadEnvironmentKeyInToken", .credentials),
        (403, "BadEnvironmentKeyIdInToken", .credentials), (403, "BadCertificateEnvironment", .credentials),
    ] as [(Int, String?, RetryPolicy.Class)])
    func classify(status: Int, reason: String?, expected: RetryPolicy.Class) {
        #expect(RetryPolicy.classify(status: status, reason: reason.map(Reason.init(rawValue:))) == expected)
    }

    @Test("no answer is a transport failure")
    func transport() {
        #expect(RetryPolicy.classify(status: nil, reason: nil) == .transport)
    }

    @Test("exponential ceilings with a cap: 1 s, 2 s, 4 s ... 60 s")
    func ceilings() {
        let policy = RetryPolicy(maxRetries: 10)
        #expect((1...8).map { policy.backoffCeilingMs(attempt: $0) } == [1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000])
        #expect(policy.backoffCeilingMs(attempt: 200) == 60000, "no overflow for huge attempt numbers")
    }

    @Test("retryable answers back off with full jitter until the retries run out")
    func retryUntilLimit() {
        for attempts in 1...3 {
            #expect(policy.decide(status: 500, reason: .internalServerError, attempts: attempts, random: top)
                == .retry(delayMs: policy.backoffCeilingMs(attempt: attempts), newConnection: false))
        }
        #expect(policy.decide(status: 500, reason: .internalServerError, attempts: 4, random: top) == .settle(.rejected))
        #expect(policy.decide(status: nil, reason: nil, attempts: 4, random: top) == .settle(.failed),
                "a transport failure with no retries left is failed, not rejected")
        #expect(policy.decide(status: 429, reason: .tooManyRequests, attempts: 1, random: { _ in 0 })
                == .retry(delayMs: 0, newConnection: false), "jitter may pick zero")
    }

    @Test("retry-after wins over the jitter and is capped")
    func retryAfter() {
        #expect(policy.decide(status: 429, reason: .tooManyRequests, attempts: 1, retryAfterMs: 5000, random: top)
            == .retry(delayMs: 5000, newConnection: false))
        #expect(policy.decide(status: 503, reason: .serviceUnavailable, attempts: 1, retryAfterMs: 999_000, random: top)
            == .retry(delayMs: 60_000, newConnection: false))
    }

    @Test("Shutdown and UnrelatedKeyIdInToken ask for a new connection; ExpiredProviderToken for a new token")
    func specialActions() {
        #expect(policy.decide(status: 503, reason: .shutdown, attempts: 1, random: top)
            == .retry(delayMs: 1000, newConnection: true))
        #expect(policy.decide(status: 403, reason: .unrelatedKeyIdInToken, attempts: 1, random: top)
            == .retry(delayMs: 1000, newConnection: true))
        #expect(policy.decide(status: 403, reason: .expiredProviderToken, attempts: 1, random: top) == .refreshTokenAndRetry)
        #expect(policy.decide(status: 403, reason: .invalidProviderToken, attempts: 1, random: top) == .stopRun)
        #expect(policy.decide(status: 400, reason: .badDeviceToken, attempts: 1, random: top) == .settle(.rejected))
        #expect(policy.decide(status: 200, reason: nil, attempts: 2, random: top) == .settle(.delivered))
    }

    @Test("--retries 0 settles at the first failure")
    func noRetries() {
        let none = RetryPolicy(maxRetries: 0)
        #expect(none.decide(status: 503, reason: .serviceUnavailable, attempts: 1, random: top) == .settle(.rejected))
        #expect(none.decide(status: nil, reason: nil, attempts: 1, random: top) == .settle(.failed))
    }
}

@Suite("RateLimiter: smooth, no bursts at second boundaries")
struct RateLimiterTests {
    @Test("100/s allows a burst of 5, then one every 10 ms")
    func smooth() {
        var limiter = RateLimiter(ratePerSecond: 100)
        #expect(limiter.acquire(upTo: 50, nowNs: 0) == 5)
        #expect(limiter.acquire(upTo: 50, nowNs: 0) == 0)
        #expect(limiter.waitNs(nowNs: 0) == 10_000_000)
        #expect(limiter.acquire(upTo: 50, nowNs: 10_000_000) == 1)
        #expect(limiter.acquire(upTo: 50, nowNs: 1_000_000_000) == 5, "idle time refills only up to the burst")
    }

    @Test("over one simulated second, grants match the rate")
    func rate() {
        var limiter = RateLimiter(ratePerSecond: 1000)
        var granted = 0
        var now: UInt64 = 0
        while now <= 1_000_000_000 {
            granted += limiter.acquire(upTo: 1000, nowNs: now)
            now += 1_000_000
        }
        #expect((1000...1051).contains(granted), "1000/s plus the initial burst of 50, got \(granted)")
    }

    @Test("unused grants go back")
    func giveBack() {
        var limiter = RateLimiter(ratePerSecond: 20)
        #expect(limiter.acquire(upTo: 1, nowNs: 0) == 1)
        limiter.giveBack(1)
        #expect(limiter.acquire(upTo: 1, nowNs: 0) == 1)
    }
}
