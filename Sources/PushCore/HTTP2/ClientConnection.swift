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
    /// A request with no answer after this long is settled `failed` (reason Timeout) and cancelled.
    public var requestTimeoutMs: Int
    /// Give up (fatal) when no connection can be made for this long.
    public var connectTimeoutMs: Int
    /// Tunnel through this HTTP proxy (CONNECT) instead of connecting directly.
    public var proxy: HTTPProxy? = nil

    public init(endpoint: Endpoint, streamCap: Int, requestTimeoutMs: Int = 30_000, connectTimeoutMs: Int = 10_000) {
        self.endpoint = endpoint
        self.streamCap = streamCap
        self.requestTimeoutMs = requestTimeoutMs
        self.connectTimeoutMs = connectTimeoutMs
    }
}

/// One established TLS + HTTP/2 connection and the poll loop that drives it. Lives on one thread.
///
/// Each loop pass: take work up to the free stream capacity, let nghttp2 produce frames into one buffer,
/// write it with one TLS write, poll the socket and the waker, read and feed nghttp2 (callbacks settle
/// streams), hand the settled rows to the sink in one batch.
final class ClientConnection: HTTP2ClientSessionDelegate {
    enum Ending { case finished, reconnect }

    private let id: Int
    private let tls: TLSConnection
    private let session: HTTP2ClientSession
    private let settings: ConnectionSettings
    private let queue: WorkQueue
    private let sink: RowSink
    private let auth: AuthorizationSource
    private let control: RunControl
    private let waker: Waker
    private let log: EventLog?

    private var state: ConnectionState
    private var streams: [Int32: InFlight] = [:]
    private var settled: [ReportRow] = []
    private var refused: [PushNotification] = []
    private var output: [UInt8] = []
    private var outputOffset = 0
    private var readBuffer = [UInt8](repeating: 0, count: 64 * 1024)
    private var inputExhausted = false
    private var connectionError: String?
    private var nextDeadlineCheck: UInt64 = 0

    private struct InFlight {
        var notification: PushNotification
        var startedNs: UInt64
        var response = APNsResponse()
        var timedOut = false
    }

    init(id: Int, tls: TLSConnection, settings: ConnectionSettings, queue: WorkQueue, sink: RowSink,
         auth: AuthorizationSource, control: RunControl, waker: Waker, log: EventLog?) throws(HTTP2Error) {
        self.id = id
        self.tls = tls
        self.settings = settings
        self.queue = queue
        self.sink = sink
        self.auth = auth
        self.control = control
        self.waker = waker
        self.log = log
        self.session = try HTTP2ClientSession(initialMaxStreams: 1)
        self.state = ConnectionState(streamCap: settings.streamCap)
        session.delegate = self
        state.connected()
    }

    /// Runs until the input is exhausted and every stream settled (`.finished`), or the connection is
    /// lost or drained after GOAWAY (`.reconnect`). Streams in flight on a lost connection are settled `failed`.
    func serve() -> Ending {
        while true {
            if control.isStopping { state.beginClosing() }
            submitWork()
            do {
                try session.send(into: &output)
                try flushOutput()
            } catch {
                return lose(String(describing: error))
            }
            deliverSettled()

            if state.isDrained || (inputExhausted && state.inFlight == 0 && state.phase == .ready) {
                return closeGracefully()
            }
            if !session.isAlive { return lose("the server closed the HTTP/2 session") }

            var fds = [
                pollfd(fd: tls.fd, events: Int16(POLLIN) | (outputOffset < output.count ? Int16(POLLOUT) : 0), revents: 0),
                pollfd(fd: waker.readFD, events: Int16(POLLIN), revents: 0),
            ]
            let timeout: Int32 = state.inFlight > 0 ? 100 : 1000
            let ready = poll(&fds, 2, timeout)
            if ready < 0 && errno != EINTR { return lose("poll failed: \(String(cString: strerror(errno)))") }
            if fds[1].revents != 0 { waker.drain() }
            if fds[0].revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 {
                if let lost = readAvailable() { return lose(lost) }
            }
            checkDeadlines()
        }
    }

    // MARK: work in

