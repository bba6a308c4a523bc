import Testing
@testable import PushCore

@Suite("Provider token verifier")
struct ProviderTokenVerifierOutcomeTests {
    static let keyID = "ABC123DEFG"
    static let teamID = "DEF123GHIJ"
    static let now: Int64 = 1_764_170_000

    let key: ES256PrivateKey
    let verifier: ProviderTokenVerifier

    init() throws {
        key = try ES256PrivateKey.generate()
        verifier = ProviderTokenVerifier(keyID: Self.keyID, teamID: Self.teamID, key: try key.publicKey())
    }

    /// A token with arbitrary header and claims JSON, signed by `signer` (raw r‖s unless `der`).
    func token(header: String, claims: String, signer: ES256PrivateKey? = nil, der: Bool = false) throws -> String {
        let input = Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode(Array(claims.utf8))
        let raw = try (signer ?? key).sign(Array(input.utf8))
        let signature = der ? try #require(ES256Signature.der(fromRaw: raw)) : raw
        return input + "." + Base64URL.encode(signature)
    }

    func token(iat: Int64, kid: String = keyID, iss: String = teamID) throws -> String {
        try token(header: #"{"alg":"ES256","kid":"\#(kid)"}"#, claims: #"{"iss":"\#(iss)","iat":\#(iat)}"#)
    }

    @Test("a fresh token from ProviderToken.make is valid")
    func valid() throws {
        let jwt = try ProviderToken.make(keyID: Self.keyID, teamID: Self.teamID, issuedAt: Self.now - 10, key: key)
        #expect(verifier.verify(token: jwt, now: Self.now) == .valid)
        #expect(verifier.verify(authorization: "bearer \(jwt)", now: Self.now) == .valid)
        #expect(verifier.verify(authorization: "Bearer  \(jwt) ", now: Self.now) == .valid)
    }

    @Test("age limits: 3600 s old is accepted, 3601 s is expired, 60 s ahead accepted, 61 s ahead invalid")
    func age() throws {
        #expect(verifier.verify(token: try token(iat: Self.now - 3600), now: Self.now) == .valid)
        #expect(verifier.verify(token: try token(iat: Self.now - 3601), now: Self.now) == .rejected(.expiredProviderToken))
        #expect(verifier.verify(token: try token(iat: Self.now + 60), now: Self.now) == .valid)
        #expect(verifier.verify(token: try token(iat: Self.now + 61), now: Self.now) == .rejected(.invalidProviderToken))
    }

    @Test("wrong kid, wrong iss, wrong alg, missing or non-integer iat are invalid")
    func wrongFields() throws {
        let cases = [
            try token(iat: Self.now, kid: "ZZZ123DEFG"),
            try token(iat: Self.now, iss: "ZZZ123GHIJ"),
            try token(header: #"{"alg":"ES384","kid":"ABC123DEFG"}"#, claims: #"{"iss":"DEF123GHIJ","iat":\#(Self.now)}"#),
            try token(header: #"{"alg":"none","kid":"ABC123DEFG"}"#, claims: #"{"iss":"DEF123GHIJ","iat":\#(Self.now)}"#),
            try token(header: #"{"kid":"ABC123DEFG"}"#, claims: #"{"iss":"DEF123GHIJ","iat":\#(Self.now)}"#),
            try token(header: #"{"alg":"ES256","kid":"ABC123DEFG"}"#, claims: #"{"iss":"DEF123GHIJ"}"#),
            try token(header: #"{"alg":"ES256","kid":"ABC123DEFG"}"#, claims: #"{"iss":"DEF123GHIJ","iat":"\#(Self.now)"}"#),
            try token(header: #"{"alg":"ES256","kid":"ABC123DEFG"}"#, claims: #"{"iss":"DEF123GHIJ","iat":1.5}"#),
            try token(header: #"{"alg":"ES256","kid":"ABC123DEFG","kid":"ABC123DEFG"}"#, claims: #"{"iss":"DEF123GHIJ","iat":\#(Self.now)}"#),
        ]
        for jwt in cases {
            #expect(verifier.verify(token: jwt, now: Self.now) == .rejected(.invalidProviderToken), "\(jwt)")
        }
    }

    @Test("a signature by another key, or a tampered token, is invalid")
    func badSignature() throws {
        let other = try ES256PrivateKey.generate()
        let foreign = try token(header: #"{"alg":"ES256","kid":"ABC123DEFG"}"#, claims: #"{"iss":"DEF123GHIJ","iat":\#(Self.now)}"#, signer: other)
        #expect(verifier.verify(token: foreign, now: Self.now) == .rejected(.invalidProviderToken))

        let good = try token(iat: Self.now)
        let parts = good.split(separator: ".")
        let laterClaims = Base64URL.encode(Array(#"{"iss":"DEF123GHIJ","iat":\#(Self.now + 1)}"#.utf8))
        #expect(verifier.verify(token: "\(parts[0]).\(laterClaims).\(parts[2])", now: Self.now) == .rejected(.invalidProviderToken))
        var signature = try #require(Base64URL.decode(parts[2]))
        signature[40] ^= 0x04
        #expect(verifier.verify(token: "\(parts[0]).\(parts[1]).\(Base64URL.encode(signature))", now: Self.now) == .rejected(.invalidProviderToken))
    }

    @Test("a DER-encoded signature is accepted, as APNs accepts it")
    func derSignature() throws {
        let jwt = try token(header: #"{"alg":"ES256","kid":"ABC123DEFG"}"#, claims: #"{"iss":"DEF123GHIJ","iat":\#(Self.now)}"#, der: true)
        #expect(verifier.verify(token: jwt, now: Self.now) == .valid)
    }

    @Test("garbage is invalid", arguments: ["", "abc", "a.b", "a.b.c", "a.b.c.d", "....", "e30.e30.", "e30.e30.AAAA", "W10.e30.AAAA", "eyJ.e30.AAAA"])
    func garbage(text: String) {
        #expect(verifier.verify(token: text, now: Self.now) == .rejected(.invalidProviderToken))
    }

    @Test("an absent, empty or non-bearer authorization header is missing; a bad bearer token is invalid")
    func authorizationHeader() {
        #expect(verifier.verify(authorization: nil, now: Self.now) == .rejected(.missingProviderToken))
        #expect(verifier.verify(authorization: "", now: Self.now) == .rejected(.missingProviderToken))
        #expect(verifier.verify(authorization: "bearer", now: Self.now) == .rejected(.missingProviderToken))
        #expect(verifier.verify(authorization: "bearer   ", now: Self.now) == .rejected(.missingProviderToken))
        #expect(verifier.verify(authorization: "Basic dXNlcjpwYXNz", now: Self.now) == .rejected(.missingProviderToken))
        #expect(verifier.verify(authorization: "bearer x.y.z", now: Self.now) == .rejected(.invalidProviderToken))
    }

    @Test("the caching check remembers authentic tokens but still applies the age limit")
    func cachingCheck() throws {
        let clock = AuthTestClock(Self.now)
        let check = verifier.cachingCheck(cacheSize: 2) { clock.now }
        let jwt = try token(iat: Self.now)
        #expect(check(jwt) == nil)
        #expect(check(jwt) == nil)
        clock.now = Self.now + 3601
        #expect(check(jwt) == .expiredProviderToken)
        #expect(check(try token(iat: Self.now, kid: "ZZZ123DEFG")) == .invalidProviderToken)
        // Evictions keep the cache bounded and never turn a bad token good.
        for offset in 0..<5 { #expect(check(try token(iat: Self.now + 3000 + Int64(offset))) == nil) }
        #expect(check("x.y.z") == .invalidProviderToken)
    }
}
