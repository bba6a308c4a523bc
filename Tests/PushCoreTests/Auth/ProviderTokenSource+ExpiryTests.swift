import Testing
@testable import PushCore

@Suite("Provider token source: tokens refused as expired")
struct ProviderTokenSourceExpiryTests {
    let clock = AuthTestClock(1_764_170_000)
    let source: ProviderTokenSource

    init() throws {
        let clock = self.clock
        source = try ProviderTokenSource(key: try ES256PrivateKey.generate(), keyID: "ABC123DEFG", teamID: "DEF123GHIJ") {
            clock.now
        }
    }

    @Test("accepted, then refused as expired: mint again and warn once with the measured lifetime; at most once a minute")
    func acceptedThenExpired() throws {
        let first = try source.current()
        source.tokenAccepted("bearer " + first)
        clock.advance(by: 3)
        let (verdict, warning) = source.rejectedAsExpired("bearer " + first, acceptedBefore: false)
        #expect(verdict == .retry)
        #expect(warning?.contains("after about 3s") == true)
        let second = try source.current()
        #expect(second != first && source.mintCount == 2)

        // The replacement works for 3 s and is refused too: not a wrong clock, but no mint within the minute.
        source.tokenAccepted(second)
        clock.advance(by: 3)
        #expect(source.rejectedAsExpired(second, acceptedBefore: true) == (.retryAfter(ms: 57_000), nil))
        #expect(try source.current() == second && source.mintCount == 2)
        clock.advance(by: 57)
        let (later, again) = source.rejectedAsExpired(second, acceptedBefore: true)
        #expect(later == .retry && again == nil, "warned once")
        #expect(try source.current() != second && source.mintCount == 3)
    }

    @Test("a replacement refused at its first use means the clock is wrong")
    func refusedAtFirstUse() throws {
        let first = try source.current()
        #expect(source.rejectedAsExpired(first, acceptedBefore: false) == (.retry, nil))
        let replacement = try source.current()
        #expect(source.rejectedAsExpired(replacement, acceptedBefore: false) == (.clockWrong, nil))
        #expect(source.rejectedAsExpired(replacement, acceptedBefore: true).0 == .retry,
                "accepted on some connection first: a skewed clock, not a wrong one")
    }

    @Test("reports about a token already replaced or already reported do not mint again")
    func reportedOnce() throws {
        let first = try source.current()
        source.tokenAccepted(first)
        _ = source.rejectedAsExpired(first, acceptedBefore: true)
        #expect(source.rejectedAsExpired(first, acceptedBefore: true) == (.retry, nil))
        _ = try source.current()
        #expect(source.rejectedAsExpired(first, acceptedBefore: true) == (.retry, nil))
        #expect(source.mintCount == 2)
    }
}
