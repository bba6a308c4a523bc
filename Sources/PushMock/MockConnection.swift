import Foundation
import PushCore
import Synchronization

/// Request and connection totals of a server, readable from any thread.
final class MockCounters: Sendable {
    let requests = Atomic<Int>(0)
    let accepted = Atomic<Int>(0)
    let rejected = Atomic<Int>(0)
    let connections = Atomic<Int>(0)
}

/// What every connection of one server shares. Server thread only.
final class MockEngine {
    let validator: RequestValidator
    let maxStreams: Int
    let tokenAuth: Bool
    let log: RequestLogWriter?
    let counters: MockCounters
    let quiet: Bool
    var ids = MockIDGenerator()
    /// Reused for every response.
    var responseHeaders: [HTTP2HeaderField] = []

    init(configuration: MockConfiguration, log: RequestLogWriter?, counters: MockCounters) {
        validator = RequestValidator(configuration: configuration)
        maxStreams = configuration.maxStreams
        tokenAuth = configuration.requireProviderToken
        self.log = log
        self.counters = counters
        quiet = configuration.quiet
        responseHeaders.reserveCapacity(4)
    }

    static func nowMs() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }

    func note(_ message: @autoclosure () -> String) {
        if !quiet { MockServer.note(message()) }
    }
}

/// One client connection: TLS handshake, then an HTTP/2 session whose requests are answered as they complete.
/// Server thread only.
final class MockConnection: HTTP2ServerSessionDelegate {
    enum State { case handshaking, open, closed }

    let id: Int
    let fd: Int32
    private let tls: TLSConnection
    private unowned let engine: MockEngine
    private var session: HTTP2ServerSession?
    private(set) var state = State.handshaking
    /// Poll for writability: output is waiting for room in the socket (or the handshake wants to write).
    private(set) var wantsWritable = false
    private var policy: StreamLimitPolicy

    /// Frames produced but not yet written, from `outputOffset` on.
    private var output: [UInt8] = []
    private var outputOffset = 0

    /// The request whose frames arrive now (clients usually send HEADERS then DATA of one stream back to back),
    /// kept out of the dictionary so the common case needs no hashing. `currentStream` 0: none.
    private var current = MockRequest(method: "", path: "")
    private var currentStream: Int32 = 0
    /// Other requests in progress by stream id, and cleared ones kept for reuse.
    private var requests: [Int32: MockRequest] = [:]
    private var spare: [MockRequest] = []

    init(id: Int, fd: Int32, tls: TLSConnection, engine: MockEngine) {
        self.id = id
        self.fd = fd
        self.tls = tls
        self.engine = engine
        self.policy = StreamLimitPolicy(maxStreams: engine.maxStreams, tokenAuth: engine.tokenAuth)
        output.reserveCapacity(1 << 16)
    }

    // MARK: Events from the loop

    /// Handles readiness of the socket. `scratch` is the loop's read buffer.
    func handle(_ events: PollEvents, scratch: UnsafeMutableRawBufferPointer) {
        if !events.isDisjoint(with: .failed) && !events.contains(.readable) {
            close()
            return
        }
        do {
            if state == .handshaking {
                switch try tls.handshake() {
                case .wantRead: wantsWritable = false; return
                case .wantWrite: wantsWritable = true; return
                case .done:
                    guard tls.alpnProtocol == "h2" else {
                        engine.note("connection \(id): the client did not negotiate HTTP/2 (ALPN h2); closing")
                        close()
                        return
                    }
                    session = try HTTP2ServerSession(delegate: self, maxConcurrentStreams: UInt32(policy.current))
                    state = .open
                }
            }
            guard state == .open, let session else { return }
            var peerClosed = false
            reading: while true {
                switch try tls.read(into: scratch) {
                case .bytes(let n): try session.receive(UnsafeRawBufferPointer(rebasing: scratch[0..<n]))
                case .wantRead, .wantWrite: break reading
                case .closed: peerClosed = true; break reading
                }
            }
            try flush()
            if peerClosed || (!session.isActive && outputOffset == output.count) { close() }
        } catch {
            if state == .handshaking {
                engine.note("connection \(id): \(error)")
            } else if !(error is TLSError) {
                engine.note("connection \(id): \(error); closing")
            }
            // Best effort: a protocol error leaves a GOAWAY queued in the session.
            try? flush()
            close()
        }
    }

