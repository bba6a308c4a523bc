/// The life of one HTTP/2 connection to APNs, as a value: every protocol decision of a connection, no sockets,
/// no clocks, no locks. Event methods take `now:` (monotonic nanoseconds) and return an `Action` for the driver
/// (`ClientConnection`), which does the I/O. Settled rows and rows to retry collect in `settled` and `retries`,
/// which the driver hands on once per loop pass.
///
/// ```
///                 first SETTINGS                        GOAWAY(last stream id)
///   connecting ─────────────────▶ ready(max streams) ────────────────────────▶ draining(last stream id)
///     │  no SETTINGS within         │  ▲ SETTINGS changes max streams              │ last stream closed
///     │  the connect timeout        │  └─┘ (0 streams for a whole --timeout: lose) ▼
///     │                             │ input done, run stopping, "new connection"   closed ◀── lost (EOF, error,
///     │                             └──────────────────────────▶ closing ──────────▲          dead PING, stall)
///     └──────────────────────── lost ────────────────────────────────────────────────┘
/// ```
///
/// | event                                   | what the machine does                                                  |
/// |-----------------------------------------|------------------------------------------------------------------------|
/// | SETTINGS (first, or max streams change) | `ready(max)`; logs a change                                            |
/// | request submitted                       | in-flight table gets the row, its stream, send time and token epoch    |
/// | stream closed with an answer            | `RetryPolicy` decides once: settle, retry (maybe on a new connection), |
/// |                                         | check an expired token with its source, or stop the run                |
/// | stream closed, refused unprocessed      | resend at once; counts as a refusal only on a connection that answered |
/// |                                         | nothing (a healthy server's GOAWAY never fails a row)                  |
/// | stream closed otherwise, or cancelled   | transport failure: resend with back-off while retries last             |
/// | GOAWAY                                  | `draining`; a credential reason stops the run, a token reason renews it |
/// | tick: request past `--timeout`          | cancel its stream; on a connection that answered nothing: lose it      |
/// | tick: silent for `pingAfter`            | PING; no answer to it within `--timeout`: lose the connection          |
/// | lost                                    | every request in flight is a transport failure; `closed`               |
public struct ConnectionStateMachine {
    public struct Configuration: Sendable {
        /// Our own cap of requests in flight on this connection (our share of `--concurrency`).
        public var streamCap: Int
        public var requestTimeoutNs: UInt64
        /// How long the server may take to send its first SETTINGS (`--connect-timeout`).
        public var settingsTimeoutNs: UInt64
        public var pingAfterNs: UInt64
        public var retryPolicy: RetryPolicy
        /// Payload arrays of settled rows are collected in `spentPayloads` (to be rendered into again).
        public var recyclesPayloads: Bool

        public init(streamCap: Int, requestTimeoutNs: UInt64, settingsTimeoutNs: UInt64, pingAfterNs: UInt64,
                    retryPolicy: RetryPolicy, recyclesPayloads: Bool = false) {
            self.streamCap = Swift.max(1, streamCap)
            self.requestTimeoutNs = requestTimeoutNs
            self.settingsTimeoutNs = settingsTimeoutNs
            self.pingAfterNs = pingAfterNs
            self.retryPolicy = retryPolicy
            self.recyclesPayloads = recyclesPayloads
        }
    }

    public enum Phase: Sendable, Equatable {
        /// TLS is up; the server's first SETTINGS has not arrived: nothing is sent yet.
        case connecting
        case ready(maxStreams: Int)
        /// The server sent GOAWAY: finish streams up to `lastStreamID`, submit nothing new.
        case draining(lastStreamID: Int32)
        /// We are closing gracefully (input done, run stopping, or an answer asked for a new connection).
        case closing
        case closed
    }

