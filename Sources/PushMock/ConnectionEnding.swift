/// How one connection is made to end on purpose: `--goaway-after N[:REASON]` and `--drop-after N`.
/// Counts the requests the connection takes on and says, for each request that completes, what to do.
///
/// ```
///            request ended (stream s)
///  [open] ───────────────────────────────► take; taken += 1
///    │  taken == goAwayAfter                 → take, then GOAWAY(last-stream-id = s)      → [going away, L = s]
///    │  taken == dropAfter                   → take, then reset the connection once answered → [dropping]
///  [going away, L]: s ≤ L → take (streams the GOAWAY promised to finish); s > L → ignore (nghttp2 refuses them)
///  [dropping]:      every later request → ignore (it dies with the connection)
/// ```
///
/// When both limits fall on the same request the drop wins (no GOAWAY is sent: the connection just dies).
/// Requests taken after a GOAWAY (streams below L that completed late) still count towards `dropAfter`.
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

    public let goAwayAfter: Int?
    public let dropAfter: Int?
    /// Requests taken on so far.
    public private(set) var taken = 0
    /// The last-stream-id of the GOAWAY sent, once sent.
    public private(set) var goAwayLastStreamID: Int32?
    /// The stream whose answer ends the connection, once decided.
    public private(set) var dropStreamID: Int32?

    /// - Parameters:
    ///   - goAwayAfter: send GOAWAY when this many requests have been taken; nil: never.
    ///   - dropAfter: reset the connection after answering this many; nil: never.
    public init(goAwayAfter: Int? = nil, dropAfter: Int? = nil) {
        self.goAwayAfter = goAwayAfter.map { max(1, $0) }
        self.dropAfter = dropAfter.map { max(1, $0) }
    }

    public mutating func requestEnded(stream: Int32) -> Intake {
        if dropStreamID != nil { return .ignore }
        if let last = goAwayLastStreamID, stream > last { return .ignore }
        taken += 1
        if taken == dropAfter {
            dropStreamID = stream
            return .takeThenDrop
        }
        if taken == goAwayAfter && goAwayLastStreamID == nil {
            goAwayLastStreamID = stream
            return .takeThenGoAway(lastStreamID: stream)
        }
        return .take
    }
}