    /// Writes pending frames until done or the socket is full.
    private func flush() throws {
        guard let session else { return }
        while true {
            if outputOffset == output.count {
                output.removeAll(keepingCapacity: true)
                outputOffset = 0
                if try session.appendOutput(to: &output) == 0 { break }
            }
            let result: Result<(written: Int, wantRead: Bool), any Error> = output.withUnsafeBytes { bytes in
                do {
                    return .success(try tls.write(UnsafeRawBufferPointer(rebasing: bytes[outputOffset...])))
                } catch {
                    return .failure(error)
                }
            }
            let written = try result.get().written
            if written == 0 {
                wantsWritable = true
                return
            }
            outputOffset += written
        }
        wantsWritable = false
    }

    /// Sends GOAWAY with `{"reason":"Shutdown"}` and whatever is queued, waiting at most `timeoutMs` for room.
    func shutDown(timeoutMs: Int32) {
        guard state != .closed else { return }
        if state == .open, let session {
            try? session.submitGoAway(debugData: MockResponseEncoding.errorBody(reason: .shutdown, timestampMs: nil))
            var poller = PollSet(capacity: 1)
            let deadline = MockEngine.nowMs() + Int64(timeoutMs)
            while (try? flush()) != nil, wantsWritable {
                let left = deadline - MockEngine.nowMs()
                if left <= 0 { break }
                poller.removeAll()
                poller.add(fd, .writable)
                poller.wait(timeoutMs: Int32(left))
            }
            tls.shutdown()
        }
        close()
    }

    func close() {
        guard state != .closed else { return }
        state = .closed
        session = nil
        Socket.close(fd)
    }

    // MARK: HTTP2ServerSessionDelegate

    func http2RequestBegan(stream: Int32) {
        if currentStream != 0 {
            requests[currentStream] = current   // interleaved streams: park the previous one
            current = spare.popLast() ?? MockRequest(method: "", path: "")
        }
        current.reset()
        currentStream = stream
    }

    func http2RequestHeader(stream: Int32, name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) {
        if stream == currentStream {
            Self.add(name: name, value: value, to: &current)
        } else if var request = requests.removeValue(forKey: stream) {
            Self.add(name: name, value: value, to: &request)
            requests[stream] = request
        }
    }

    private static func add(name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, to request: inout MockRequest) {
        let text = String(decoding: value, as: UTF8.self)
        if name.first == UInt8(ascii: ":") {
            // ":method" and ":path" (nghttp2 has checked pseudo-headers; others are ignored).
            if name.count == 7 && name[1] == UInt8(ascii: "m") {
                request.method = text
            } else if name.count == 5 && name[1] == UInt8(ascii: "p") {
                request.path = text
            }
        } else {
            request.headers.append((name: String(decoding: name, as: UTF8.self), value: text))
        }
    }

    func http2RequestData(stream: Int32, bytes: UnsafeRawBufferPointer) {
        if stream == currentStream {
            current.appendBody(bytes)
        } else {
            requests[stream]?.appendBody(bytes)
        }
    }

    func http2RequestEnded(stream: Int32) {
        if stream == currentStream {
            currentStream = 0
            respond(to: current, stream: stream)
        } else if var request = requests.removeValue(forKey: stream) {
            respond(to: request, stream: stream)
            recycle(&request)
        }
    }

    private func respond(to request: MockRequest, stream: Int32) {
        guard let session else { return }
        let decision = engine.validator.decide(request, nowMs: MockEngine.nowMs, newID: { engine.ids.next() })
        MockResponseEncoding.headers(for: decision, into: &engine.responseHeaders)
        do {
            try session.submitResponse(stream: stream, status: decision.status, headers: engine.responseHeaders,
                                       body: MockResponseEncoding.body(for: decision))
            if let limit = policy.record(status: decision.status) {
                try session.setMaxConcurrentStreams(UInt32(clamping: limit))
            }
        } catch {
            engine.note("connection \(id): \(error)")
        }
        let counters = engine.counters
        counters.requests.add(1, ordering: .relaxed)
        if decision.isAccepted {
            counters.accepted.add(1, ordering: .relaxed)
        } else {
            counters.rejected.add(1, ordering: .relaxed)
        }
        engine.log?.append(timeMs: MockEngine.nowMs(), connection: id, stream: stream, request: request,
                           decision: decision)
    }

    func http2StreamClosed(stream: Int32, errorCode: UInt32) {
        // A stream reset before its request ended never reached http2RequestEnded.
        if stream == currentStream {
            currentStream = 0
        } else if var request = requests.removeValue(forKey: stream) {
            recycle(&request)
        }
    }

    private func recycle(_ request: inout MockRequest) {
        guard spare.count < 64 else { return }
        request.reset()
        spare.append(request)
    }
}