    /// What the driver must do after an event. Cases with text are rare (a connection's life, not a request's).
    public enum Action: Sendable, Equatable {
        case none
        /// A connection event for `-v`.
        case log(String)
        /// Send a PING (health check).
        case ping
        /// The connection is dead: settle what is in flight (`lost`) and reconnect.
        case lose(String)
        /// Nothing can succeed (credentials refused, …): stop the run with this message (exit 3).
        case stopRun(String)
        /// APNs called the token of this connection's current authorization expired: ask the token source
        /// (`ExpiredTokenVerdict`) and pass its verdict to `expiredTokenVerdict`. `acceptedBefore`: a request with
        /// that token was answered on this connection before.
        case checkExpiredToken(acceptedBefore: Bool)
        /// The first request with the current authorization was accepted: tell the token source.
        case tokenAccepted
    }

    /// A request in flight, by tag (the index nghttp2 hands back with every callback).
    public struct InFlight {
        public var stream: Int32 = 0
        public var delivery: Delivery
        /// `authorizationEpoch` when it was sent.
        public var authorizationEpoch: Int
        public var startedNs: UInt64
        public var response = APNsResponse()
        public var timedOut = false
    }

    public let configuration: Configuration
    public private(set) var phase: Phase = .connecting
    /// When the connection (TLS) was up.
    public let openedNs: UInt64
    public private(set) var inFlight = 0
    /// Requests submitted and answered (any status) on this connection.
    public private(set) var submittedCount = 0
    public private(set) var answered = 0
    /// Changes with the `authorization` value this connection sends (a request keeps the number, not the string).
    public private(set) var authorizationEpoch = 0
    /// The epoch whose acceptance was reported (`tokenAccepted`).
    var acceptedEpoch = 0
    /// A request with the current token was answered on this connection (epoch 0: no token, certificate auth).
    var currentTokenAccepted: Bool { authorizationEpoch > 0 && acceptedEpoch == authorizationEpoch }
    /// A whole `--timeout` passed with requests in flight and none answered on a connection that answered nothing,
    /// or the server allowed no stream for that long, or sent no SETTINGS: the server stalls, it is not just slow.
    public private(set) var stalled = false
    /// What the server did wrong on this connection, in words for a fatal message ("closed the connection before
    /// answering anything"); nil while nothing went wrong.
    public private(set) var trouble: String?

    var slots: [InFlight?] = []
    /// When each slot's request was sent, 0 once it closed or timed out: the deadline check scans these words
    /// instead of the requests (reading a field of an optional request copied the whole request).
    private var sentAtNs: [UInt64] = []
    private var freeTags: [Int] = []
    private var lastReadNs: UInt64
    private var pingSentNs: UInt64?
    private var zeroStreamsSinceNs: UInt64?
    private var nextDeadlineCheckNs: UInt64 = 0
    private var stepNs: UInt64
    private var stepWallMs: Int64 = 0
    var random: SplitMix64
    /// Rows waiting for the token source's verdict (`checkExpiredToken`).
    var awaitingTokenVerdict: [Delivery] = []

    /// Rows settled since the driver last took them, their payloads (with `recyclesPayloads`), and rows to send
    /// again after a delay (0: at once).
    public var settled: [ReportRow] = []
    public var spentPayloads: [[UInt8]] = []
    public var retries: [(delivery: Delivery, delayMs: Int)] = []
    /// Streams to cancel (RST_STREAM), filled by `tick`.
    public var streamsToCancel: [Int32] = []
    /// Answers since the driver last reported them to the circuit breaker: server failures (500, 503, no answer;
    /// a lost connection counts once, not once per request it carried) and the rest.
    public var breakerSuccesses = 0
    public var breakerFailures = 0
    /// The circuit breaker holds rows back: attempts that fail with a server failure now do not count against
    /// the row (rows waiting out an outage keep their retries).
    public var holdsAttempts = false

    public init(configuration: Configuration, now: UInt64, seed: UInt64) {
        self.configuration = configuration
        self.openedNs = now
        self.lastReadNs = now
        self.stepNs = now
        self.random = SplitMix64(seed: seed)
    }

    // MARK: capacity

    /// How many new requests may be submitted now.
    public var freeSlots: Int {
        guard case .ready(let maxStreams) = phase else { return 0 }
        return Swift.max(0, Swift.min(configuration.streamCap, maxStreams) - inFlight)
    }

