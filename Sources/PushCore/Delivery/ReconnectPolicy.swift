/// When the next connection may be opened after one ended, as a pure function of the recent history.
/// No clock and no sleeping: the caller says what happened and gets a delay (or a verdict) back.
///
/// | what happened to the connection that just ended                        | streak      | next connection after |
/// |------------------------------------------------------------------------|-------------|-----------------------|
/// | it answered at least one request                                       | reset to 0  | at once               |
/// | it answered nothing although it had requests in flight                 | +1          | back-off(streak)      |
/// | it answered nothing and lived less than a second                       | +1          | back-off(streak)      |
/// | it could not be opened (TCP, proxy, TLS)                               | +1          | back-off(streak)      |
/// | it lived a second or more, idle (nothing to send), answered nothing    | unchanged   | at once               |
/// | streak reaches `fatalStreak` and no request of the run was answered    | –           | stop the run (exit 3) |
/// | it stalled (no SETTINGS, 0 streams or no answer for a whole timeout)   | –           | stop the run at once  |
/// |   and no request of the run was answered                               |             |                       |
///
/// Connections that cannot be opened at all grow the streak too, but never stop the run by themselves: the caller
/// bounds them by `--connect-timeout`.
///
/// A completed handshake proves nothing (a server may accept and drop every connection): only an answered
/// request resets the streak. Back-off(n) is "equal jitter", half fixed and half random, so it grows for sure:
/// a delay in `ceiling/2 ... ceiling` where `ceiling = min(cap, base × 2^(n−1))`. With the defaults
/// (base 250 ms, cap 30 s) the ceilings are 0.25 s, 0.5 s, 1 s, 2 s, 4 s, 8 s, 16 s, 30 s, 30 s, …
public struct ReconnectPolicy: Sendable, Equatable {
    public var baseDelayMs: Int
    public var maxDelayMs: Int
    /// Consecutive connections that failed before the run's first answer after which the run stops.
    public var fatalStreak: Int
    /// Connections that failed in a row (see the table); 0 after an answered request.
    public private(set) var streak = 0

    public static let shortLifeNs: UInt64 = 1_000_000_000

    public init(baseDelayMs: Int = 250, maxDelayMs: Int = 30_000, fatalStreak: Int = 5) {
        self.baseDelayMs = max(1, baseDelayMs)
        self.maxDelayMs = max(self.baseDelayMs, maxDelayMs)
        self.fatalStreak = max(1, fatalStreak)
    }

    /// How a connection ended, as far as the policy cares.
    public struct Ending: Sendable, Equatable {
        /// Requests answered on it (any status).
        public var answered: Int
        /// Requests sent on it.
        public var submitted: Int
        /// From the completed handshake to the end.
        public var livedNs: UInt64
        /// The server stalled it for a whole timeout (see `ConnectionStateMachine.stalled`).
        public var stalled: Bool

        public init(answered: Int, submitted: Int, livedNs: UInt64, stalled: Bool = false) {
            self.answered = answered
            self.submitted = submitted
            self.livedNs = livedNs
            self.stalled = stalled
        }
    }

    public enum Decision: Sendable, Equatable {
        /// Open the next connection after this many milliseconds (0: at once).
        case reconnect(afterMs: Int)
        /// Connections keep failing and nothing was ever answered: stop the run.
        case giveUp
    }

    /// A connection ended. `runAnswered`: some request of the run (on any connection) was ever answered.
    /// `random(n)` returns a uniformly random integer in `0...n`.
    public mutating func connectionEnded(_ ending: Ending, runAnswered: Bool, random: (Int) -> Int) -> Decision {
        if ending.answered > 0 {
            streak = 0
            return .reconnect(afterMs: 0)
        }
        if ending.stalled && !runAnswered { return .giveUp }
        if ending.submitted == 0 && ending.livedNs >= Self.shortLifeNs && !ending.stalled { return .reconnect(afterMs: 0) }
        let delay = failed(random: random)
        return streak >= fatalStreak && !runAnswered ? .giveUp : .reconnect(afterMs: delay)
    }

    /// A connection could not be opened at all: the delay before the next attempt.
    public mutating func connectFailed(random: (Int) -> Int) -> Int {
        failed(random: random)
    }

    private mutating func failed(random: (Int) -> Int) -> Int {
        streak += 1
        let ceiling = ceilingMs(streak: streak)
        return ceiling / 2 + random(ceiling - ceiling / 2)
    }

    /// `min(cap, base × 2^(streak−1))`; 0 for a streak of 0.
    public func ceilingMs(streak: Int) -> Int {
        guard streak > 0 else { return 0 }
        let shift = min(streak - 1, 30)
        let ceiling = baseDelayMs.multipliedReportingOverflow(by: 1 << shift)
        return ceiling.overflow ? maxDelayMs : min(maxDelayMs, ceiling.partialValue)
    }
}
