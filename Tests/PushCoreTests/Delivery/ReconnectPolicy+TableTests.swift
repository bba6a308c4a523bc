import Testing
@testable import PushCore

@Suite("ReconnectPolicy: back-off from the recent history")
struct ReconnectPolicyTableTests {
    private let second: UInt64 = 1_000_000_000
    private let top: (Int) -> Int = { $0 }
    private let bottom: (Int) -> Int = { _ in 0 }

    @Test("connections that die before answering back off in growing steps, then give up before any answer")
    func growsThenGivesUp() {
        var policy = ReconnectPolicy(baseDelayMs: 250, maxDelayMs: 30_000, fatalStreak: 5)
        let dead = ReconnectPolicy.Ending(answered: 0, submitted: 1, livedNs: second / 100)
        let delays = (1...4).map { _ in policy.connectionEnded(dead, runAnswered: false, random: top) }
        #expect(delays == [.reconnect(afterMs: 250), .reconnect(afterMs: 500), .reconnect(afterMs: 1000), .reconnect(afterMs: 2000)])
        #expect(policy.connectionEnded(dead, runAnswered: false, random: top) == .giveUp)
    }

    @Test("equal jitter: at least half the ceiling, so the delay grows for sure")
    func jitter() {
        var policy = ReconnectPolicy()
        let dead = ReconnectPolicy.Ending(answered: 0, submitted: 0, livedNs: 0)
        #expect(policy.connectionEnded(dead, runAnswered: true, random: bottom) == .reconnect(afterMs: 125))
        #expect(policy.connectionEnded(dead, runAnswered: true, random: bottom) == .reconnect(afterMs: 250))
    }

    @Test("after the run's first answer the policy never gives up; the delay is capped")
    func capped() {
        var policy = ReconnectPolicy(baseDelayMs: 250, maxDelayMs: 30_000, fatalStreak: 5)
        let dead = ReconnectPolicy.Ending(answered: 0, submitted: 3, livedNs: 5 * second)
        var last = ReconnectPolicy.Decision.giveUp
        for _ in 1...40 { last = policy.connectionEnded(dead, runAnswered: true, random: top) }
        #expect(last == .reconnect(afterMs: 30_000))
        #expect(policy.ceilingMs(streak: 1000) == 30_000)
    }

    @Test("only an answered request resets the streak; a completed handshake does not")
    func reset() {
        var policy = ReconnectPolicy(fatalStreak: 3)
        let dead = ReconnectPolicy.Ending(answered: 0, submitted: 1, livedNs: 0)
        _ = policy.connectionEnded(dead, runAnswered: false, random: top)
        _ = policy.connectionEnded(dead, runAnswered: false, random: top)
        #expect(policy.streak == 2)
        #expect(policy.connectionEnded(.init(answered: 97, submitted: 500, livedNs: second / 10), runAnswered: true,
                                       random: top) == .reconnect(afterMs: 0))
        #expect(policy.streak == 0)
    }

    @Test("an idle connection that lived a while and answered nothing is neutral; a short one counts")
    func idle() {
        var policy = ReconnectPolicy()
        #expect(policy.connectionEnded(.init(answered: 0, submitted: 0, livedNs: 30 * second), runAnswered: false,
                                       random: top) == .reconnect(afterMs: 0))
        #expect(policy.streak == 0)
        #expect(policy.connectionEnded(.init(answered: 0, submitted: 0, livedNs: second / 2), runAnswered: false,
                                       random: top) == .reconnect(afterMs: 250))
    }

    @Test("a stalled connection before any answer gives up at once; after one it backs off")
    func stalled() {
        var policy = ReconnectPolicy()
        let stalled = ReconnectPolicy.Ending(answered: 0, submitted: 0, livedNs: 10 * second, stalled: true)
        #expect(policy.connectionEnded(stalled, runAnswered: false, random: top) == .giveUp)
        var later = ReconnectPolicy()
        #expect(later.connectionEnded(stalled, runAnswered: true, random: top) == .reconnect(afterMs: 250))
    }

    @Test("connect failures grow the same back-off but never give up by themselves")
    func connectFailures() {
        var policy = ReconnectPolicy(fatalStreak: 2)
        #expect((1...4).map { _ in policy.connectFailed(random: top) } == [250, 500, 1000, 2000])
    }
}
