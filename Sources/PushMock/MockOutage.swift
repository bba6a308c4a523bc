/// `apnsctl mock --outage FROM..TO [--outage-mode 503|refuse]`: a server-wide outage from FROM to TO after the mock
/// started, as APNs has them.
///
/// | mode | before FROM, from TO on | from FROM until TO |
/// |---|---|---|
/// | `.unavailable` | served as usual | every request answered 503 ServiceUnavailable; connections are accepted |
/// | `.refuse` | served as usual (the listening socket is opened again at TO) | the listening socket is closed (connections are refused) and every open connection is closed without a word |
public struct MockOutage: Sendable, Equatable {
    public enum Mode: Sendable, Equatable {
        /// Answer 503 ServiceUnavailable.
        case unavailable
        /// Refuse connections (nothing listening) and close the open ones.
        case refuse
    }

    /// Milliseconds after the start when the outage begins (inclusive) and ends (exclusive).
    public var startMs: Int
    public var endMs: Int
    public var mode: Mode

    public init(startMs: Int, endMs: Int, mode: Mode = .unavailable) {
        self.startMs = max(0, startMs)
        self.endMs = max(self.startMs, endMs)
        self.mode = mode
    }

    /// True from `startMs` (inclusive) to `endMs` (exclusive).
    public func isActive(elapsedMs: Int64) -> Bool {
        elapsedMs >= Int64(startMs) && elapsedMs < Int64(endMs)
    }

    /// Answer requests 503 now.
    public func answersUnavailable(elapsedMs: Int64) -> Bool {
        mode == .unavailable && isActive(elapsedMs: elapsedMs)
    }

    /// What the listening socket should be now, given whether it is open.
    public enum ListenerChange: Sendable, Equatable { case none, close, reopen }

    public func listenerChange(elapsedMs: Int64, listening: Bool) -> ListenerChange {
        guard mode == .refuse else { return .none }
        let down = isActive(elapsedMs: elapsedMs)
        if down && listening { return .close }
        if !down && !listening { return .reopen }
        return .none
    }

    /// The next moment (elapsed milliseconds) at which something changes, nil when nothing will.
    public func nextChange(afterElapsedMs elapsed: Int64) -> Int64? {
        if elapsed < Int64(startMs) { return Int64(startMs) }
        if elapsed < Int64(endMs) { return Int64(endMs) }
        return nil
    }
}