    /// How many new requests may be submitted now, given the server's connection-level flow-control window
    /// (bytes it lets us send). Below one full DATA frame (16 KiB) nothing new is submitted: nghttp2 sends a new
    /// stream's HEADERS before older streams' DATA, so requests queued then would only compete with bodies already
    /// waiting for a WINDOW_UPDATE, and the oldest requests would finish last.
    public func freeSlots(connectionWindow: Int) -> Int {
        connectionWindow < Self.minimumWindowForNewRequests && inFlight > 0 ? 0 : freeSlots
    }

    public static let minimumWindowForNewRequests = 16_384

    /// True when the connection has nothing left to do and can be closed.
    public var isDrained: Bool {
        switch phase {
        case .draining, .closing: return inFlight == 0
        case .closed: return true
        case .connecting, .ready: return false
        }
    }

    public var isReady: Bool {
        if case .ready = phase { return true }
        return false
    }

    /// How this connection ended, for `ReconnectPolicy`.
    public func ending(now: UInt64) -> ReconnectPolicy.Ending {
        ReconnectPolicy.Ending(answered: answered, submitted: submittedCount, livedNs: now &- openedNs, stalled: stalled)
    }

    // MARK: events from the server

    /// A non-ACK SETTINGS frame arrived. A server that names no limit gets our cap.
    public mutating func settingsReceived(maxConcurrentStreams: Int, now: UInt64) -> Action {
        let allowed = maxConcurrentStreams <= 0 ? 0 : Swift.min(maxConcurrentStreams, Int(Int32.max))
        zeroStreamsSinceNs = allowed == 0 ? (zeroStreamsSinceNs ?? now) : nil
        switch phase {
        case .connecting:
            phase = .ready(maxStreams: allowed)
            return allowed == 0 ? .log("server allows 0 concurrent streams") : .none
        case .ready(let before):
            phase = .ready(maxStreams: allowed)
            return before == allowed ? .none : .log("server allows \(allowed) concurrent streams")
        case .draining, .closing, .closed:
            return .none
        }
    }

    /// Bytes arrived from the server (any frame): the connection is alive. Streams closed by them are stamped with
    /// these clocks.
    public mutating func bytesReceived(now: UInt64, wallMs: Int64) {
        lastReadNs = now
        pingSentNs = nil
        stamp(now: now, wallMs: wallMs)
    }

    /// A GOAWAY arrived. Its debug data's reason is acted on: credentials refused stop the run; an expired or too
    /// often renewed provider token is renewed for the next connection; anything else just drains.
    public mutating func goAwayReceived(lastStreamID: Int32, errorCode: UInt32, debugData: [UInt8]) -> Action {
        switch phase {
        case .closed: return .none
        case .draining(let previous): phase = .draining(lastStreamID: Swift.min(previous, lastStreamID))
        default: phase = .draining(lastStreamID: lastStreamID)
        }
        let reason = GoAwayReason(debugData: debugData).map(Reason.init(rawValue:))
        if answered == 0 {
            trouble = "sent GOAWAY before answering anything (error \(errorCode)"
                + (reason.map { ", reason \($0.rawValue))" } ?? ")")
        }
        guard let reason else { return .none }
        if reason.isCredentialFailure {
            return .stopRun("APNs closed the connection (\(reason.rawValue)): \(reason.credentialHint)")
        }
        if reason == .expiredProviderToken { return .checkExpiredToken(acceptedBefore: currentTokenAccepted) }
        return .none
    }

    // MARK: requests

    /// The `authorization` value changed (a new token): requests sent from now on carry the next epoch.
    public mutating func authorizationChanged() {
        authorizationEpoch += 1
    }

    /// A tag for the next request: reused, or a new slot.
    public mutating func reserveTag() -> Int {
        if let tag = freeTags.popLast() { return tag }
        slots.append(nil)
        sentAtNs.append(0)
        return slots.count - 1
    }

