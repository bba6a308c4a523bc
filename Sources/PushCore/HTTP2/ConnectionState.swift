/// The life of one HTTP/2 connection to APNs, as a value: no sockets, no clocks.
///
/// ```
///   connecting ──connected──▶ ready(max streams) ──GOAWAY──▶ draining(last stream id) ──last stream closed──▶ closed
///        │                       │  ▲ SETTINGS changes max streams                                            ▲
///        └──────failed───────────┴──┴──────────────── connection lost ─────────────────────────────────────────┘
/// ```
/// How many new requests may be submitted is the smaller of our own cap (`--concurrency` shared among
/// connections) and the server's current SETTINGS_MAX_CONCURRENT_STREAMS, minus what is in flight.
/// Until the server's first SETTINGS arrives we assume 1 (APNs starts token-auth connections at 1).
public struct ConnectionState: Sendable, Equatable {
    public enum Phase: Sendable, Equatable {
        case connecting
        case ready
        /// The server sent GOAWAY: finish streams up to `lastStreamID`, submit nothing new.
        case draining(lastStreamID: Int32)
        /// We are shutting down gracefully: no new requests.
        case closing
        case closed
    }

    public private(set) var phase: Phase = .connecting
    public private(set) var inFlight = 0
    public private(set) var serverMaxStreams = 1
    /// Our own cap for this connection.
    public let streamCap: Int
    /// Requests answered on this connection (any status).
    public private(set) var answered = 0

    public init(streamCap: Int) {
        self.streamCap = Swift.max(1, streamCap)
    }

    /// How many requests may be submitted now.
    public var freeSlots: Int {
        guard phase == .ready else { return 0 }
        return Swift.max(0, Swift.min(streamCap, serverMaxStreams) - inFlight)
    }

    /// True when the connection has nothing left to do and can be closed.
    public var isDrained: Bool {
        switch phase {
        case .draining, .closing: return inFlight == 0
        case .closed: return true
        case .connecting, .ready: return false
        }
    }

    public mutating func connected() {
        if phase == .connecting { phase = .ready }
    }

    /// A non-ACK SETTINGS frame arrived. A server that names no limit gets our cap.
    public mutating func settingsReceived(maxConcurrentStreams: Int) {
        serverMaxStreams = maxConcurrentStreams <= 0 ? 0 : Swift.min(maxConcurrentStreams, Int(Int32.max))
    }

    public mutating func goAwayReceived(lastStreamID: Int32) {
        switch phase {
        case .closed: return
        case .draining(let previous): phase = .draining(lastStreamID: Swift.min(previous, lastStreamID))
        default: phase = .draining(lastStreamID: lastStreamID)
        }
    }

    /// We decided to stop (input exhausted or the run is stopping).
    public mutating func beginClosing() {
        if phase == .ready || phase == .connecting { phase = .closing }
    }

    public mutating func submitted() {
        precondition(freeSlots > 0, "submitted past the stream limit")
        inFlight += 1
    }

    /// A stream closed; `answered` is true when a response (any status) arrived on it.
    public mutating func streamClosed(answered wasAnswered: Bool) {
        inFlight = Swift.max(0, inFlight - 1)
        if wasAnswered { answered += 1 }
    }

    /// The connection is gone (error, EOF or after draining). Streams still in flight are the caller's to settle.
    public mutating func closed() {
        phase = .closed
        inFlight = 0
    }
}
