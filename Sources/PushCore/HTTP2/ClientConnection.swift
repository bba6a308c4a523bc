#if canImport(Glibc)
import Glibc
#endif

/// Settings every connection of a run shares.
public struct ConnectionSettings: Sendable {
    public var endpoint: Endpoint
    /// The `:authority` / SNI host (the endpoint's host).
    public var authority: String { endpoint.host }
    /// Most requests in flight on one connection (our share of `--concurrency`).
    public var streamCap: Int
    /// A request with no answer after this long is cancelled and treated as a transport failure.
    public var requestTimeoutMs: Int
    /// Give up (fatal) when no connection can be made for this long.
    public var connectTimeoutMs: Int
    public var retryPolicy: RetryPolicy
    /// Tunnel through this HTTP proxy (CONNECT) instead of connecting directly.
    public var proxy: HTTPProxy? = nil
    /// Health check: after this long without a byte from the server, send a PING; if nothing arrives within
    /// `requestTimeoutMs` after it, the connection is dead (its requests are retried on a new one).
    public var pingAfterMs: Int

    public init(endpoint: Endpoint, streamCap: Int, requestTimeoutMs: Int = 30_000, connectTimeoutMs: Int = 10_000,
                retryPolicy: RetryPolicy = RetryPolicy(), pingAfterMs: Int = 60_000) {
        self.endpoint = endpoint
        self.streamCap = streamCap
        self.requestTimeoutMs = requestTimeoutMs
        self.connectTimeoutMs = connectTimeoutMs
        self.retryPolicy = retryPolicy
        self.pingAfterMs = pingAfterMs
    }
}

/// One established TLS + HTTP/2 connection and the poll loop that drives it. Lives on one thread.
///
/// Each loop pass: take work up to the free stream capacity (and the rate limit), let nghttp2 produce frames
/// into one buffer, write it with one TLS write, poll the socket and the waker, read and feed nghttp2
/// (callbacks close streams; `ClientConnection+Outcomes` decides settle or retry), then hand the settled rows
/// to the sink and the retries to the queue in one batch.
final class ClientConnection: HTTP2ClientSessionDelegate {
    enum Ending { case finished, reconnect }

    let id: Int
    private let tls: TLSConnection
    private let session: HTTP2ClientSession
    let settings: ConnectionSettings
    let queue: WorkQueue
    private let sink: RowSink
    let auth: AuthorizationSource
    let control: RunControl
    private let rateLimiter: SharedRateLimiter?
    private let waker: Waker
    let log: EventLog?

    // `@exclusivity(unchecked)`: the connection's state is only ever touched by its own thread, and a dynamic
    // exclusivity check costs ~75 instructions per access on the per-request path (the static checks remain).
    @exclusivity(unchecked) var state: ConnectionState
    /// Requests in flight, by tag (the index nghttp2 hands back with every callback); `freeTags` are reusable.
    @exclusivity(unchecked) var slots: [InFlight?] = []
    /// When each slot's request was sent, 0 once it closed or timed out: the deadline check scans these words
    /// instead of the requests (reading a field of an optional request copied the whole request).
    @exclusivity(unchecked) private var sentAtNs: [UInt64] = []
    @exclusivity(unchecked) private var freeTags: [Int] = []
    /// Rows taken from the queue for this pass, last first (`WorkQueue.take(max:waker:nowNs:reversedInto:)`).
    @exclusivity(unchecked) private var taken: [Delivery] = []
    @exclusivity(unchecked) private var requestHeaders = APNsRequestHeaders()
    /// The `authorization` value this connection sends now, and a number that changes with it: a request keeps the
    /// number, not the String (a retain and a release per request of a string every connection thread shares).
    @exclusivity(unchecked) private(set) var authorization: String?
    @exclusivity(unchecked) private(set) var authorizationEpoch = 0
    @exclusivity(unchecked) var settled: [ReportRow] = []
    /// Payloads of rows settled this pass, given back to `queue.payloadBuffers` with the rows (`answer`).
    @exclusivity(unchecked) var spentPayloads: [[UInt8]] = []
    @exclusivity(unchecked) var retries: [(delivery: Delivery, delayMs: Int)] = []
    @exclusivity(unchecked) var random: SplitMix64
    @exclusivity(unchecked) private var output: [UInt8] = []
    @exclusivity(unchecked) private var outputOffset = 0
    @exclusivity(unchecked) private var readBuffer = [UInt8](repeating: 0, count: 64 * 1024)
    @exclusivity(unchecked) private var nextDeadlineCheck: UInt64 = 0
    @exclusivity(unchecked) private var wakeAtNs: UInt64?
    /// Health check (see `ConnectionSettings.pingAfterMs`).
    @exclusivity(unchecked) private var lastReadNs = Clock.monotonicNanoseconds()
    /// The clocks read when the bytes being handled arrived (or the pass began sending): every stream that closes
    /// in that step is timed and stamped with them, so a chunk of answers costs two clock reads, not two per answer.
    @exclusivity(unchecked) private(set) var stepNs = Clock.monotonicNanoseconds()
    @exclusivity(unchecked) private(set) var stepWallMs = Clock.wallMilliseconds()
    @exclusivity(unchecked) private var pingSentNs: UInt64?

