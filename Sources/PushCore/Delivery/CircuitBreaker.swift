import Foundation

/// A circuit breaker for server-wide trouble, as a value: no clock, no lock. When most recent answers are server
/// failures (500, 503, no answer at all), the run stops taking rows for a cool-down, then sends a few probes, and
/// goes back to normal when they succeed.
///
/// ```
///            most of the last `window` answers failed                cool-down over
///   closed ─────────────────────────────────────────▶ open(until) ─────────────────▶ probing(probes)
///     ▲                                                  ▲                               │      │
///     │                                                  └──── a probe failed ────────────┘      │
///     └────────────────────── `probes` probes succeeded (cool-down back to the start) ──────────┘
/// ```
///
/// | state   | rows taken               | a success                        | a server failure                       |
/// |---------|--------------------------|----------------------------------|----------------------------------------|
/// | closed  | as many as fit           | counted in the window            | counted; `threshold` of the last       |
/// |         |                          |                                  | `window` answers → open                |
/// | open    | none                     | –                                | –                                      |
/// | probing | `probes` in all          | `probes` of them → closed        | open again, cool-down doubled (≤ max)  |
///
/// Cool-downs: 5 s, 10 s, 20 s, … up to `maxPauseMs` (`--pause-max`, default 15 minutes). Rows waiting while the
/// circuit is open or probing do not spend retries (the connection does not count such attempts).
public struct CircuitBreaker: Sendable, Equatable {
    public enum State: Sendable, Equatable {
        case closed
        case open(untilNs: UInt64)
        /// `sent` probes are out, `succeeded` came back well.
        case probing(sent: Int, succeeded: Int)
    }

    public var window: Int
    public var threshold: Int
    public var probes: Int
    public var firstPauseMs: Int
    public var maxPauseMs: Int

    public private(set) var state: State = .closed
    /// The last answers, newest last: true for a server failure (a ring of `window` flags).
    private var recent: [Bool] = []
    private var next = 0
    private var failuresInWindow = 0
    /// The next cool-down.
    public private(set) var pauseMs: Int
    /// Times the circuit opened, and milliseconds spent open or probing (for the summary).
    public private(set) var openings = 0

    public static let defaultMaxPauseMs = 15 * 60_000

    public init(window: Int = 20, threshold: Int = 16, probes: Int = 3, firstPauseMs: Int = 5000,
                maxPauseMs: Int = CircuitBreaker.defaultMaxPauseMs) {
        self.window = Swift.max(1, window)
        self.threshold = Swift.min(Swift.max(1, threshold), self.window)
        self.probes = Swift.max(1, probes)
        self.firstPauseMs = Swift.max(1, firstPauseMs)
        self.maxPauseMs = Swift.max(self.firstPauseMs, maxPauseMs)
        self.pauseMs = self.firstPauseMs
    }

    /// True while rows are held back (open or probing): attempts made meanwhile do not count against a row.
    public var isTripped: Bool { state != .closed }

    /// How many rows may be taken now, at most `wanted`; moves from open to probing when the cool-down is over.
    public mutating func permits(_ wanted: Int, now: UInt64) -> Int {
        switch state {
        case .closed:
            return wanted
        case .open(let until):
            guard now >= until else { return 0 }
            state = .probing(sent: 0, succeeded: 0)
            return permits(wanted, now: now)
        case .probing(let sent, let succeeded):
            let granted = Swift.min(wanted, probes - sent)
            state = .probing(sent: sent + granted, succeeded: succeeded)
            return granted
        }
    }

    /// Hands back probes granted by `permits` that were not sent (no row was due, the rate limiter said no):
    /// otherwise a probing circuit could wait forever for answers to probes that never went out.
    public mutating func giveBack(_ unsent: Int) {
        guard unsent > 0, case .probing(let sent, let succeeded) = state else { return }
        state = .probing(sent: Swift.max(0, sent - unsent), succeeded: succeeded)
    }

