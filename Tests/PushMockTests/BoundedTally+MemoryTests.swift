import Testing
@testable import PushMock

@Suite("BoundedTally: counts per key in bounded memory")
struct BoundedTallyMemoryTests {
    @Test func countsPerKey() {
        var tally = BoundedTally<String, Int>(limit: 100)
        func bump(_ key: String) -> Int { tally.update(key, initial: 0) { $0 += 1; return $0 } }
        #expect(bump("a") == 1)
        #expect(bump("a") == 2)
        #expect(bump("b") == 1)
        #expect(bump("a") == 3)
        #expect(tally.value(for: "a") == 3)
        #expect(tally.value(for: "c") == nil)
        #expect(tally.count == 2)
    }

    @Test func neverHoldsMoreThanTheLimit() {
        var tally = BoundedTally<Int, Int>(limit: 10)
        for key in 0..<1000 {
            tally.update(key, initial: 0) { $0 += 1 }
            #expect(tally.count <= 10)
        }
    }

    @Test func keepsAtLeastHalfTheLimitOfTheMostRecentKeys() {
        var tally = BoundedTally<Int, Int>(limit: 10)
        for key in 0..<37 { tally.update(key, initial: 0) { $0 = key } }
        for key in 32..<37 { #expect(tally.value(for: key) == key, "key \(key) forgotten") }
        #expect(tally.value(for: 0) == nil)
    }

    @Test func aKeyTouchedAgainSurvivesOthers() {
        var tally = BoundedTally<String, Int>(limit: 4)
        tally.update("keep", initial: 0) { $0 += 1 }
        for i in 0..<20 {
            tally.update("other\(i)", initial: 0) { $0 += 1 }
            tally.update("keep", initial: 0) { $0 += 1 }
        }
        #expect(tally.value(for: "keep") == 21)
    }

    @Test func aForgottenKeyStartsAgain() {
        var tally = BoundedTally<String, TokenTally>(limit: 2)
        tally.update("a", initial: TokenTally()) { $0.attempts += 1 }
        tally.update("b", initial: TokenTally()) { $0.attempts += 1 }
        tally.update("c", initial: TokenTally()) { $0.attempts += 1 }
        #expect(tally.value(for: "a") == nil)
        #expect(tally.update("a", initial: TokenTally()) { $0.attempts += 1; return $0.attempts } == 1)
    }
}