    struct InFlight {
        var stream: Int32 = 0
        var delivery: Delivery
        /// `authorizationEpoch` when it was sent.
        var authorizationEpoch: Int
        var startedNs: UInt64
        var response = APNsResponse()
        var timedOut = false
    }

    init(id: Int, tls: TLSConnection, settings: ConnectionSettings, queue: WorkQueue, sink: RowSink,
         auth: AuthorizationSource, control: RunControl, rateLimiter: SharedRateLimiter?, waker: Waker,
         log: EventLog?) throws(HTTP2Error) {
        self.id = id
        self.tls = tls
        self.settings = settings
        self.queue = queue
        self.sink = sink
        self.auth = auth
        self.control = control
        self.rateLimiter = rateLimiter
        self.waker = waker
        self.log = log
        self.random = SplitMix64(seed: Clock.monotonicNanoseconds() &+ UInt64(id))
        self.session = try HTTP2ClientSession(initialMaxStreams: 1)
        self.state = ConnectionState(streamCap: settings.streamCap)
        super.init()
        session.delegate = self
        state.connected()
    }

    /// Runs until the campaign is done and every stream settled (`.finished`), or the connection is lost or
    /// drained after GOAWAY (`.reconnect`). Requests in flight on a lost connection are retried (or settled
    /// `failed` when their retries are used up).
    func serve() -> Ending {
        while true {
            if control.isStopping {
                state.beginClosing()
                if control.isAbandoning { return abandon() }
            }
            // Answers read in the last pass reach the report before new requests go out: after a kill -9,
            // at most one pass of in-flight requests is unsettled (and resent by --resume).
            deliverSettled()
            let exhausted = submitWork()
            do {
                stampStep()
                try session.send(into: &output)
                try flushOutput()
            } catch {
                return lose(String(describing: error))
            }
            deliverSettled()

            if state.isDrained || (exhausted && state.inFlight == 0 && state.phase == .ready) {
                return closeGracefully(exhausted: exhausted)
            }
            if !session.isAlive { return lose("the server closed the HTTP/2 session") }

            var fds = [
                pollfd(fd: tls.fd, events: Int16(POLLIN) | (outputOffset < output.count ? Int16(POLLOUT) : 0), revents: 0),
                pollfd(fd: waker.readFD, events: Int16(POLLIN), revents: 0),
            ]
            let ready = poll(&fds, 2, pollTimeoutMs())
            if ready < 0 && errno != EINTR { return lose("poll failed: \(String(cString: strerror(errno)))") }
            if fds[1].revents != 0 { waker.drain() }
            if fds[0].revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 {
                if let lost = readAvailable() { return lose(lost) }
            }
            if let dead = checkDeadlines() { return lose(dead) }
        }
    }

    private func pollTimeoutMs() -> Int32 {
        var timeout: Int32 = state.inFlight > 0 ? 100 : 1000
        if let wakeAtNs {
            let now = Clock.monotonicNanoseconds()
            let until = wakeAtNs > now ? Int32(min(UInt64(Int32.max), (wakeAtNs - now) / 1_000_000 + 1)) : 0
            timeout = min(timeout, until)
        }
        return timeout
    }

    // MARK: work in

