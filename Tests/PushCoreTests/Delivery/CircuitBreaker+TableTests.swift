import Testing
@testable import PushCore

@Suite("CircuitBreaker: pause on server-wide trouble, probe, resume")
struct CircuitBreakerTableTests {
    private let ms: UInt64 = 1_000_000

    @Test("closed: everything passes; a few failures among successes do not open it")
    func closed() {
        var breaker = CircuitBreaker(window: 10, threshold: 8)
        #expect(breaker.permits(500, now: 0) == 500)
        #expect(breaker.record(successes: 5, failures: 4, now: 0) == nil)
        #expect(breaker.state == .closed && !breaker.isTripped)
    }

    @Test("most recent answers failed: open for the first pause; nothing passes until it is over")
    func opens() {
        var breaker = CircuitBreaker(window: 10, threshold: 8, probes: 3, firstPauseMs: 5000)
        #expect(breaker.record(successes: 2, failures: 8, now: 0) == 5000)
        #expect(breaker.state == .open(untilNs: 5000 * ms) && breaker.isTripped && breaker.openings == 1)
        #expect(breaker.permits(500, now: 4999 * ms) == 0)
        #expect(breaker.permits(500, now: 5000 * ms) == 3, "the cool-down is over: a few probes")
        #expect(breaker.permits(500, now: 5001 * ms) == 0, "no more than the probes")
        #expect(breaker.state == .probing(sent: 3, succeeded: 0))
    }

    @Test("probes granted but not sent (no row due, the rate limiter) go back: the circuit never waits for nothing")
    func unsentProbesGoBack() {
        var breaker = CircuitBreaker(window: 4, threshold: 4, probes: 3, firstPauseMs: 1000)
        _ = breaker.record(successes: 0, failures: 4, now: 0)
        #expect(breaker.permits(10, now: 1000 * ms) == 3)
        breaker.giveBack(2)
        #expect(breaker.state == .probing(sent: 1, succeeded: 0))
        #expect(breaker.permits(10, now: 1001 * ms) == 2, "the probes given back are granted again")
        breaker.giveBack(5)
        #expect(breaker.state == .probing(sent: 0, succeeded: 0), "never below none sent")
        var closed = CircuitBreaker()
        closed.giveBack(3)
        #expect(closed.state == .closed, "only a probing circuit takes probes back")
    }

    @Test("probes that succeed close it and reset the pause; a failed probe reopens it for twice as long, capped")
    func probes() {
        var breaker = CircuitBreaker(window: 4, threshold: 4, probes: 2, firstPauseMs: 1000, maxPauseMs: 3000)
        #expect(breaker.record(successes: 0, failures: 4, now: 0) == 1000)
        _ = breaker.permits(10, now: 1000 * ms)
        #expect(breaker.record(successes: 0, failures: 1, now: 1100 * ms) == 2000)
        _ = breaker.permits(10, now: 3100 * ms)
        #expect(breaker.record(successes: 0, failures: 1, now: 3200 * ms) == 3000, "capped at the maximum")
        _ = breaker.permits(10, now: 6200 * ms)
        #expect(breaker.record(successes: 0, failures: 1, now: 6300 * ms) == 3000)
        _ = breaker.permits(10, now: 9300 * ms)
        #expect(breaker.record(successes: 1, failures: 0, now: 9400 * ms) == nil)
        #expect(breaker.state == .probing(sent: 2, succeeded: 1))
        #expect(breaker.record(successes: 1, failures: 0, now: 9500 * ms) == nil)
        #expect(breaker.state == .closed && breaker.pauseMs == 1000 && breaker.openings == 4)
        #expect(breaker.record(successes: 0, failures: 3, now: 9600 * ms) == nil, "the window starts afresh")
    }

    @Test("the window slides: old failures leave it")
    func sliding() {
        var breaker = CircuitBreaker(window: 4, threshold: 3)
        #expect(breaker.record(successes: 0, failures: 2, now: 0) == nil)
        #expect(breaker.record(successes: 3, failures: 0, now: 0) == nil)
        #expect(breaker.record(successes: 0, failures: 2, now: 0) == nil, "the first two have left the window")
        #expect(breaker.record(successes: 0, failures: 1, now: 0) != nil)
    }

    @Test("the connection does not spend a row's retries on server failures while the circuit holds rows back")
    func heldAttempts() {
        var machine = ConnectionStateMachineEventsTests.ready(retries: 0)
        machine.holdsAttempts = true
        let tag = ConnectionStateMachineEventsTests.send(&machine, "aa", stream: 1)
        _ = ConnectionStateMachineEventsTests.answer(&machine, tag: tag, status: "503", body: #"{"reason":"ServiceUnavailable"}"#)
        ConnectionStateMachineEventsTests.send(&machine, "bb", stream: 3)
        machine.lost(reason: "gone", now: 2, wallMs: 1)
        #expect(machine.settled.isEmpty, "no row failed although no retries were left")
        #expect(machine.retries.count == 2 && machine.retries.allSatisfy { $0.delivery.attempts == 0 })
        #expect(machine.breakerFailures == 2 && machine.breakerSuccesses == 0,
                "a 503 and one lost connection (not one per request it carried)")
    }
}
