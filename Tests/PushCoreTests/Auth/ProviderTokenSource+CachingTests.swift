import Testing
@testable import PushCore

@Suite("Provider token source")
struct ProviderTokenSourceCachingTests {
    static let t0: Int64 = 1_764_170_000

    let key: ES256PrivateKey
    let clock = AuthTestClock(t0)
    let source: ProviderTokenSource

    init() throws {
        key = try ES256PrivateKey.generate()
        let clock = self.clock
        source = try ProviderTokenSource(key: key, keyID: "ABC123DEFG", teamID: "DEF123GHIJ") { clock.now }
    }

    @Test("the first call mints; later calls return the same token until it is 50 minutes old")
    func caching() throws {
        let first = try source.current()
        #expect(source.mintCount == 1)
        #expect(DecodedProviderToken(first)?.issuedAt == Self.t0)
        clock.advance(by: 49 * 60 + 59)
        #expect(try source.current() == first)
        #expect(source.mintCount == 1)
        clock.advance(by: 1)
        let second = try source.current()
        #expect(second != first)
        #expect(source.mintCount == 2)
        #expect(DecodedProviderToken(second)?.issuedAt == Self.t0 + 50 * 60)
        let verifier = ProviderTokenVerifier(keyID: "ABC123DEFG", teamID: "DEF123GHIJ", key: try key.publicKey())
        #expect(verifier.verify(token: second, now: clock.now) == .valid)
    }

    @Test("the authorization value is 'bearer <token>' and the generation counts mints")
    func authorization() throws {
        let issued = try source.issued()
        #expect(issued.authorization == "bearer " + issued.token)
        #expect(try source.authorizationHeaderValue() == issued.authorization)
        #expect(issued.generation == 1)
        clock.advance(by: 3000)
        #expect(try source.issued().generation == 2)
    }

    @Test("an expiry rejection of the current token mints once; reports about a replaced token are ignored")
    func expiry() throws {
        let first = try source.current()
        clock.advance(by: 60)
        source.tokenRejectedAsExpired("bearer " + first)
        let second = try source.current()
        #expect(second != first)
        #expect(source.mintCount == 2)
        // Other connections report the old token too: no further mints.
        source.tokenRejectedAsExpired(first)
        source.tokenRejectedAsExpired(first)
        #expect(try source.current() == second)
        #expect(source.mintCount == 2)
    }

    @Test("a replacement token refused as expired means the clock is wrong; a scheduled renewal starts over")
    func clockSkew() throws {
        let first = try source.current()
        #expect(source.tokenRejectedAsExpired(first), "the first rejection renews")
        let replacement = try source.current()
        #expect(replacement != first)
        #expect(!source.tokenRejectedAsExpired(replacement), "the replacement refused too: the clock is wrong")
        #expect(try source.current() == replacement, "no mint loop")
        clock.advance(by: 50 * 60)
        let renewed = try source.current()
        #expect(renewed != replacement)
        #expect(source.tokenRejectedAsExpired(renewed), "a token renewed on schedule may be refused once again")
    }

    @Test("descriptions of issued and decoded tokens never show the token or its signature")
    func redaction() throws {
        let issued = try source.issued()
        let signature = String(issued.token.split(separator: ".")[2])
        let decoded = try #require(DecodedProviderToken(issued.token))
        for text in ["\(issued)", String(reflecting: issued), "\(decoded)", String(reflecting: decoded)] {
            #expect(!text.contains(signature))
            #expect(!text.contains(issued.token))
        }
        #expect("\(decoded)".contains("kid: ABC123DEFG"))
    }

    @Test("malformed ids are refused when the source is made")
    func validation() throws {
        #expect(throws: ProviderTokenError.self) {
            _ = try ProviderTokenSource(key: key, keyID: "abc123defg", teamID: "DEF123GHIJ")
        }
    }

    @Test("many threads share one token and mint once")
    func concurrent() async throws {
        let source = self.source
        let tokens = try await withThrowingTaskGroup(of: [String].self) { group in
            for _ in 0..<8 {
                group.addTask { try (0..<500).map { _ in try source.current() } }
            }
            var all: [String] = []
            for try await batch in group { all += batch }
            return all
        }
        #expect(tokens.count == 4000)
        #expect(Set(tokens).count == 1)
        #expect(source.mintCount == 1)
    }
}