    /// Submits what the stream limit and the rate allow. Returns true when the campaign has nothing left.
    private func submitWork() -> Bool {
        wakeAtNs = nil
        var free = state.freeSlots
        if free > 0, let rateLimiter {
            let (granted, waitNs) = rateLimiter.acquire(upTo: free)
            if granted < free, waitNs > 0 { wakeAtNs = Clock.monotonicNanoseconds() + waitNs }
            free = granted
        }
        // No room: the socket (an answer) or the rate timer wakes us; no need to be woken for new rows.
        if free == 0 { return state.inFlight == 0 && queue.isExhausted }
        switch queue.take(max: free, waker: waker, reversedInto: &taken) {
        case .exhausted:
            return true
        case .taken(let nextDueNs):
            if let nextDueNs { wakeAtNs = min(wakeAtNs ?? nextDueNs, nextDueNs) }
            if taken.count < free { rateLimiter?.giveBack(free - taken.count) }
            guard !taken.isEmpty else { return false }
            do {
                let current = try auth.authorization()
                if current != authorization {
                    authorization = current
                    authorizationEpoch += 1
                }
            } catch {
                queue.reschedule(taken.reversed().map { ($0, 0) })
                taken.removeAll(keepingCapacity: true)
                control.fail("cannot create the provider token: \(error)")
                queue.abort()
                return false
            }
            let now = Clock.monotonicNanoseconds()
            // In order, each moved out of `taken` (last first): iterating would copy (retain) every string of a row.
            while var delivery = taken.popLast() {
                requestHeaders.update(for: delivery.notification, authority: settings.authority, authorization: authorization)
                let tag = freeTags.popLast() ?? slots.count
                do {
                    let stream = try requestHeaders.submit(delivery.notification, on: session, tag: tag)
                    delivery.attempts += 1
                    if tag == slots.count {
                        slots.append(nil)
                        sentAtNs.append(0)
                    }
                    sentAtNs[tag] = now
                    // Built in its slot (a local first would be copied in, retaining every string of the row).
                    slots[tag] = InFlight(stream: stream, delivery: consume delivery, authorizationEpoch: authorizationEpoch,
                                          startedNs: now)
                    state.submitted()
                } catch {
                    if tag < slots.count { freeTags.append(tag) }
                    queue.reschedule(([delivery] + taken.reversed()).map { ($0, 0) })
                    taken.removeAll(keepingCapacity: true)
                    state.beginClosing()
                    log?("connection \(id): \(error)")
                    return false
                }
            }
            return false
        }
    }

    // MARK: bytes out and in

    private func flushOutput() throws(TLSError) {
        while outputOffset < output.count {
            let offset = outputOffset
            let result = output.withUnsafeBytes { buffer in
                Result { () throws(TLSError) in try tls.write(UnsafeRawBufferPointer(rebasing: buffer[offset...])) }
            }
            let (written, _) = try result.get()
            if written == 0 { return }   // socket full: wait for POLLOUT
            outputOffset += written
        }
        output.removeAll(keepingCapacity: true)
        outputOffset = 0
    }

    /// Reads until the TLS layer has nothing more; returns a reason when the connection is lost.
    private func readAvailable() -> String? {
        while true {
            let result: TLSConnection.ReadResult
            let attempt = readBuffer.withUnsafeMutableBytes { buffer in
                Result { () throws(TLSError) in try tls.read(into: buffer) }
            }
            switch attempt {
            case .success(let value): result = value
            case .failure(let error): return error.description
            }
            switch result {
            case .bytes(let n):
                stampStep()
                lastReadNs = stepNs
                pingSentNs = nil
                let fed = readBuffer.withUnsafeBytes { buffer in
                    Result { () throws(HTTP2Error) in try session.receive(UnsafeRawBufferPointer(rebasing: buffer[..<n])) }
                }
                if case .failure(let error) = fed { return error.description }
            case .wantRead, .wantWrite:
                return nil
            case .closed:
                return "the server closed the connection"
            }
        }
    }

    // MARK: settling

    func deliverSettled() {
        if !retries.isEmpty {
            queue.reschedule(retries)
            retries.removeAll(keepingCapacity: true)
        }
        if !settled.isEmpty {
            sink.settle(settled)
            queue.settled(settled.count)
            settled.removeAll(keepingCapacity: true)
        }
        // The requests are gone by now (their streams closed): each payload is the array's last reference.
        if !spentPayloads.isEmpty { queue.payloadBuffers?.give(&spentPayloads) }
    }

    /// Cancels requests past their deadline and checks the connection's health; returns why it is dead, if it is.
    private func checkDeadlines() -> String? {
        let now = Clock.monotonicNanoseconds()
        guard now >= nextDeadlineCheck else { return nil }
        nextDeadlineCheck = now + 100_000_000
        let limit = UInt64(settings.requestTimeoutMs) * 1_000_000
        var expired: [Int32] = []
        for tag in sentAtNs.indices where sentAtNs[tag] != 0 && now &- sentAtNs[tag] > limit {
            sentAtNs[tag] = 0
            slots[tag]?.timedOut = true
            if let stream = slots[tag]?.stream { expired.append(stream) }
        }
        for stream in expired { session.cancel(stream: stream) }
        if let pingSentNs {
            if now - pingSentNs > limit { return "no answer to a PING for \(settings.requestTimeoutMs / 1000)s" }
        } else if now - lastReadNs > UInt64(settings.pingAfterMs) * 1_000_000 {
            session.ping()
            pingSentNs = now
        }
        return nil
    }

