import Testing
@testable import PushCore

@Suite("Provider token policy")
struct ProviderTokenPolicyTableTests {
    static let minute: Int64 = 60
    static let t0: Int64 = 1_764_170_000

    @Test("no token yet: mint")
    func firstUse() {
        #expect(ProviderTokenPolicy().shouldMint(now: Self.t0))
    }

    @Test("age after the last mint decides", arguments: [
        (0, false), (1, false), (19, false), (20, false), (35, false), (49, false), (50, true), (59, true), (61, true), (600, true),
        (-5, false),  // wall clock stepped back: keep the token
    ] as [(Int64, Bool)])
    func ageTable(ageMinutes: Int64, mint: Bool) {
        var policy = ProviderTokenPolicy()
        policy.didMint(now: Self.t0)
        #expect(policy.shouldMint(now: Self.t0 + ageMinutes * Self.minute) == mint)
    }

    @Test("the renewal boundary is to the second: 2999 s reuses, 3000 s mints")
    func boundary() {
        var policy = ProviderTokenPolicy()
        policy.didMint(now: Self.t0)
        #expect(!policy.shouldMint(now: Self.t0 + 2999))
        #expect(policy.shouldMint(now: Self.t0 + 3000))
    }

    @Test("an ExpiredProviderToken rejection forces a mint even a minute after the last one; the next mint clears it")
    func expiryForcesMint() {
        var policy = ProviderTokenPolicy()
        policy.didMint(now: Self.t0)
        #expect(!policy.shouldMint(now: Self.t0 + Self.minute))
        policy.currentTokenRejectedAsExpired()
        #expect(policy.shouldMint(now: Self.t0 + Self.minute))
        policy.didMint(now: Self.t0 + Self.minute)
        #expect(!policy.expiryReported)
        #expect(!policy.shouldMint(now: Self.t0 + 2 * Self.minute))
        #expect(policy.shouldMint(now: Self.t0 + 51 * Self.minute))
    }

    @Test("a rejection before any mint changes nothing")
    func rejectionWithoutToken() {
        var policy = ProviderTokenPolicy()
        policy.currentTokenRejectedAsExpired()
        #expect(!policy.expiryReported)
        #expect(policy.shouldMint(now: Self.t0))
    }

    @Test("a renewal age below 20 minutes is held at the 20-minute minimum", arguments: [
        (5, 19, false), (5, 20, true), (30, 29, false), (30, 30, true),
    ] as [(Int64, Int64, Bool)])
    func minimumInterval(renewalMinutes: Int64, ageMinutes: Int64, mint: Bool) {
        var policy = ProviderTokenPolicy(renewalAge: renewalMinutes * Self.minute)
        policy.didMint(now: Self.t0)
        #expect(policy.shouldMint(now: Self.t0 + ageMinutes * Self.minute) == mint)
    }
}
