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
    /// The client certificate presented in the handshake (certificate authentication), named when the server
    /// refuses it.
    public var clientCertificate: CertificateInfo? = nil
    /// `-vv`: each request's headers and each answer, like `curl -v` (nil: not traced).
    public var trace: EventLog? = nil
    /// The run's circuit breaker (nil: none).
    public var circuitBreaker: SharedCircuitBreaker? = nil

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

/// One established TLS + HTTP/2 connection and the poll loop that drives it: a thin driver that does the I/O
/// and applies what `ConnectionStateMachine` decides. Lives on one thread.
///
/// Each loop pass: take work up to the machine's free stream capacity (and the rate limit), let nghttp2 produce
/// frames into one buffer, write it with one TLS write, poll the socket and the waker, read and feed nghttp2
/// (its callbacks become machine events), tick the machine's deadlines, then hand the settled rows to the sink and
/// the retries to the queue in one batch.
final class ClientConnection: HTTP2ClientSessionDelegate {
    enum Ending: Equatable {
        case finished
        /// The connection ended (lost, drained, stalled); the worker opens another.
        case reconnect(ReconnectPolicy.Ending, why: String)
    }

    let id: Int
    private let tls: TLSConnection
    /// Made right after `init`'s first phase: the session is given its delegate (`self`) when it is created.
    private var session: HTTP2ClientSession!
    let settings: ConnectionSettings
    let queue: WorkQueue
    private let sink: RowSink
    let auth: AuthorizationSource
    let control: RunControl
    private let rateLimiter: SharedRateLimiter?
    private let waker: Waker
    let log: EventLog?

