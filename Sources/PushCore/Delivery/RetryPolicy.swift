/// What to do with an answer (or a non-answer) from APNs. Pure: the caller passes the attempt count and
/// a random source; no clock, no sleeping.
///
/// | answer                                                          | class          | action |
/// |-----------------------------------------------------------------|----------------|--------|
/// | 200 (201 a channel created, 204 a channel deleted)              | delivered      | settle `delivered` |
/// | 429 TooManyRequests, 500, 503 ServiceUnavailable                | retryable      | back off, resend (≤ `maxRetries`) |
/// | 503 Shutdown, 400 IdleTimeout                                   | reconnect      | resend on a new connection, with back-off |
/// | 429 TooManyProviderTokenUpdates                                 | reconnect      | keep the token, resend on a new connection, with back-off |
/// | 403 ExpiredProviderToken                                        | refreshToken   | mint a new token, resend at once on a new connection |
/// | 403 UnrelatedKeyIdInToken                                       | reconnect      | resend on a new connection |
/// | 403 InvalidProviderToken, MissingProviderToken, BadCertificate, BadCertificateEnvironment, BadEnvironmentKey(Id)InToken | credentials | stop the run (exit 3) |
/// | 400 FeatureNotEnabled, 403 TopicMismatch (broadcast and channel requests)                                             | credentials | stop the run (exit 3) |
/// | connection lost, no answer within `--timeout`, stream reset     | transport      | back off, resend (≤ `maxRetries`); the outcome was unknown, so the report counts the attempt |
/// | anything else (400 BadDeviceToken, 410 Unregistered, 413, …)    | final          | settle `rejected` |
///
/// Back-off is exponential with full jitter: attempt *n* (1-based) waits a uniformly random time in
/// `0 ... min(maxDelay, baseDelay × 2^(n−1))`, or the server's `retry-after` when it sent one (capped at `maxDelay`).
/// With the defaults (base 1 s, cap 60 s) the ceilings are 1 s, 2 s, 4 s, 8 s, 16 s, 32 s, 60 s, 60 s, …
public struct RetryPolicy: Sendable, Equatable {
    /// Resends allowed after the first attempt (`--retries`).
    public var maxRetries: Int
    public var baseDelayMs: Int
    public var maxDelayMs: Int

    public static let defaultRetries = 3

    public init(maxRetries: Int = RetryPolicy.defaultRetries, baseDelayMs: Int = 1000, maxDelayMs: Int = 60_000) {
        self.maxRetries = max(0, maxRetries)
        self.baseDelayMs = max(1, baseDelayMs)
        self.maxDelayMs = max(self.baseDelayMs, maxDelayMs)
    }

    public enum Class: Sendable, Equatable {
        case delivered, final, retryable, reconnect, refreshToken, credentials, transport
    }

    /// Classifies an HTTP status and APNs reason (nil status: no answer arrived).
    public static func classify(status: Int?, reason: Reason?) -> Class {
        guard let status else { return .transport }
        if status == 200 || status == 201 || status == 204 { return .delivered }
        if let reason {
            if reason.isCredentialFailure || reason.isBroadcastConfigurationFailure { return .credentials }
            switch reason {
            case .expiredProviderToken: return .refreshToken
            // Apple: after a token error the connection stays unusable.
            case .unrelatedKeyIdInToken, .shutdown, .idleTimeout, .tooManyProviderTokenUpdates: return .reconnect
            case .tooManyRequests, .internalServerError, .serviceUnavailable: return .retryable
            default: break
            }
            // The broadcast docs spell it with a space; accept both (apns-protocol.md §9.3).
            if reason.rawValue == "Service Unavailable" { return .retryable }
        }
        switch status {
        case 429, 500, 502, 503, 504: return .retryable
        default: return .final
        }
    }

    public enum Decision: Sendable, Equatable {
        /// Settle the row now with this outcome.
        case settle(Outcome)
        /// Send again after `delayMs` (0: at once); `newConnection` asks for it not to go on the same connection.
        case retry(delayMs: Int, newConnection: Bool)
        /// Mint a new provider token and send again at once.
        case refreshTokenAndRetry
        /// The credentials are refused for every request: stop the run.
        case stopRun
    }

    /// Decides for a request that has now been tried `attempts` times (≥ 1).
    /// - Parameters:
    ///   - retryAfterMs: the server's `retry-after`, if any.
    ///   - random: returns a uniformly random integer in `0...upper`.
    public func decide(status: Int?, reason: Reason?, attempts: Int, retryAfterMs: Int? = nil,
                       random: (Int) -> Int) -> Decision {
        let kind = RetryPolicy.classify(status: status, reason: reason)
        switch kind {
        case .delivered: return .settle(.delivered)
        case .final: return .settle(.rejected)
        case .credentials: return .stopRun
        case .refreshToken:
            return attempts <= maxRetries ? .refreshTokenAndRetry : .settle(.rejected)
        case .retryable, .reconnect, .transport:
            guard attempts <= maxRetries else { return .settle(status == nil ? .failed : .rejected) }
            let delay = retryAfterMs.map { min($0, maxDelayMs) } ?? random(backoffCeilingMs(attempt: attempts))
            return .retry(delayMs: delay, newConnection: kind == .reconnect)
        }
    }

    /// The jitter ceiling for attempt `attempt` (1-based): `min(maxDelay, baseDelay × 2^(attempt−1))`.
    public func backoffCeilingMs(attempt: Int) -> Int {
        let shift = min(max(0, attempt - 1), 30)
        let ceiling = baseDelayMs.multipliedReportingOverflow(by: 1 << shift)
        return ceiling.overflow ? maxDelayMs : min(maxDelayMs, ceiling.partialValue)
    }
}
