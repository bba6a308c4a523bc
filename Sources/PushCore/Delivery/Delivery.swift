import Foundation

/// A notification on its way to APNs, with what has happened to it so far.
public struct Delivery: Sendable {
    public var notification: PushNotification
    /// Requests sent whose outcome was known or unknown (a lost connection counts): the report's `attempts`.
    public var attempts = 0
    /// Requests the server refused unprocessed (streams above a GOAWAY's last-stream-id): not attempts,
    /// but bounded so that a server that refuses everything cannot keep a row forever.
    public var refusals = 0
    /// Why the last attempt failed, for the report when the retries run out.
    public var lastFailure: String?

    public init(_ notification: PushNotification) {
        self.notification = notification
    }

    /// Refusals after which a row is settled `failed` (reason `Refused`).
    public static let maxRefusals = 8
}

/// A token bucket that spreads `ratePerSecond` sends evenly (`--rate`): the bucket holds at most 1/20 s worth
/// (at least one), so there are no bursts at the top of each second. Pure: the caller passes `nowNs`.
public struct RateLimiter: Sendable, Equatable {
    public let ratePerSecond: Double
    public let burst: Double
    private var tokens: Double
    private var lastNs: UInt64?

    public init(ratePerSecond: Int) {
        self.ratePerSecond = Double(max(1, ratePerSecond))
        self.burst = max(1, self.ratePerSecond / 20)
        self.tokens = burst
    }

    /// Takes up to `wanted` sends allowed at `nowNs`; returns how many were granted.
    public mutating func acquire(upTo wanted: Int, nowNs: UInt64) -> Int {
        refill(nowNs)
        let granted = min(wanted, Int(tokens.rounded(.down)))
        tokens -= Double(granted)
        return max(0, granted)
    }

    /// Nanoseconds from `nowNs` until one more send is allowed (0 when one is allowed now).
    public mutating func waitNs(nowNs: UInt64) -> UInt64 {
        refill(nowNs)
        if tokens >= 1 { return 0 }
        return UInt64(((1 - tokens) / ratePerSecond * 1e9).rounded(.up))
    }

    /// Puts back grants that were not used.
    public mutating func giveBack(_ count: Int) {
        tokens = min(burst, tokens + Double(max(0, count)))
    }

    private mutating func refill(_ nowNs: UInt64) {
        if let lastNs, nowNs > lastNs {
            tokens = min(burst, tokens + Double(nowNs - lastNs) / 1e9 * ratePerSecond)
        }
        if lastNs == nil || nowNs > lastNs! { lastNs = nowNs }
    }
}

/// The run's one `RateLimiter`, shared by every connection thread.
public final class SharedRateLimiter: @unchecked Sendable {
    private let lock = NSLock()
    private var limiter: RateLimiter

    public init(ratePerSecond: Int) { limiter = RateLimiter(ratePerSecond: ratePerSecond) }

    /// Grants up to `wanted` sends now; when fewer, also says how long until the next one.
    public func acquire(upTo wanted: Int) -> (granted: Int, waitNs: UInt64) {
        let now = Clock.monotonicNanoseconds()
        lock.lock()
        defer { lock.unlock() }
        let granted = limiter.acquire(upTo: wanted, nowNs: now)
        return (granted, granted < wanted ? limiter.waitNs(nowNs: now) : 0)
    }

    /// Returns sends that were granted but not used (the queue had less work than the grant).
    public func giveBack(_ count: Int) {
        lock.lock()
        limiter.giveBack(count)
        lock.unlock()
    }
}