    private func submitWork() {
        let free = state.freeSlots
        guard free > 0, !inputExhausted else { return }
        switch queue.take(max: free, waker: waker) {
        case .exhausted:
            inputExhausted = true
        case .items(let items):
            guard !items.isEmpty else { return }
            let authorization: String?
            do {
                authorization = try auth.authorization()
            } catch {
                queue.requeue(items)
                control.fail("cannot create the provider token: \(error)")
                queue.abort()
                return
            }
            let now = Clock.monotonicNanoseconds()
            for (index, notification) in items.enumerated() {
                let headers = APNsRequest.headers(for: notification, authority: settings.authority, authorization: authorization)
                do {
                    let stream = try session.submitRequest(headers: headers, body: notification.payload)
                    streams[stream] = InFlight(notification: notification, startedNs: now)
                    state.submitted()
                } catch {
                    queue.requeue(Array(items[index...]))
                    connectionError = String(describing: error)
                    return
                }
            }
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

    private func deliverSettled() {
        if !refused.isEmpty {
            queue.requeue(refused)
            refused.removeAll()
        }
        if !settled.isEmpty {
            sink.settle(settled)
            settled.removeAll(keepingCapacity: true)
        }
    }

    private func checkDeadlines() {
        let now = Clock.monotonicNanoseconds()
        guard now >= nextDeadlineCheck else { return }
        nextDeadlineCheck = now + 100_000_000
        let limit = UInt64(settings.requestTimeoutMs) * 1_000_000
        for (stream, flight) in streams where !flight.timedOut && now - flight.startedNs > limit {
            streams[stream]?.timedOut = true
            session.cancel(stream: stream)
        }
    }

    private func lose(_ why: String) -> Ending {
        log?("connection \(id): lost: \(why)")
        let finished = Clock.wallMilliseconds()
        for (_, flight) in streams {
            settled.append(ReportRow(line: flight.notification.line, token: flight.notification.token, outcome: .failed,
                                     reason: Reason.connectionLost.rawValue, apnsID: flight.notification.apnsID,
                                     attempts: 1, finishedAtMs: finished))
        }
        streams.removeAll()
        state.closed()
        deliverSettled()
        tls.shutdown()
        return .reconnect
    }

    private func closeGracefully() -> Ending {
        session.goAway()
        try? session.send(into: &output)
        try? flushOutput()
        tls.shutdown()
        state.closed()
        deliverSettled()
        if inputExhausted || control.isStopping {
            log?("connection \(id): closed")
            return .finished
        }
        log?("connection \(id): drained after GOAWAY, reconnecting")
        return .reconnect
    }

    // MARK: HTTP2ClientSessionDelegate

    func http2ResponseHeader(stream: Int32, name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) {
        streams[stream]?.response.header(name: name, value: value)
    }

    func http2ResponseData(stream: Int32, bytes: UnsafeBufferPointer<UInt8>) {
        streams[stream]?.response.data(bytes)
    }

    func http2StreamClosed(stream: Int32, errorCode: UInt32, refused wasRefused: Bool) {
        guard let flight = streams.removeValue(forKey: stream) else { return }
        let answered = flight.response.status != nil
        state.streamClosed(answered: answered)
        let now = Clock.monotonicNanoseconds()
        let latency = Double(now - flight.startedNs) / 1_000_000
        let finished = Clock.wallMilliseconds()
        if answered {
            let row = flight.response.reportRow(for: flight.notification, attempts: 1, latencyMs: latency, finishedAtMs: finished)
            settled.append(row)
            if let reason = row.reason.map(Reason.init(rawValue:)), reason.isCredentialFailure {
                control.fail("APNs refused the credentials (\(reason.rawValue)): \(reason.credentialHint)")
                queue.abort()
            }
        } else if wasRefused && !flight.timedOut {
            refused.append(flight.notification)   // never processed by the server: send again elsewhere
        } else {
            let reason = flight.timedOut ? Reason.timeout.rawValue : "StreamReset(\(errorCode))"
            settled.append(ReportRow(line: flight.notification.line, token: flight.notification.token, outcome: .failed,
                                     reason: reason, apnsID: flight.notification.apnsID, attempts: 1,
                                     latencyMs: latency, finishedAtMs: finished))
        }
    }

    func http2SettingsChanged(maxConcurrentStreams: Int) {
        let before = state.serverMaxStreams
        state.settingsReceived(maxConcurrentStreams: maxConcurrentStreams)
        if before != state.serverMaxStreams {
            log?("connection \(id): server allows \(maxConcurrentStreams) concurrent streams")
        }
    }

    func http2GoAway(lastStreamID: Int32, errorCode: UInt32, debugData: [UInt8]) {
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