    /// The request could not be submitted: its tag is free again (the caller keeps the row).
    public mutating func releaseTag(_ tag: Int) {
        freeTags.append(tag)
    }

    /// `delivery` went out on `stream` under `tag` (from `reserveTag`).
    public mutating func submitted(_ delivery: consuming Delivery, stream: Int32, tag: Int, now: UInt64) {
        precondition(freeSlots > 0, "submitted past the stream limit")
        delivery.attempts += 1
        sentAtNs[tag] = now
        // Built in its slot (a local first would be copied in, retaining every string of the row).
        slots[tag] = InFlight(stream: stream, delivery: delivery, authorizationEpoch: authorizationEpoch, startedNs: now)
        inFlight += 1
        submittedCount += 1
    }

    public mutating func header(tag: Int, name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) {
        guard tag < slots.count else { return }
        slots[tag]?.response.header(name: name, value: value)
    }

    public mutating func data(tag: Int, bytes: UnsafeBufferPointer<UInt8>) {
        guard tag < slots.count else { return }
        guard let limit = slots[tag]?.delivery.notification.kind.maxAnswerBodyBytes else { return }
        slots[tag]?.response.data(bytes, limit: limit)
    }

    /// The clocks of the step being handled (bytes read, or a pass of sending): every stream that closes in that
    /// step is timed and stamped with them, so a chunk of answers costs two clock reads, not two per answer.
    public mutating func stamp(now: UInt64, wallMs: Int64) {
        stepNs = now
        stepWallMs = wallMs
    }

    /// A stream closed (`errorCode` 0: normally; `refused`: the server never processed it), at the time of the last
    /// `stamp`.
    public mutating func streamClosed(tag: Int, errorCode: UInt32, refused wasRefused: Bool) -> Action {
        let now = stepNs, wallMs = stepWallMs
        guard tag < slots.count, let flight = slots[tag].take() else { return .none }   // moved out, not copied
        sentAtNs[tag] = 0
        freeTags.append(tag)
        inFlight = Swift.max(0, inFlight - 1)
        // An answer is a stream the server ended normally: one cancelled on its deadline or reset after a partial
        // HEADERS (even with `:status 200`) was not answered.
        let wasAnswered = errorCode == 0 && !flight.timedOut && (flight.response.status != nil || flight.response.statusMalformed)
        let latencyMs = Double(now > flight.startedNs ? now - flight.startedNs : 0) / 1_000_000
        if wasAnswered {
            answered += 1
            return answer(flight, latencyMs: latencyMs, wallMs: wallMs)
        }
        if wasRefused && !flight.timedOut {
            refused(flight, wallMs: wallMs)
            return .none
        }
        transportFailure(flight, reason: flight.timedOut ? Reason.timeout.rawValue : "StreamReset(\(errorCode))",
                         latencyMs: latencyMs, wallMs: wallMs)
        return .none
    }

    /// The answer on `tag` for `-vv`, like `curl -v` (`< ` before each line); nil for an unknown tag.
    public func answerTrace(tag: Int, errorCode: UInt32) -> String? {
        guard tag < slots.count, let response = slots[tag]?.response, let stream = slots[tag]?.stream else { return nil }
        var lines = ["stream \(stream): " + (errorCode == 0 ? "answer" : "closed with error \(errorCode)")]
        if let status = response.status { lines.append("< :status: \(status)") }
        if response.statusMalformed { lines.append("< :status: (malformed)") }
        if let id = response.apnsID { lines.append("< apns-id: \(id)") }
        if let id = response.apnsUniqueID { lines.append("< apns-unique-id: \(id)") }
        if let id = response.channelID { lines.append("< apns-channel-id: \(id)") }
        if let ms = response.retryAfterMs { lines.append("< retry-after: \(ms / 1000)") }
        if !response.body.isEmpty { lines.append("< " + String(decoding: response.body.prefix(512), as: UTF8.self)) }
        return lines.joined(separator: "\n")
    }

    // MARK: time

