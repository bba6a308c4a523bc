import Foundation
import PushCore

/// One client connection: TLS handshake, then an HTTP/2 session whose requests are answered as they complete
/// (at once, or when `--latency` has passed). Server thread only.
///
/// ```
///  [handshaking] --h2--> [open] --session done (GOAWAY sent or received, no streams left)--> [lingering] --> [closed]
///                          │ --drop, mode close (answer written)--> TCP FIN, no close_notify -----------> [lingering]
///                          │ --drop, mode reset (answer written)--> TCP RST ----------------------------> [closed]
///                          └ --peer closed / error -------------------------------------------------------> [closed]
/// ```
/// Broken on purpose (`ConnectionOpening`): `[mute]` reads and discards (raw bytes when the handshake never ran,
/// TLS records after it) and sends nothing until the client closes; `[stalled]` is never read again (only a
/// socket error closes it before the server stops).
///
/// Lingering: after TLS close_notify and a TCP FIN, the connection reads and discards until the client closes
/// too (or `lingerMs` passes), so that late client frames never turn the close into a reset.
final class MockConnection: HTTP2ServerSessionDelegate {
    enum State { case handshaking, open, mute, stalled, lingering, closed }

    /// How long a finished connection waits for the client to close before closing anyway.
    static let lingerMs: Int64 = 1000

    let id: Int
    /// The push port, or the channel-management port (which never misbehaves on purpose).
    let port: MockPort
    let fd: Int32
    let tls: TLSConnection
    unowned let engine: MockEngine
    var session: HTTP2ServerSession?
    private(set) var state = State.handshaking
    /// Poll for writability: output is waiting for room in the socket (or the handshake wants to write).
    private(set) var wantsWritable = false
    var policy: StreamLimitPolicy
    var ending: ConnectionEnding
    /// When lingering: the monotonic time to give up waiting for the client.
    private(set) var lingerDeadline: Int64 = .max
    /// The answer that ends the connection (`--drop-after`) has been submitted: reset once it is written.
    var dropPending = false
    /// Streams taken on whose answer is delayed (or never comes: `--silent`); a stream the client resets leaves.
    var awaiting: Set<Int32> = []
    /// Set when a delayed answer was submitted; the loop then flushes once.
    var needsService = false
    /// How far out of order this connection's answers went (`--stats`).
    var answerOrder = AnswerOrder()
    /// In `.mute`: no TLS session ran, so input is discarded as raw bytes.
    private var muteRaw = false

    /// Frames produced but not yet written, from `outputOffset` on.
    private var output: [UInt8] = []
    private var outputOffset = 0

    /// The request whose frames arrive now (clients usually send HEADERS then DATA of one stream back to back),
    /// kept out of the dictionary so the common case needs no hashing. `currentStream` 0: none.
    var current = MockRequest(method: "", path: "")
    var currentStream: Int32 = 0
    /// Other requests in progress by stream id, and cleared ones kept for reuse.
    var requests: [Int32: MockRequest] = [:]
    var spare: [MockRequest] = []

    init(id: Int, fd: Int32, tls: TLSConnection, engine: MockEngine, port: MockPort = .push) {
        self.id = id
        self.port = port
        self.fd = fd
        self.tls = tls
        self.engine = engine
        self.policy = StreamLimitPolicy(maxStreams: engine.maxStreams, tokenAuth: engine.tokenAuth,
                                        dropOnRejection: engine.dropStreamsOnRejection)
        self.ending = port == .push ? ConnectionEnding(goAway: engine.goAwayTriggers, drop: engine.dropTriggers)
            : ConnectionEnding(goAway: [], drop: [])
        output.reserveCapacity(1 << 16)
        if opening.onAccept == .discardRawInput {
            state = .mute
            muteRaw = true
        }
    }

    /// How the connection opens: as `--close-on-connect` and the like say on the push port, served on the other.
    private var opening: ConnectionOpening { port == .push ? engine.opening : .serve }

    /// What to poll the socket for: nothing but errors when stalled, room to write when output waits.
    var pollEvents: PollEvents {
        if state == .stalled { return [] }
        return wantsWritable ? [.readable, .writable] : .readable
    }

    // MARK: Events from the loop

