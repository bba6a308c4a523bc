import Synchronization

/// Checks provider tokens the way APNs does (for the mock server). Pure apart from the key:
/// the time comes in as `now`.
///
/// | check, in order | failure |
/// |---|---|
/// | `authorization` header present, `bearer <token>` non-empty | MissingProviderToken |
/// | three base64url segments, header and claims are JSON objects | InvalidProviderToken |
/// | `alg` is ES256, `kid` and `iss` are the expected ids, `iat` an integer | InvalidProviderToken |
/// | signature valid (raw `r‖s`, or DER as APNs also accepts) | InvalidProviderToken |
/// | `iat` more than `allowedFutureSkew` seconds ahead of `now` | InvalidProviderToken |
/// | `iat` more than `maxAge` seconds (3600) before `now` | ExpiredProviderToken |
public struct ProviderTokenVerifier: Sendable {
    public enum Verdict: Sendable, Equatable {
        case valid
        case rejected(Reason)

        /// The APNs reason for a rejection; nil when valid.
        public var rejection: Reason? {
            if case .rejected(let reason) = self { return reason }
            return nil
        }
    }

    /// The time-independent part of verification: the token is well formed, names the expected
    /// ids and is signed by the key. Safe to cache per token string.
    public enum Authenticity: Sendable, Equatable {
        case authentic(issuedAt: Int64)
        case rejected(Reason)
    }

    public let keyID: String
    public let teamID: String
    public let key: ES256PublicKey
    /// Oldest accepted token age in seconds (APNs: one hour).
    public var maxAge: Int64
    /// How far in the future `iat` may be, for clock differences between client and server.
    public var allowedFutureSkew: Int64

    public init(keyID: String, teamID: String, key: ES256PublicKey, maxAge: Int64 = 3600, allowedFutureSkew: Int64 = 60) {
        self.keyID = keyID
        self.teamID = teamID
        self.key = key
        self.maxAge = maxAge
        self.allowedFutureSkew = allowedFutureSkew
    }

    /// Verifies an `authorization` header value (`bearer <JWT>`; nil when the header is absent).
    public func verify(authorization: String?, now: Int64) -> Verdict {
        guard let token = Self.bearerToken(authorization) else { return .rejected(.missingProviderToken) }
        guard !token.isEmpty else { return .rejected(.missingProviderToken) }
        return verify(token: token, now: now)
    }

    /// Verifies a bare JWT at time `now` (UNIX seconds).
    public func verify(token: some StringProtocol, now: Int64) -> Verdict {
        switch authenticate(token) {
        case .rejected(let reason): return .rejected(reason)
        case .authentic(let issuedAt): return checkAge(issuedAt: issuedAt, now: now)
        }
    }

    /// Structure, algorithm, ids and signature: everything that does not depend on the time.
    public func authenticate(_ token: some StringProtocol) -> Authenticity {
        guard let decoded = DecodedProviderToken(token),
              decoded.algorithm == "ES256",
              decoded.keyID == keyID,
              decoded.teamID == teamID,
              let issuedAt = decoded.issuedAt else { return .rejected(.invalidProviderToken) }
        let valid = decoded.signature.count == 64
            ? key.verify(signature: decoded.signature, message: decoded.signingInput)
            : key.verify(derSignature: decoded.signature, message: decoded.signingInput)
        return valid ? .authentic(issuedAt: issuedAt) : .rejected(.invalidProviderToken)
    }

    /// The time checks alone, for a token `authenticate` accepted.
    public func checkAge(issuedAt: Int64, now: Int64) -> Verdict {
        if issuedAt > now + allowedFutureSkew { return .rejected(.invalidProviderToken) }
        if now - issuedAt > maxAge { return .rejected(.expiredProviderToken) }
        return .valid
    }

    /// The token in `bearer <token>` (scheme matched case-insensitively); nil when the value is
    /// absent, blank, or uses another scheme.
    public static func bearerToken(_ authorization: String?) -> Substring? {
        guard let value = authorization?.drop(while: { $0 == " " }), !value.isEmpty else { return nil }
        let scheme = value.prefix { $0 != " " }
        guard scheme.lowercased() == "bearer" else { return nil }
        var token = value.dropFirst(scheme.count).drop { $0 == " " }
        while token.last == " " { token = token.dropLast() }
        return token
    }

    /// A thread-safe check for a server: `nil` for a valid token, else the APNs reason. Tokens that
    /// passed `authenticate` are remembered (up to `cacheSize`), so a connection that sends the same
    /// token on every request pays for one ECDSA verification, not one per request.
    public func cachingCheck(cacheSize: Int = 64, now: @escaping @Sendable () -> Int64) -> @Sendable (String) -> Reason? {
        let cache = AuthenticTokenCache(limit: cacheSize)
        let verifier = self
        return { token in
            let issuedAt: Int64
            if let cached = cache.issuedAt(of: token) {
                issuedAt = cached
            } else {
                switch verifier.authenticate(token) {
                case .rejected(let reason): return reason
                case .authentic(let iat):
                    cache.insert(token, issuedAt: iat)
                    issuedAt = iat
                }
            }
            return verifier.checkAge(issuedAt: issuedAt, now: now()).rejection
        }
    }
}

/// Authentic tokens and their `iat`, bounded: when full, the oldest half is dropped.
final class AuthenticTokenCache: Sendable {
    private struct Entries {
        var issuedAt: [String: Int64] = [:]
        var order: [String] = []
    }

    private let limit: Int
    private let entries = Mutex(Entries())

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    func issuedAt(of token: String) -> Int64? {
        entries.withLock { $0.issuedAt[token] }
    }

    func insert(_ token: String, issuedAt: Int64) {
        entries.withLock { state in
            guard state.issuedAt[token] == nil else { return }
            if state.order.count >= limit {
                let dropped = state.order.prefix(max(1, limit / 2))
                for old in dropped { state.issuedAt[old] = nil }
                state.order.removeFirst(dropped.count)
            }
            state.issuedAt[token] = issuedAt
            state.order.append(token)
        }
    }
}
