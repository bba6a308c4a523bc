import PushCore
import Testing
@testable import PushMock

@Suite("SplitMix64 and FailureRate: seeded, reproducible draws")
struct SplitMix64ReproducibilityTests {
    /// Outputs of Vigna's reference splitmix64.c.
    @Test func matchesTheReferenceSequence() {
        var zero = SplitMix64(seed: 0)
        #expect([zero.next(), zero.next(), zero.next()] == [0xE220_A839_7B1D_CDAF, 0x6E78_9E6A_A1B9_65F4, 0x06C4_5D18_8009_454F])
        var other = SplitMix64(seed: 1_234_567)
        #expect([other.next(), other.next()] == [0x599E_D017_FB08_FC85, 0x2C73_F084_5854_0FA5])
    }

    @Test func sameSeedSameSequenceOtherSeedOtherSequence() {
        var a = SplitMix64(seed: 42)
        var b = SplitMix64(seed: 42)
        var c = SplitMix64(seed: 43)
        let first = (0..<100).map { _ in a.next() }
        #expect(first == (0..<100).map { _ in b.next() })
        #expect(first != (0..<100).map { _ in c.next() })
    }

    @Test func unitIntervalStaysBelowOne() {
        #expect(SplitMix64.unitInterval(0) == 0)
        #expect(SplitMix64.unitInterval(.max) < 1)
        #expect(SplitMix64.unitInterval(1 << 63) == 0.5)
    }

    static func token(_ i: Int) -> String {
        var generator = SplitMix64(seed: UInt64(i))
        return (0..<4).map { _ in String(generator.next(), radix: 16).leftPadded(16) }.joined()
    }

    @Test("The failure rate over 10,000 tokens is within 4 standard deviations of P", arguments: [0.02, 0.1, 0.5])
    func rateWithinTolerance(rate: Double) {
        let failure = FailureRate(rate: rate, seed: 7)
        let n = 10_000
        let failed = (0..<n).filter { failure.fails(token: Self.token($0), attempt: 1) }.count
        let sigma = (Double(n) * rate * (1 - rate)).squareRoot()
        #expect(abs(Double(failed) - Double(n) * rate) < 4 * sigma, "\(failed) of \(n) failed at rate \(rate)")
    }

    @Test func aRunIsReproducibleInAnyOrder() {
        let failure = FailureRate(rate: 0.3, seed: 99)
        let tokens = (0..<500).map(Self.token)
        let forward = tokens.map { failure.fails(token: $0, attempt: 1) }
        let backward = Array(tokens.reversed().map { FailureRate(rate: 0.3, seed: 99).fails(token: $0, attempt: 1) }.reversed())
        #expect(forward == backward)
        #expect(forward.contains(true) && forward.contains(false))
        let otherSeed = tokens.map { FailureRate(rate: 0.3, seed: 100).fails(token: $0, attempt: 1) }
        #expect(forward != otherSeed)
    }

    @Test func eachAttemptDrawsAgain() {
        let failure = FailureRate(rate: 0.5, seed: 3)
        let token = Self.token(1)
        let draws = (1...64).map { failure.draw(token: token, attempt: $0) }
        #expect(Set(draws).count == 64)
        // A token failed at attempt 1 is not failed at every later attempt.
        let failedFirst = (0..<200).map(Self.token).filter { failure.fails(token: $0, attempt: 1) }
        #expect(!failedFirst.isEmpty)
        #expect(failedFirst.contains { !failure.fails(token: $0, attempt: 2) })
    }

    @Test func tokensCompareCaseInsensitively() {
        let failure = FailureRate(rate: 0.5, seed: 11)
        #expect(failure.draw(token: "ABCDEF0123", attempt: 2) == failure.draw(token: "abcdef0123", attempt: 2))
        #expect(failure.draw(token: "abcdef0123", attempt: 2) != failure.draw(token: "abcdef0124", attempt: 2))
    }

    @Test func ratesOfZeroAndOneAreExact() {
        let tokens = (0..<1000).map(Self.token)
        #expect(!tokens.contains { FailureRate(rate: 0, seed: 1).fails(token: $0, attempt: 1) })
        #expect(tokens.allSatisfy { FailureRate(rate: 1, seed: 1).fails(token: $0, attempt: 1) })
        #expect(FailureRate(rate: 1.5, seed: 1).rate == 1)
        #expect(FailureRate(rate: -1, seed: 1).rate == 0)
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