    /// Handles readiness of the socket. `scratch` is the loop's read buffer.
    func handle(_ events: PollEvents, scratch: UnsafeMutableRawBufferPointer) {
        if !events.isDisjoint(with: .failed) && !events.contains(.readable) {
            close()
            return
        }
        switch state {
        case .lingering, .mute:
            discardInput(scratch: scratch)
            return
        case .stalled, .closed:
            return
        case .handshaking, .open:
            break
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
                    engine.statistics.update { $0.handshakes += 1 }
                    if try !open(scratch: scratch) { return }
                }
            }
            guard state == .open, let session else { return }
            var peerClosed = false
            reading: while true {
                switch try tls.read(into: scratch) {
                case .bytes(let n):
                    try session.receive(UnsafeRawBufferPointer(rebasing: scratch[0..<n]))
                    if state != .open { return }
                case .wantRead, .wantWrite: break reading
                case .closed: peerClosed = true; break reading
                }
            }
            if peerClosed {
                try? flush()
                close()
                return
            }
            try service()
        } catch {
            if state == .handshaking {
                let refusal = tls.refusedPeerCertificateReason
                engine.statistics.update { stats in
                    stats.tlsFailures += 1
                    if refusal != nil { stats.clientCertificatesRefused += 1 }
                }
                if let refusal {
                    engine.note("connection \(id): refused the client's certificate: \(refusal)")
                } else {
                    engine.note("connection \(id): \(error)")
                }
            } else if !(error is TLSError) {
                engine.note("connection \(id): \(error); closing")
            }
            // Best effort: a protocol error leaves a GOAWAY queued in the session.
            try? flush()
            close()
        }
    }

    /// Right after the handshake: serve, or misbehave as `ConnectionOpening` says. False when the connection is
    /// done for this pass (closed, mute or stalled).
    private func open(scratch: UnsafeMutableRawBufferPointer) throws -> Bool {
        let step = opening.onHandshake ?? .serve
        switch step {
        case .close:
            beginLingering()
            return false
        case .discardInput:
            state = .mute
            discardInput(scratch: scratch)
            return false
        case .serve, .serveThenGoAway, .sendSettingsThenStopReading:
            break
        }
        let session = try HTTP2ServerSession(delegate: self, maxConcurrentStreams: UInt32(policy.current))
        self.session = session
        state = .open
        if step == .serveThenGoAway {
            // Before any request: last-stream-id 0, nothing will be processed.
            try session.submitGoAway(lastStreamID: 0,
                                     debugData: MockResponseEncoding.errorBody(reason: .shutdown, timestampMs: nil))
            engine.statistics.update { $0.goAways += 1 }
            // Written before the client's first request is read: nghttp2 refuses streams above last-stream-id
            // only once its GOAWAY has gone out.
            try flush()
        } else if step == .sendSettingsThenStopReading {
            try flush()
            state = .stalled
            return false
        }
        return true
    }

    /// Writes what is pending, then ends the connection when its time has come: a reset once the `--drop-after`
    /// answer is out, a graceful close once the session is done.
    func service() throws {
        guard state == .open, let session else { return }
        try flush()
        guard outputOffset == output.count else { return }   // wait for room in the socket
        if dropPending {
            drop()
        } else if !session.isActive {
            beginLingering()
        }
    }

    /// Flushes after delayed answers were submitted by the loop.
    func serviceAfterTimers() {
        guard needsService else { return }
        needsService = false
        do {
            try service()
        } catch {
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

    /// TLS close_notify (unless dropping) and TCP FIN, then read and discard until the client closes (see the
    /// type's comment).
    private func beginLingering(closeNotify: Bool = true) {
        if closeNotify { tls.shutdown() }
        Socket.shutdownWrite(fd)
        session = nil
        wantsWritable = false
        state = .lingering
        lingerDeadline = MockEngine.monotonicMs() + Self.lingerMs
    }

    private func discardInput(scratch: UnsafeMutableRawBufferPointer) {
        if muteRaw {
            if !Socket.discardInput(fd, scratch: scratch) { close() }
            return
        }
        while true {
            switch try? tls.read(into: scratch) {
            case .bytes: continue
            case .wantRead, .wantWrite: return
            case .closed, nil: close(); return
            }
        }
    }

    /// `--drop-after` / `--drop-every`: no GOAWAY, no close_notify; a FIN or a RST as `--drop-mode` says.
    private func drop() {
        guard state == .open else { return }
        engine.statistics.update { $0.drops += 1 }
        switch engine.dropMode {
        case .close:
            beginLingering(closeNotify: false)
        case .reset:
            state = .closed
            session = nil
            Socket.reset(fd)
        }
    }

    func close() {
        guard state != .closed else { return }
        state = .closed
        session = nil
        Socket.close(fd)
    }
}
