/// How one connection is made to end on purpose: `--goaway-after N[:REASON]` / `--goaway-every N[:REASON]` and
/// `--drop-after N` / `--drop-every N`. Counts the requests the connection takes on (and is told how many the
/// whole server took on before) and says, for each request that completes, what to do.
///
/// ```
///            request ended (stream s)
///  [open] ───────────────────────────────► take; taken += 1; serverTaken = serverTakenBefore + 1
///    │  a drop trigger fires                  → take, then reset the connection once answered → [dropping]
///    │  a GOAWAY trigger fires                → take, then GOAWAY(last-stream-id = s)         → [going away, L = s]
///  [going away, L]: s ≤ L → take (streams the GOAWAY promised to finish); s > L → ignore (nghttp2 refuses them)
///  [dropping]:      every later request → ignore (it dies with the connection)
/// ```
///
/// A trigger fires on the request that makes `taken` equal its count (`.connection` scope, "after") or makes
/// `serverTaken` a multiple of its count (`.server` scope, "every"). When a drop and a GOAWAY fire on the same
/// request the drop wins (no GOAWAY: the connection just dies). A GOAWAY trigger that fires on a connection that
/// has already sent its GOAWAY sends nothing. Requests taken after a GOAWAY (streams below L that completed late)
/// still count.
public struct ConnectionEnding: Sendable, Equatable {
    public enum Intake: Sendable, Equatable {
        /// Answer the request as usual.
        case take
        /// Answer it, and send GOAWAY now with this last-stream-id.
        case takeThenGoAway(lastStreamID: Int32)
        /// Answer it; once the answer is written, reset the connection.
        case takeThenDrop
        /// Do not process it: above the GOAWAY's last-stream-id, or after the drop was decided.
        case ignore
    }

    /// What a trigger's count counts.
    public enum Scope: Sendable, Equatable {
        /// Requests on this connection: fires once, on the Nth.
        case connection
        /// Requests on the whole server: fires on every Nth, on whichever connection carries it.
        case server
    }

    public struct Trigger: Sendable, Equatable {
        public var count: Int
        public var scope: Scope

        public init(count: Int, scope: Scope) {
            self.count = max(1, count)
            self.scope = scope
        }

        func fires(taken: Int, serverTaken: Int) -> Bool {
            switch scope {
            case .connection: return taken == count
            case .server: return serverTaken % count == 0
            }
        }
    }

    public let goAwayTriggers: [Trigger]
    public let dropTriggers: [Trigger]
    /// Requests taken on so far.
    public private(set) var taken = 0
    /// The last-stream-id of the GOAWAY sent, once sent.
    public private(set) var goAwayLastStreamID: Int32?
    /// The stream whose answer ends the connection, once decided.
    public private(set) var dropStreamID: Int32?

    public init(goAway: [Trigger] = [], drop: [Trigger] = []) {
        goAwayTriggers = goAway
        dropTriggers = drop
    }

    /// Per-connection counts only: GOAWAY after `goAwayAfter` requests, reset after `dropAfter`.
    public init(goAwayAfter: Int? = nil, dropAfter: Int? = nil) {
        self.init(goAway: goAwayAfter.map { [Trigger(count: $0, scope: .connection)] } ?? [],
                  drop: dropAfter.map { [Trigger(count: $0, scope: .connection)] } ?? [])
    }

    /// - Parameter serverTakenBefore: requests the whole server took on before this one (for `.server` triggers).
    public mutating func requestEnded(stream: Int32, serverTakenBefore: Int = 0) -> Intake {
        if dropStreamID != nil { return .ignore }
        if let last = goAwayLastStreamID, stream > last { return .ignore }
        taken += 1
        let serverTaken = serverTakenBefore + 1
        if dropTriggers.contains(where: { $0.fires(taken: taken, serverTaken: serverTaken) }) {
            dropStreamID = stream
            return .takeThenDrop
        }
        if goAwayLastStreamID == nil && goAwayTriggers.contains(where: { $0.fires(taken: taken, serverTaken: serverTaken) }) {
            goAwayLastStreamID = stream
            return .takeThenGoAway(lastStreamID: stream)
        }
        return .take
    }
}