    /// When the open circuit lets probes go, if it is open.
    public var reopensAtNs: UInt64? {
        if case .open(let until) = state { return until }
        return nil
    }

    /// Answers since the last call: `successes` (any answer but a server failure) and `failures` (500, 503, no
    /// answer). Returns the cool-down in milliseconds when this opened the circuit.
    public mutating func record(successes: Int, failures: Int, now: UInt64) -> Int? {
        switch state {
        case .open:
            return nil
        case .probing(let sent, let succeeded):
            if failures > 0 { return open(now: now) }
            let done = succeeded + successes
            if done >= probes {
                state = .closed
                pauseMs = firstPauseMs
                resetWindow()
            } else {
                state = .probing(sent: sent, succeeded: done)
            }
            return nil
        case .closed:
            for _ in 0..<Swift.min(successes, window) { push(false) }
            for _ in 0..<Swift.min(failures, window) { push(true) }
            return failuresInWindow >= threshold ? open(now: now) : nil
        }
    }

    private mutating func open(now: UInt64) -> Int {
        let pause = pauseMs
        state = .open(untilNs: now + UInt64(pause) * 1_000_000)
        openings += 1
        pauseMs = Swift.min(maxPauseMs, pauseMs * 2)
        resetWindow()
        return pause
    }

    private mutating func push(_ failed: Bool) {
        if recent.count < window {
            recent.append(failed)
        } else {
            if recent[next] { failuresInWindow -= 1 }
            recent[next] = failed
            next = (next + 1) % window
        }
        if failed { failuresInWindow += 1 }
    }

    private mutating func resetWindow() {
        recent.removeAll(keepingCapacity: true)
        next = 0
        failuresInWindow = 0
    }
}

/// The run's one `CircuitBreaker`, shared by every connection thread: each reports its answers once per loop pass
/// (one lock per pass, not per answer) and asks how many rows it may take.
///
/// An `NSLock`, not a `Synchronization.Mutex`: every connection thread contends for this lock, and a contended
/// `Mutex` on Linux is taken inside the kernel (a priority-inheritance futex), where ThreadSanitizer cannot see it,
/// so `make sanitize` reported the guarded state as raced. `NSLock` is a pthread mutex, which it sees.
public final class SharedCircuitBreaker: @unchecked Sendable {
    private let lock = NSLock()
    private var breaker: CircuitBreaker   // only under `lock`
    private let log: EventLog?

    public init(_ breaker: CircuitBreaker = CircuitBreaker(), log: EventLog? = nil) {
        self.breaker = breaker
        self.log = log
    }

    /// Records a pass's answers and grants up to `wanted` rows; `tripped` says whether the circuit holds rows back.
    public func pass(successes: Int, failures: Int, wanted: Int, now: UInt64) -> (granted: Int, tripped: Bool) {
        var opened: Int?
        var closed = false
        let result = lock.withLock { () -> (Int, Bool) in
            let wasTripped = breaker.isTripped
            if successes > 0 || failures > 0 { opened = breaker.record(successes: successes, failures: failures, now: now) }
            closed = wasTripped && !breaker.isTripped
            return (breaker.permits(wanted, now: now), breaker.isTripped)
        }
        if let opened {
            log?("circuit open: most recent answers were server failures (500, 503, no answer); pausing "
                + "\(DurationText.format(milliseconds: opened)), then probing")
        }
        if closed { log?("circuit closed: the probes succeeded; sending again") }
        return result
    }

    /// Probes granted by `pass` that were not sent after all.
    public func giveBack(_ unsent: Int) {
        guard unsent > 0 else { return }
        lock.withLock { breaker.giveBack(unsent) }
    }

    /// A connection could not be made (the server was reachable before): a server failure.
    public func connectFailed(now: UInt64) {
        _ = pass(successes: 0, failures: 1, wanted: 0, now: now)
    }

    public var snapshot: CircuitBreaker { lock.withLock { breaker } }
}
