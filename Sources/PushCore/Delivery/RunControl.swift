import Synchronization

/// Run-wide state shared by the reader and every connection thread: whether to keep going, the first
/// fatal error, and counters for the summary. Cheap to read on the hot path (one lock, no contention).
public final class RunControl: Sendable {
    private struct State {
        var fatal: FatalError?
        var stopRequested = false
        var abandonRequested = false
        var connectionsOpened = 0
        var reconnects = 0
        var goAways = 0
        var answered = false
        var warnings: Set<String> = []
    }
    private let state = Mutex(State())
    private let warningHandler: (@Sendable (String) -> Void)?

    /// `warn` shows a warning to the user (each distinct one once).
    public init(warn: (@Sendable (String) -> Void)? = nil) {
        warningHandler = warn
    }

    /// A warning for the user, shown once however many connections report it.
    public func warn(_ message: String) {
        let isNew = state.withLock { $0.warnings.insert(message).inserted }
        if isNew { warningHandler?(message) }
    }

    /// Some request of the run was answered (any status): the server works, so connection trouble is no longer
    /// a reason to give up (`ReconnectPolicy`).
    public func requestAnswered() { state.withLock { $0.answered = true } }
    public var anyRequestAnswered: Bool { state.withLock { $0.answered } }

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
    /// A connection was opened again after one ended or failed.
    public func reconnecting() { state.withLock { $0.reconnects += 1 } }
    public var reconnects: Int { state.withLock { $0.reconnects } }
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
    /// APNs answered ExpiredProviderToken for a request sent with `authorization`; `acceptedBefore`: a request
    /// with it was answered before on that connection. Returns what to do with the request, and a warning to
    /// show once (the measured lifetime of tokens that expire early).
    func rejectedAsExpired(_ authorization: String, acceptedBefore: Bool) -> (ExpiredTokenVerdict, warning: String?)
    /// A request sent with `authorization` was answered (not refused for its token).
    func accepted(_ authorization: String)
}

extension AuthorizationSource {
    public func rejectedAsExpired(_ authorization: String, acceptedBefore: Bool) -> (ExpiredTokenVerdict, warning: String?) {
        (.retry, nil)
    }
    public func accepted(_ authorization: String) {}
}

/// Certificate authentication: no `authorization` header.
public struct NoAuthorization: AuthorizationSource {
    public init() {}
    public func authorization() throws -> String? { nil }
}

/// Human-readable connection events for `-v` (never a secret).
public typealias EventLog = @Sendable (String) -> Void
