import Glibc
import Synchronization

/// A minted provider token and when it was minted. Its description leaves the token out.
public struct IssuedProviderToken: Sendable, Equatable, CustomStringConvertible {
    /// The JWT.
    public var token: String
    /// The `authorization` header value: `bearer <JWT>` (built once per mint).
    public var authorization: String
    /// The token's `iat` (UNIX seconds).
    public var issuedAt: Int64
    /// 1 for the first token, then +1 per mint: compare it to notice a new token cheaply.
    public var generation: Int

    public var description: String {
        "IssuedProviderToken(generation: \(generation), issuedAt: \(issuedAt), token: <redacted>)"
    }
}

/// The one provider token of a run, shared by every connection thread. Hands out the cached token
/// and mints a new one when `ProviderTokenPolicy` says so.
///
/// Thread-safe: a `Mutex` guards the cached token; the hot path is one uncontended lock, one clock
/// read and one comparison. Minting (≈0.1 ms) happens under the lock, so concurrent callers never
/// mint twice.
public final class ProviderTokenSource: Sendable {
    public let keyID: String
    public let teamID: String
    private let key: ES256PrivateKey
    private let clock: @Sendable () -> Int64
    private let state: Mutex<State>

    private struct State {
        var policy: ProviderTokenPolicy
        var issued: IssuedProviderToken?
        var mints = 0
        /// The current token was minted because APNs called the previous one expired.
        var currentReplacesExpired = false
        /// Generation of the newest token APNs accepted (answered a request sent with it).
        var acceptedGeneration = 0
        /// When a token that APNs had accepted was last renewed early because it called it expired.
        var lastEarlyRenewal: Int64?
        var lifetimeWarned = false
    }

    /// Tokens that APNs accepted and then called expired are renewed at most this often (seconds).
    public static let earlyRenewalInterval: Int64 = 60

    /// `clock` returns UNIX seconds (UTC); tests inject a fake one. Throws `ProviderTokenError` for
    /// a malformed key id or team id.
    public init(key: ES256PrivateKey, keyID: String, teamID: String,
                policy: ProviderTokenPolicy = ProviderTokenPolicy(),
                clock: @escaping @Sendable () -> Int64 = ProviderTokenSource.wallClockSeconds) throws(ProviderTokenError) {
        try ProviderTokenIDs.validate(keyID: keyID, teamID: teamID)
        self.key = key
        self.keyID = keyID
        self.teamID = teamID
        self.clock = clock
        self.state = Mutex(State(policy: policy))
    }

    /// The token to send now (the cached one, or a freshly minted one).
    public func current() throws -> String {
        try issued().token
    }

    /// The `authorization` header value to send now: `bearer <JWT>`.
    public func authorizationHeaderValue() throws -> String {
        try issued().authorization
    }

    /// The current token with its mint time and generation.
    public func issued() throws -> IssuedProviderToken {
        let now = clock()
        return try state.withLock { state throws -> IssuedProviderToken in
            if let issued = state.issued, !state.policy.shouldMint(now: now) { return issued }
            let token = try ProviderToken.make(keyID: keyID, teamID: teamID, issuedAt: now, key: key)
            state.mints += 1
            let issued = IssuedProviderToken(token: token, authorization: "bearer " + token,
                                             issuedAt: now, generation: state.mints)
            state.currentReplacesExpired = state.policy.expiryReported
            state.issued = issued
            state.policy.didMint(now: now)
            return issued
        }
    }

    /// APNs answered ExpiredProviderToken for `token` (the JWT, or the `bearer <JWT>` header value).
    /// If it is still the current token, the next call mints a new one; reports about a token
    /// already replaced are ignored, so many connections reporting the same token mint once.
    /// Returns false when the rejected token was itself minted to replace an expired one: a token
    /// minutes old cannot have expired, so the local clock is wrong and minting again would loop.
    @discardableResult
    public func tokenRejectedAsExpired(_ token: String) -> Bool {
        rejectedAsExpired(token, acceptedBefore: false).0 != .clockWrong
    }

    /// The verdict on a token APNs called expired, by what happened to it before:
    ///
    /// | the refused token                                       | verdict                                       |
    /// |---------------------------------------------------------|-----------------------------------------------|
    /// | already replaced, or already reported                   | retry (with the newer token)                  |
    /// | accepted before, renewed early less than a minute ago   | retry after the rest of that minute           |
    /// | accepted before                                         | mint again, retry; warn once with its lifetime |
    /// | never accepted, minted to replace an expired one        | clock wrong: stop                             |
    /// | never accepted, the first of its line                   | mint again, retry                             |
    ///
    /// Only a replacement refused at its first use proves a wrong clock; one accepted first means a skewed clock
    /// that shortens its life.
    public func rejectedAsExpired(_ token: String, acceptedBefore: Bool) -> (ExpiredTokenVerdict, warning: String?) {
        let jwt = ProviderTokenVerifier.bearerToken(token).map(String.init) ?? token
        let now = clock()
        return state.withLock { state -> (ExpiredTokenVerdict, warning: String?) in
            guard let issued = state.issued, issued.token == jwt, !state.policy.expiryReported else { return (.retry, nil) }
            let accepted = acceptedBefore || state.acceptedGeneration == issued.generation
            guard accepted else {
                if state.currentReplacesExpired { return (.clockWrong, nil) }
                state.policy.currentTokenRejectedAsExpired()
                return (.retry, nil)
            }
            if let last = state.lastEarlyRenewal, now - last < Self.earlyRenewalInterval {
                return (.retryAfter(ms: Int(Self.earlyRenewalInterval - (now - last)) * 1000), nil)
            }
            state.lastEarlyRenewal = now
            state.policy.currentTokenRejectedAsExpired()
            var warning: String?
            if !state.lifetimeWarned {
                state.lifetimeWarned = true
                warning = "APNs accepted a provider token and then refused it as expired after about "
                    + "\(max(0, now - issued.issuedAt))s (tokens last 60 minutes): this machine's clock is probably "
                    + "off; apnsctl mints a new token each time this happens (at most once a minute)"
            }
            return (.retry, warning)
        }
    }

    /// APNs answered a request sent with `token`: it was accepted (a later expiry is not the clock's fault).
    public func tokenAccepted(_ token: String) {
        let jwt = ProviderTokenVerifier.bearerToken(token).map(String.init) ?? token
        state.withLock { state in
            if let issued = state.issued, issued.token == jwt { state.acceptedGeneration = issued.generation }
        }
    }

    /// How many tokens this source has minted.
    public var mintCount: Int {
        state.withLock { $0.mints }
    }

    /// UNIX seconds from the wall clock (`iat` is wall time by definition).
    @Sendable public static func wallClockSeconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec)
    }
}

extension ProviderTokenSource: AuthorizationSource {
    /// `bearer <JWT>` for the `authorization` header, minted or renewed per the policy.
    public func authorization() throws -> String? { try authorizationHeaderValue() }

    public func accepted(_ authorization: String) { tokenAccepted(authorization) }
}