    private func stampStep() {
        stepNs = Clock.monotonicNanoseconds()
        stepWallMs = Clock.wallMilliseconds()
    }

    private func lose(_ why: String) -> Ending {
        log?("connection \(id): lost: \(why)")
        stampStep()
        let lost = slots.compactMap { $0 }
        slots.removeAll()
        sentAtNs.removeAll()
        freeTags.removeAll()
        for flight in lost { transportFailure(flight, reason: Reason.connectionLost.rawValue, latencyMs: nil) }
        state.closed()
        deliverSettled()
        tls.shutdown()
        return .reconnect
    }

    /// The grace period after an interruption ran out: write what settled, drop the rest (never reported, so
    /// `--resume` sends it again) and close.
    private func abandon() -> Ending {
        deliverSettled()
        let dropped = slots.compactMap { $0 }.count
        if dropped > 0 { log?("connection \(id): \(dropped) requests still in flight left out of the report") }
        queue.settled(dropped)
        slots.removeAll()
        sentAtNs.removeAll()
        state.closed()
        tls.shutdown()
        return .finished
    }

    private func closeGracefully(exhausted: Bool) -> Ending {
        session.goAway()
        try? session.send(into: &output)
        try? flushOutput()
        tls.shutdown()
        state.closed()
        deliverSettled()
        if exhausted || control.isStopping {
            log?("connection \(id): closed")
            return .finished
        }
        log?("connection \(id): drained, reconnecting")
        return .reconnect
    }

    // MARK: HTTP2ClientSessionDelegate

    override func http2ResponseHeader(tag: Int, name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) {
        guard tag < slots.count else { return }
        slots[tag]?.response.header(name: name, value: value)
    }

    override func http2ResponseData(tag: Int, bytes: UnsafeBufferPointer<UInt8>) {
        guard tag < slots.count else { return }
        slots[tag]?.response.data(bytes)
    }

    override func http2StreamClosed(tag: Int, errorCode: UInt32, refused wasRefused: Bool) {
        guard tag < slots.count else { return }
        guard let flight = slots[tag].take() else { return }   // moved out, not copied
        sentAtNs[tag] = 0
        freeTags.append(tag)
        // An answer is a stream the server ended normally: one cancelled on its deadline or reset after a partial
        // HEADERS (even with `:status 200`) was not answered.
        let answered = errorCode == 0 && !flight.timedOut && (flight.response.status != nil || flight.response.statusMalformed)
        state.streamClosed(answered: answered)
        let latency = Double(stepNs > flight.startedNs ? stepNs - flight.startedNs : 0) / 1_000_000
        if answered {
            answer(flight, latencyMs: latency)
        } else if wasRefused && !flight.timedOut {
            refused(flight)
        } else {
            transportFailure(flight, reason: flight.timedOut ? Reason.timeout.rawValue : "StreamReset(\(errorCode))",
                             latencyMs: latency)
        }
    }

    override func http2SettingsChanged(maxConcurrentStreams: Int) {
        let before = state.serverMaxStreams
        state.settingsReceived(maxConcurrentStreams: maxConcurrentStreams)
        if before != state.serverMaxStreams {
            log?("connection \(id): server allows \(maxConcurrentStreams) concurrent streams")
        }
    }

    override func http2GoAway(lastStreamID: Int32, errorCode: UInt32, debugData: [UInt8]) {
        state.goAwayReceived(lastStreamID: lastStreamID)
        control.goAwayReceived()
        let reason = GoAwayReason(debugData: debugData)
        log?("connection \(id): GOAWAY (error \(errorCode), last stream \(lastStreamID)\(reason.map { ", reason \($0)" } ?? ""))")
        if let reason, Reason(rawValue: reason).isCredentialFailure {
            control.fail("APNs closed the connection (\(reason)): \(Reason(rawValue: reason).credentialHint)")
            queue.abort()
        }
    }
}

/// The reason in GOAWAY debug data: APNs sends `{"reason":"Shutdown"}`; other servers send plain text.
func GoAwayReason(debugData: [UInt8]) -> String? {
    guard !debugData.isEmpty else { return nil }
    if let reason = (try? JSONParser.parse(debugData))?.objectValue?["reason"]?.stringValue { return reason }
    let text = String(decoding: debugData.prefix(200), as: UTF8.self)
    return text.isEmpty ? nil : text
}