    /// Every protocol decision of this connection. nghttp2's callbacks reach it (from inside `receive`/`send`),
    /// so its accesses stay checked.
    private(set) var machine: ConnectionStateMachine
    // `@exclusivity(unchecked)` on the next two: only `submitWork` touches them, never an nghttp2 callback (a submit
    // queues a request without calling back; bodies are read later, from the session's own table), so no access
    // can overlap another; the profile showed their dynamic checks on every request.
    /// Rows taken from the queue for this pass, last first (`WorkQueue.take(max:waker:nowNs:reversedInto:)`).
    @exclusivity(unchecked) private var taken: [Delivery] = []
    @exclusivity(unchecked) private var requestHeaders = APNsRequestHeaders()
    private var output: [UInt8] = []
    private var outputOffset = 0
    /// The `authorization` value this connection sends now (the machine numbers its changes).
    private var authorization: String?
    private var readBuffer = [UInt8](repeating: 0, count: 64 * 1024)
    private var wakeAtNs: UInt64?
    /// Set by an action applied inside a callback: the connection is to be lost at the next check.
    private var pendingLoss: String?
    /// The run was told that this connection answered a request.
    private var reportedAnswer = false

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
        let now = Clock.monotonicNanoseconds()
        self.machine = ConnectionStateMachine(configuration: .init(
            streamCap: settings.streamCap, requestTimeoutNs: UInt64(settings.requestTimeoutMs) * 1_000_000,
            settingsTimeoutNs: UInt64(settings.connectTimeoutMs) * 1_000_000,
            pingAfterNs: UInt64(settings.pingAfterMs) * 1_000_000, retryPolicy: settings.retryPolicy,
            recyclesPayloads: queue.payloadBuffers != nil), now: now, seed: now &+ UInt64(id))
        super.init()
        self.session = try HTTP2ClientSession(delegate: self, initialMaxStreams: 1)
    }

    /// Runs until the campaign is done and every stream settled (`.finished`), or the connection is lost or
    /// drained after GOAWAY (`.reconnect`). Requests in flight on a lost connection are retried (or settled
    /// `failed` when their retries are used up).
    func serve() -> Ending {
        var pollSet = PollSet(capacity: 2)
        while true {
            if control.isStopping {
                machine.beginClosing()
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
                return lose("\(error)")
            }
            deliverSettled()
            if let pendingLoss { return lose(pendingLoss) }

            if machine.isDrained || (exhausted && machine.inFlight == 0) {
                return closeGracefully(exhausted: exhausted)
            }
            if !session.isAlive { return lose(session.endedReason) }

            pollSet.removeAll()
            pollSet.add(tls.fd, outputOffset < output.count ? [.readable, .writable] : .readable)
            pollSet.add(waker.readFD, .readable)
            pollSet.wait(timeoutMs: pollTimeoutMs())
            if !pollSet.events(at: 1).isEmpty { waker.drain() }
            if !pollSet.events(at: 0).intersection([.readable, .failed]).isEmpty {
                if let lost = readAvailable() { return lose(lost) }
            }
            if let pendingLoss { return lose(pendingLoss) }
            let now = Clock.monotonicNanoseconds()
            switch machine.tick(now: now) {
            case .lose(let why): return lose(why)
            case let action: apply(action)
            }
            if !machine.streamsToCancel.isEmpty {
                for stream in machine.streamsToCancel { session.cancel(stream: stream) }
                machine.streamsToCancel.removeAll(keepingCapacity: true)
            }
        }
    }

    private func pollTimeoutMs() -> Int32 {
        var timeout: Int32 = machine.inFlight > 0 || !machine.isReady ? 100 : 1000
        if let wakeAtNs {
            let now = Clock.monotonicNanoseconds()
            let until = wakeAtNs > now ? Int32(min(UInt64(Int32.max), (wakeAtNs - now) / 1_000_000 + 1)) : 0
            timeout = min(timeout, until)
        }
        return timeout
    }

    /// Does what the machine asked for. May run inside an nghttp2 callback: losing the connection waits for the loop.
    private func apply(_ action: ConnectionStateMachine.Action) {
        switch action {
        case .none:
            return
        case .log(let message):
            log?("connection \(id): \(message)")
        case .ping:
            session.ping()
        case .lose(let why):
            pendingLoss = pendingLoss ?? why
        case .stopRun(let message):
            control.fail(message)
            queue.abort()
        case .checkExpiredToken(let acceptedBefore):
            let (verdict, warning) = authorization.map { auth.rejectedAsExpired($0, acceptedBefore: acceptedBefore) }
                ?? (.retry, nil)
            if let warning { control.warn(warning) }
            apply(machine.expiredTokenVerdict(verdict))
        case .tokenAccepted:
            if let authorization { auth.accepted(authorization) }
        }
    }

    // MARK: work in

    /// Submits what the stream limit and the rate allow. Returns true when the campaign has nothing left.
    private func submitWork() -> Bool {
        wakeAtNs = nil
        var free = machine.freeSlots(connectionWindow: session.remoteWindowSize)
        // Rows the breaker granted while it holds rows back (probes): what is not sent goes back to it.
        var probesGranted = 0
        defer { if probesGranted > 0 { settings.circuitBreaker?.giveBack(probesGranted) } }
        if let breaker = settings.circuitBreaker {
            let (granted, tripped) = breaker.pass(successes: machine.breakerSuccesses, failures: machine.breakerFailures,
                                                  wanted: free, now: Clock.monotonicNanoseconds())
            machine.breakerSuccesses = 0
            machine.breakerFailures = 0
            machine.holdsAttempts = tripped
            free = granted
            if tripped { probesGranted = granted }
        }
        if free > 0, let rateLimiter {
            let (granted, waitNs) = rateLimiter.acquire(upTo: free)
            if granted < free, waitNs > 0 { wakeAtNs = Clock.monotonicNanoseconds() + waitNs }
            free = granted
        }
        // No room: the socket (an answer) or the rate timer wakes us; no need to be woken for new rows.
        if free == 0 { return machine.inFlight == 0 && queue.isExhausted }
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
                    machine.authorizationChanged()
                }
            } catch {
                queue.reschedule(taken.reversed().map { ($0, 0) })
                taken.removeAll(keepingCapacity: true)
                control.fail("cannot create the provider token: \(error)")
                queue.abort()
                return false
            }
            let now = Clock.monotonicNanoseconds()
            let session: HTTP2ClientSession = self.session
            // In order, each moved out of `taken` (last first): iterating would copy (retain) every string of a row.
            stampSendTimes()
            while let delivery = taken.popLast() {
                requestHeaders.update(for: delivery.notification, authority: settings.authority, authorization: authorization)
                let tag = machine.reserveTag()
                do {
                    let stream = try requestHeaders.submit(delivery.notification, on: session, tag: tag)
                    if let trace = settings.trace {
                        trace("connection \(id): stream \(stream): request (\(delivery.notification.payload.count) bytes)\n"
                            + requestHeaders.trace)
                    }
                    machine.submitted(delivery, stream: stream, tag: tag, now: now)
                    if probesGranted > 0 { probesGranted -= 1 }
                } catch {
                    machine.releaseTag(tag)
                    queue.reschedule(([delivery] + taken.reversed()).map { ($0, 0) })
                    taken.removeAll(keepingCapacity: true)
                    machine.beginClosing()
                    log?("connection \(id): apnsctl could not submit a request: \(error)")
                    return false
                }
            }
            return false
        }
    }

    /// Sets the send-time values (`{{$now}}` digits, `--expiration 1h`) of the rows about to be submitted to the time
    /// of this attempt, in place in `taken`: a retried row gets the time of its retry. The clock is read once per
    /// batch, and only when a row has such values.
    private func stampSendTimes() {
        var wallSeconds: Int64?
        for index in taken.indices {
            guard let sendTime = taken[index].notification.sendTime else { continue }
            let now = wallSeconds ?? Clock.wallSeconds()
            wallSeconds = now
            sendTime.apply(to: &taken[index].notification, nowSeconds: now)
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
            case .failure(let error):
                if error.kind == .peerRefusedCertificate {
                    refusedCertificate(error)
                }
                return error.description
            }
            switch result {
            case .bytes(let n):
                machine.bytesReceived(now: Clock.monotonicNanoseconds(), wallMs: Clock.wallMilliseconds())
                let fed = readBuffer.withUnsafeBytes { buffer in
                    Result { () throws(HTTP2Error) in try session.receive(UnsafeRawBufferPointer(rebasing: buffer[..<n])) }
                }
                if case .failure(let error) = fed { return error.description }
                if !reportedAnswer && machine.answered > 0 {
                    reportedAnswer = true
                    control.requestAnswered()
                }
            case .wantRead, .wantWrite:
                return nil
            case .closed:
                return machine.answered == 0 ? "the server closed the connection before answering anything"
                    : "the server closed the connection"
            }
        }
    }

    /// The server refused our client certificate with a TLS alert after the handshake (TLS 1.3 checks it then):
    /// retrying cannot help.
    private func refusedCertificate(_ error: TLSError) {
        control.fail(ClientCertificateRefusal.message(error.description, certificate: settings.clientCertificate,
                                                       now: Clock.wallSeconds()))
        queue.abort()
    }

    // MARK: settling

    func deliverSettled() {
        if !machine.retries.isEmpty {
            queue.reschedule(machine.retries)
            machine.retries.removeAll(keepingCapacity: true)
        }
        if !machine.settled.isEmpty {
            sink.settle(machine.settled)
            queue.settled(machine.settled.count)
            machine.settled.removeAll(keepingCapacity: true)
        }
        // The requests are gone by now (their streams closed): each payload is the array's last reference.
        if !machine.spentPayloads.isEmpty { queue.payloadBuffers?.give(&machine.spentPayloads) }
    }

    private func stampStep() {
        machine.stamp(now: Clock.monotonicNanoseconds(), wallMs: Clock.wallMilliseconds())
    }

    private func lose(_ why: String) -> Ending {
        log?("connection \(id): lost: \(why)")
        let now = Clock.monotonicNanoseconds()
        machine.lost(reason: why, now: now, wallMs: Clock.wallMilliseconds())
        deliverSettled()
        tls.shutdown()
        return .reconnect(machine.ending(now: now), why: machine.trouble ?? why)
    }

    /// The grace period after an interruption ran out: write what settled, drop the rest (never reported, so
    /// `--resume` sends it again) and close.
    private func abandon() -> Ending {
        deliverSettled()
        let dropped = machine.abandon()
        if dropped > 0 { log?("connection \(id): \(dropped) requests still in flight left out of the report") }
        queue.settled(dropped)
        tls.shutdown()
        return .finished
    }

    private func closeGracefully(exhausted: Bool) -> Ending {
        session.goAway()
        _ = try? session.send(into: &output)
        try? flushOutput()
        tls.shutdown()
        let now = Clock.monotonicNanoseconds()
        let ending = machine.ending(now: now)
        let why = machine.trouble ?? "drained"
        machine.closed()
        deliverSettled()
        if exhausted || control.isStopping {
            log?("connection \(id): closed")
            return .finished
        }
        log?("connection \(id): drained, reconnecting")
        return .reconnect(ending, why: why)
    }

    // MARK: HTTP2ClientSessionDelegate: nghttp2's callbacks become machine events

    override func http2ResponseHeader(tag: Int, name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) {
        machine.header(tag: tag, name: name, value: value)
    }

    override func http2ResponseData(tag: Int, bytes: UnsafeBufferPointer<UInt8>) {
        machine.data(tag: tag, bytes: bytes)
    }

    override func http2StreamClosed(tag: Int, errorCode: UInt32, refused wasRefused: Bool) {
        if let trace = settings.trace, let text = machine.answerTrace(tag: tag, errorCode: errorCode) {
            trace("connection \(id): \(text)")
        }
        let action = machine.streamClosed(tag: tag, errorCode: errorCode, refused: wasRefused)
        if action != .none { apply(action) }
    }

    override func http2SettingsChanged(maxConcurrentStreams: Int) {
        apply(machine.settingsReceived(maxConcurrentStreams: maxConcurrentStreams, now: Clock.monotonicNanoseconds()))
    }

    override func http2GoAway(lastStreamID: Int32, errorCode: UInt32, debugData: [UInt8]) {
        control.goAwayReceived()
        let reason = GoAwayReason(debugData: debugData)
        log?("connection \(id): GOAWAY (error \(errorCode), last stream \(lastStreamID)\(reason.map { ", reason \($0)" } ?? ""))")
        apply(machine.goAwayReceived(lastStreamID: lastStreamID, errorCode: errorCode, debugData: debugData))
    }
}