    /// Deadlines and health, checked at most every 100 ms: requests past `--timeout` are cancelled (their streams
    /// land in `streamsToCancel`), a silent connection is PINGed, a dead or stalling one is lost.
    public mutating func tick(now: UInt64) -> Action {
        guard now >= nextDeadlineCheckNs else { return .none }
        nextDeadlineCheckNs = now + 100_000_000
        let limit = configuration.requestTimeoutNs
        let seconds = Self.seconds(limit)
        if phase == .connecting && now &- openedNs > configuration.settingsTimeoutNs {
            stalled = true
            trouble = "sent no SETTINGS within \(Self.seconds(configuration.settingsTimeoutNs))s of the handshake"
            return .lose("no SETTINGS from the server within \(Self.seconds(configuration.settingsTimeoutNs))s")
        }
        if let since = zeroStreamsSinceNs, now &- since > limit, isReady {
            stalled = true
            trouble = "allowed 0 concurrent streams for \(seconds)s (SETTINGS_MAX_CONCURRENT_STREAMS 0)"
            return .lose("the server allowed no stream for \(seconds)s")
        }
        var expired = 0
        for tag in sentAtNs.indices where sentAtNs[tag] != 0 && now &- sentAtNs[tag] > limit {
            sentAtNs[tag] = 0
            slots[tag]?.timedOut = true
            if let stream = slots[tag]?.stream { streamsToCancel.append(stream) }
            expired += 1
        }
        if expired > 0 && answered == 0 {
            stalled = true
            trouble = "answered none of \(submittedCount) requests within --timeout \(seconds)s"
            return .lose("no answer to any request within \(seconds)s")
        }
        if let pingSentNs {
            if now &- pingSentNs > limit { return .lose("no answer to a PING for \(seconds)s") }
        } else if now &- lastReadNs > configuration.pingAfterNs {
            pingSentNs = now
            return .ping
        }
        return .none
    }

    /// When `tick` next has something to check, for the driver's poll timeout.
    public var nextTickNs: UInt64 { nextDeadlineCheckNs }

    // MARK: ending

    /// We decided to stop (input exhausted, the run stopping, an answer asking for a new connection).
    public mutating func beginClosing() {
        switch phase {
        case .connecting, .ready: phase = .closing
        default: break
        }
    }

    /// The connection is gone (error, EOF, dead, stalled): every request in flight is a transport failure.
    public mutating func lost(reason: String, now: UInt64, wallMs: Int64) {
        stamp(now: now, wallMs: wallMs)
        breakerFailures += 1
        if answered == 0 && trouble == nil { trouble = reason }
        for tag in slots.indices {
            guard let flight = slots[tag].take() else { continue }
            let why = flight.timedOut ? Reason.timeout.rawValue : Reason.connectionLost.rawValue
            transportFailure(flight, reason: why, latencyMs: nil, wallMs: wallMs)
        }
        clear()
    }

    /// The grace period after an interruption ran out: requests in flight are dropped (left out of the report, so
    /// `--resume` sends them again). Returns how many.
    public mutating func abandon() -> Int {
        let dropped = inFlight
        clear()
        return dropped
    }

    /// Closed after draining or closing gracefully.
    public mutating func closed() {
        clear()
    }

    private mutating func clear() {
        slots.removeAll()
        sentAtNs.removeAll()
        freeTags.removeAll()
        streamsToCancel.removeAll()
        inFlight = 0
        phase = .closed
    }

    static func seconds(_ ns: UInt64) -> String {
        ns % 1_000_000_000 == 0 ? String(ns / 1_000_000_000) : String(Double(ns / 1_000_000) / 1000)
    }
}

/// The reason in GOAWAY debug data: APNs sends `{"reason":"Shutdown"}`; other servers send plain text.
func GoAwayReason(debugData: [UInt8]) -> String? {
    guard !debugData.isEmpty else { return nil }
    if let reason = (try? JSONParser.parse(debugData))?.objectValue?["reason"]?.stringValue { return reason }
    let text = String(decoding: debugData.prefix(200), as: UTF8.self)
    return text.isEmpty ? nil : text
}
