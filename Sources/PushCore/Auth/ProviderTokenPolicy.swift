/// When to mint a new provider token. A value type with no clock: every decision takes `now`
/// (UNIX seconds, the same clock that stamps `iat`).
///
/// APNs refuses tokens older than 60 minutes (ExpiredProviderToken) and tokens replaced more often
/// than every 20 minutes (TooManyProviderTokenUpdates), so (apns-protocol.md §6):
///
/// | state                                          | age = now − last mint      | decision |
/// |------------------------------------------------|----------------------------|----------|
/// | no token yet                                   | –                          | mint     |
/// | current token was rejected as ExpiredProviderToken | any                    | mint     |
/// | token in use                                   | age < 20 min               | reuse    |
/// | token in use                                   | 20 min ≤ age < 50 min      | reuse    |
/// | token in use                                   | age ≥ 50 min               | mint     |
/// | token in use, wall clock stepped back          | age < 0                    | reuse    |
///
/// The renewal age can be configured; it is never allowed below the 20-minute minimum interval
/// (a renewal age of 10 minutes behaves as 20). Only an expiry rejection mints sooner.
public struct ProviderTokenPolicy: Sendable, Equatable {
    /// Renew a token this old (seconds): 50 minutes, as apns2 and pushy do.
    public static let defaultRenewalAge: Int64 = 50 * 60
    /// Never mint twice within this many seconds (unless the token was rejected as expired).
    public static let minimumInterval: Int64 = 20 * 60

    public var renewalAge: Int64
    /// When the current token was minted (its `iat`); nil before the first mint.
    public private(set) var lastMint: Int64?
    /// Set by `currentTokenRejectedAsExpired()`, cleared by the next mint.
    public private(set) var expiryReported = false

    public init(renewalAge: Int64 = ProviderTokenPolicy.defaultRenewalAge) {
        self.renewalAge = renewalAge
    }

    /// True when a new token must be minted at `now`.
    public func shouldMint(now: Int64) -> Bool {
        guard let lastMint else { return true }
        if expiryReported { return true }
        let age = now - lastMint
        return age >= max(renewalAge, Self.minimumInterval)
    }

    /// Records a mint at `now` (the new token's `iat`).
    public mutating func didMint(now: Int64) {
        lastMint = now
        expiryReported = false
    }

    /// APNs answered ExpiredProviderToken for the current token: the next `shouldMint` says yes.
    public mutating func currentTokenRejectedAsExpired() {
        if lastMint != nil { expiryReported = true }
    }
}
