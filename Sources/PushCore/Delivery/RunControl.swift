import Synchronization

/// Run-wide state shared by the reader and every connection thread: whether to keep going, the first
/// fatal error, and counters for the summary. Cheap to read on the hot path (one lock, no contention).
public final class RunControl: Sendable {
    private struct State {
        var fatal: FatalError?
        var stopRequested = false
        var abandonRequested = false
        var connectionsOpened = 0
        var goAways = 0
    }
    private let state = Mutex(State())

    public init() {}

    /// Why a run stopped early. `exitStatus` 3 unless an interruption decided otherwise.
    public struct FatalError: Error, Sendable, CustomStringConvertible {
        public var description: String
        public init(_ description: String) { self.description = description }
    }

    /// Records the first fatal error (later ones are dropped) and asks everyone to stop.
    public func fail(_ message: String) {
        state.withLock { s in
            if s.fatal == nil { s.fatal = FatalError(message) }
            s.stopRequested = true
        }
    }

    public func requestStop() { state.withLock { $0.stopRequested = true } }

    /// The grace period after an interruption is over: connections close now, leaving requests still in flight
    /// out of the report (their outcome is unknown; `--resume` sends them again).
    public func abandonInFlight() { state.withLock { $0.stopRequested = true; $0.abandonRequested = true } }
    public var isAbandoning: Bool { state.withLock { $0.abandonRequested } }

    public var fatal: FatalError? { state.withLock { $0.fatal } }
    public var isStopping: Bool { state.withLock { $0.stopRequested } }

    public func connectionOpened() { state.withLock { $0.connectionsOpened += 1 } }
    public func goAwayReceived() { state.withLock { $0.goAways += 1 } }
    public var connectionsOpened: Int { state.withLock { $0.connectionsOpened } }
    public var goAways: Int { state.withLock { $0.goAways } }
}

/// Where settled rows go (report writer + summary). Called by connection threads with a batch per loop pass.
public protocol RowSink: Sendable {
    func settle(_ rows: [ReportRow])
}

/// Supplies the `authorization` header value for token auth (`bearer <JWT>`); nil for certificate auth.
public protocol AuthorizationSource: Sendable {
    func authorization() throws -> String?
    /// APNs answered ExpiredProviderToken for a request sent with `authorization`. Returns false when that
    /// cannot be the token's age (it was minted moments ago to replace an expired one): the clock is wrong.
    func rejectedAsExpired(_ authorization: String) -> Bool
}

extension AuthorizationSource {
    public func rejectedAsExpired(_ authorization: String) -> Bool { true }
}

/// Certificate authentication: no `authorization` header.
public struct NoAuthorization: AuthorizationSource {
    public init() {}
    public func authorization() throws -> String? { nil }
}

/// Human-readable connection events for `-v` (never a secret).
public typealias EventLog = @Sendable (String) -> Void
