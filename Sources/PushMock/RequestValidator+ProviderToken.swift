import PushCore

extension RequestValidator {
    /// Check 6 and 6a of `decide`, shared with the broadcast and management paths: with token authentication,
    /// the request needs `authorization: bearer <JWT>` that the verifier accepts. nil when the request may go on,
    /// else the status and reason to answer (403, or 429 for TooManyProviderTokenUpdates).
    func providerTokenRefusal(_ request: MockRequest,
                              providerTokenUses: (Substring) -> Int) -> (status: Int, reason: Reason)? {
        guard requireProviderToken else { return nil }
        guard let authorization = request.header("authorization"),
              !authorization.utf8.allSatisfy({ $0 == UInt8(ascii: " ") }) else {
            return (403, .missingProviderToken)
        }
        guard let jwt = Self.bearerToken(authorization) else { return (403, .invalidProviderToken) }
        guard !jwt.isEmpty else { return (403, .missingProviderToken) }
        if let verifier = tokenVerifier, let reason = verifier(String(jwt)) {
            return (Self.status(forProviderTokenReason: reason), reason)
        }
        if expireProviderTokenOnce && providerTokenUses(jwt) == 1 { return (403, .expiredProviderToken) }
        return nil
    }
}
