import CNGHTTP2

/// The nghttp2 session both roles share (the client's `HTTP2ClientSession`, the mock's `HTTP2ServerSession`): it owns
/// the `nghttp2_session` and its memory pool, installs the C callbacks, keeps outgoing bodies until their stream closes
/// and drives the session from memory buffers. Owned and used by one thread.
///
/// Conventions, the same for both roles:
/// - The session's user data is the session object itself; every callback recovers it with `from(userData:)` and
///   calls one `did…` method, which the role overrides (a class, not a protocol: a vtable call, no existential).
/// - An error thrown by a `did…` method is stashed, the callback returns `NGHTTP2_ERR_CALLBACK_FAILURE`, and the
///   `receive`/`send` that ran the callback throws the stashed error (NIOHTTP1's decoder does the same over llhttp).
/// - A body is kept in a slot named by a small tag, which nghttp2 keeps as the stream's user data (tag + 1, so
///   that 0 means none); the slot is emptied when the body is read out or the stream closes.
package class NGHTTP2Session {
    enum Role {
        /// `initialMaxStreams`: what to assume before the server's first SETTINGS arrives.
        case client(initialMaxStreams: Int)
        case server
    }

    /// The nghttp2 session; created in `init`, deleted in `deinit`.
    let session: OpaquePointer
    /// nghttp2's memory (outlives `session`: `nghttp2_session_del` gives its blocks back to it).
    private let memoryPool: NGHTTP2MemoryPool
    /// Who is at the other end, for messages ("the server", "the client").
    private let peer: String
    /// Bodies being sent, by tag.
    private let bodies = BodyTable()
    /// The error a callback raised during the current `receive`/`send`, thrown when it returns.
    private var stashed: HTTP2Error?
    /// Why the session ended, as far as nghttp2 saw it (for the message when it stops wanting to read or write).
    private(set) var goAwayReceived = false
    private var peerProtocolError: String?

    /// Creates the session and queues our first SETTINGS (`settings`: id and value pairs) and a connection-level
    /// window of `connectionWindowSize`.
    init(role: Role, settings: [(id: nghttp2_settings_id, value: UInt32)], connectionWindowSize: Int32) throws(HTTP2Error) {
        var callbacks: OpaquePointer?
        let made = nghttp2_session_callbacks_new(&callbacks)
        guard made == 0, let callbacks else { throw HTTP2Error(code: made, "cannot create the HTTP/2 callbacks") }
        defer { nghttp2_session_callbacks_del(callbacks) }
        Self.install(callbacks, role: role)

        var option: OpaquePointer?
        guard nghttp2_option_new(&option) == 0, let option else { throw HTTP2Error(description: "nghttp2: out of memory") }
        defer { nghttp2_option_del(option) }
        let pool = NGHTTP2MemoryPool()
        var mem = pool.mem   // copied by nghttp2
        var created: OpaquePointer?
        let rc: Int32
        switch role {
        case .client(let initialMaxStreams):
            nghttp2_option_set_peer_max_concurrent_streams(option, UInt32(max(1, initialMaxStreams)))
            // No HTTP messaging checks on responses (RFC 9113 §8 field validation, content-length bookkeeping): a
            // quarter of what the client adds to nghttp2's own work per request. The answer is read defensively
            // instead: `:status` must be digits (else the stream counts as unanswered and is retried), ids are kept
            // as repaired UTF-8 and JSON-escaped in the report, the body is capped, other fields ignored.
            nghttp2_option_set_no_http_messaging(option, 1)
            rc = nghttp2_session_client_new3(&created, callbacks, nil, option, &mem)
            peer = "the server"
        case .server:
            rc = nghttp2_session_server_new3(&created, callbacks, nil, option, &mem)
            peer = "the client"
        }
        guard rc == 0, let created else { throw HTTP2Error(code: rc, "cannot create an HTTP/2 session") }
        session = created
        memoryPool = pool
        // Every stored property is set: `self` can go to C now.
        nghttp2_session_set_user_data(created, Unmanaged.passUnretained(self).toOpaque())

        var entries = settings.map { nghttp2_settings_entry(settings_id: Int32($0.id.rawValue), value: $0.value) }
        let submitted = nghttp2_submit_settings(created, UInt8(NGHTTP2_FLAG_NONE.rawValue), &entries, entries.count)
        guard submitted == 0 else { throw HTTP2Error(code: submitted, "cannot queue the HTTP/2 SETTINGS frame") }
        let window = nghttp2_session_set_local_window_size(created, UInt8(NGHTTP2_FLAG_NONE.rawValue), 0, connectionWindowSize)
        guard window == 0 else { throw HTTP2Error(code: window, "cannot raise the HTTP/2 connection window") }
    }

    deinit {
        nghttp2_session_del(session)
    }

    // MARK: What a role overrides (called inside `receive`/`send`; buffers are valid during the call only)

    /// A HEADERS frame begins (installed for the server only: the client has no use for it).
    func didBeginHeaders(_ frame: UnsafePointer<nghttp2_frame>) throws(HTTP2Error) {}
    /// One header field of a HEADERS frame.
    func didReceiveHeader(_ frame: UnsafePointer<nghttp2_frame>, name: UnsafeBufferPointer<UInt8>,
                          value: UnsafeBufferPointer<UInt8>) throws(HTTP2Error) {}
    /// A chunk of a stream's DATA.
    func didReceiveData(stream: Int32, bytes: UnsafeBufferPointer<UInt8>) throws(HTTP2Error) {}
    /// A whole frame arrived (every frame: HEADERS and DATA included).
    func didReceiveFrame(_ frame: UnsafePointer<nghttp2_frame>) throws(HTTP2Error) {}
    /// A stream is gone; `tag` is the one its body or request was given (nil: none). `errorCode` 0 is a normal close.
    func didCloseStream(stream: Int32, tag: Int?, errorCode: UInt32) throws(HTTP2Error) {}

    // MARK: Driving the session

    /// Feeds bytes received from the peer; the `did…` methods run inside. Throws what a callback raised, or
    /// nghttp2's verdict on the bytes.
    package final func receive(_ bytes: UnsafeRawBufferPointer) throws(HTTP2Error) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        let rc = nghttp2_session_mem_recv(session, base.assumingMemoryBound(to: UInt8.self), bytes.count)
        if let stashed { self.stashed = nil; throw stashed }
        if rc < 0 {
            // A callback failure or running out of memory is apnsctl's own failure; the rest is the peer's bytes.
            let ours = rc == NGHTTP2_ERR_CALLBACK_FAILURE.rawValue || rc == NGHTTP2_ERR_NOMEM.rawValue
            throw HTTP2Error(code: Int32(rc), ours ? "apnsctl's HTTP/2 layer failed while reading"
                                                   : "HTTP/2 protocol error by \(peer)")
        }
    }

    /// Appends the frames nghttp2 has ready to `output` (one buffer per loop pass: one TLS write), stopping once
    /// `output` holds at least `limit` bytes. Returns the number of bytes appended.
    @discardableResult
    package final func send(into output: inout [UInt8], limit: Int = .max) throws(HTTP2Error) -> Int {
        var total = 0
        while output.count < limit {
            var data: UnsafePointer<UInt8>?
            let n = nghttp2_session_mem_send(session, &data)
            if let stashed { self.stashed = nil; throw stashed }
            if n < 0 { throw HTTP2Error(code: Int32(n), "apnsctl's HTTP/2 layer failed while sending") }
            guard n > 0, let data else { break }
            output.append(contentsOf: UnsafeBufferPointer(start: data, count: n))
            total += n
        }
        return total
    }

    /// False once both sides are done (GOAWAY exchanged, nothing more to read or write, or a fatal error).
    package final var isAlive: Bool {
        nghttp2_session_want_read(session) != 0 || nghttp2_session_want_write(session) != 0
    }

    package final var wantsWrite: Bool { nghttp2_session_want_write(session) != 0 }

    /// Why the session is no longer alive, telling the peer's doing from ours.
    package final var endedReason: String {
        if let peerProtocolError { return "HTTP/2 protocol error by \(peer) (\(peerProtocolError))" }
        if goAwayReceived { return "\(peer) closed the HTTP/2 session (GOAWAY)" }
        return "the HTTP/2 session ended"
    }

    /// Blocks nghttp2 holds from this session's memory pool.
    package final var memoryBlocksInUse: Int { memoryPool.blocksInUse }

    /// Queues a PING (health check).
    package final func ping() {
        _ = nghttp2_submit_ping(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), nil)
    }

    /// Cancels one stream (RST_STREAM CANCEL), e.g. after its deadline passed.
    package final func cancel(stream: Int32) {
        _ = nghttp2_submit_rst_stream(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), stream, NGHTTP2_CANCEL.rawValue)
    }

    // MARK: Bodies

    /// A data provider that reads the body kept under `tag` (see `keep(_:tag:)`).
    final func bodyProvider(tag: Int) -> nghttp2_data_provider {
        var provider = nghttp2_data_provider()
        provider.source.ptr = UnsafeMutableRawPointer(bitPattern: tag + 1)
        provider.read_callback = { _, _, buffer, length, flags, source, userData in
            guard let buffer, let flags, let tagPointer = source?.pointee.ptr else {
                return Int(NGHTTP2_ERR_CALLBACK_FAILURE.rawValue)
            }
            return NGHTTP2Session.from(userData: userData) {
                $0.bodies.read(tag: Int(bitPattern: tagPointer) - 1, into: buffer, length: length, flags: flags)
            }
        }
        return provider
    }

    /// Keeps `body` under `tag` until it is read out or its stream closes (nghttp2 reads it later, through
    /// `bodyProvider(tag:)`).
    final func keep(_ body: [UInt8], tag: Int) {
        bodies.put(body, tag: tag)
    }

    final func forgetBody(tag: Int) {
        bodies.remove(tag: tag)
    }

    /// The tag nghttp2 keeps for `stream` (nil: none).
    final func tag(of stream: Int32) -> Int? {
        guard let data = nghttp2_session_get_stream_user_data(session, stream) else { return nil }
        return Int(bitPattern: data) - 1
    }

    // MARK: C callbacks (capture-free; the session comes back through the user data)

    /// Runs `body` with the session behind a callback's user data. `_withUnsafeGuaranteedRef`: the session is alive
    /// for the whole callback (it is inside its own `receive`/`send`), so no retain/release pair per callback.
    @inline(__always)
    static func from<R>(userData: UnsafeMutableRawPointer?, _ body: (NGHTTP2Session) -> R) -> R {
        Unmanaged<NGHTTP2Session>.fromOpaque(userData!)._withUnsafeGuaranteedRef(body)
    }

    /// Runs one `did…` method for a callback: 0 when it went well; otherwise its error is stashed for the running
    /// `receive`/`send` and nghttp2 is told the callback failed (it then stops with `NGHTTP2_ERR_CALLBACK_FAILURE`).
    @inline(__always)
    private static func event(_ userData: UnsafeMutableRawPointer?,
                              _ body: (NGHTTP2Session) throws(HTTP2Error) -> Void) -> Int32 {
        from(userData: userData) { me in
            do throws(HTTP2Error) {
                try body(me)
                return 0
            } catch {
                if me.stashed == nil { me.stashed = error }
                return NGHTTP2_ERR_CALLBACK_FAILURE.rawValue
            }
        }
    }

    private static let goAwayType = UInt8(NGHTTP2_GOAWAY.rawValue)

    private static func install(_ callbacks: OpaquePointer, role: Role) {
        if case .server = role {
            nghttp2_session_callbacks_set_on_begin_headers_callback(callbacks) { _, frame, userData in
                guard let frame else { return 0 }
                return NGHTTP2Session.event(userData) { me throws(HTTP2Error) in try me.didBeginHeaders(frame) }
            }
        }
        nghttp2_session_callbacks_set_on_header_callback(callbacks) { _, frame, name, nameLength, value, valueLength, _, userData in
            guard let frame, let name, let value else { return 0 }
            return NGHTTP2Session.event(userData) { me throws(HTTP2Error) in
                try me.didReceiveHeader(frame, name: UnsafeBufferPointer(start: name, count: nameLength),
                                        value: UnsafeBufferPointer(start: value, count: valueLength))
            }
        }
        nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks) { _, _, stream, data, length, userData in
            guard let data else { return 0 }
            return NGHTTP2Session.event(userData) { me throws(HTTP2Error) in
                try me.didReceiveData(stream: stream, bytes: UnsafeBufferPointer(start: data, count: length))
            }
        }
        nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks) { _, frame, userData in
            guard let frame else { return 0 }
            return NGHTTP2Session.event(userData) { me throws(HTTP2Error) in
                if frame.pointee.hd.type == NGHTTP2Session.goAwayType { me.goAwayReceived = true }
                try me.didReceiveFrame(frame)
            }
        }
        nghttp2_session_callbacks_set_on_stream_close_callback(callbacks) { _, stream, errorCode, userData in
            NGHTTP2Session.event(userData) { me throws(HTTP2Error) in
                let tag = me.tag(of: stream)
                if let tag { me.forgetBody(tag: tag) }
                try me.didCloseStream(stream: stream, tag: tag, errorCode: errorCode)
            }
        }
        // Called only for frames nghttp2 finds invalid (no cost per request): remembers the peer's mistake.
        nghttp2_session_callbacks_set_on_invalid_frame_recv_callback(callbacks) { _, frame, errorCode, userData in
            NGHTTP2Session.event(userData) { me throws(HTTP2Error) in
                guard me.peerProtocolError == nil else { return }
                let type = frame.map { Int($0.pointee.hd.type) } ?? -1
                me.peerProtocolError = "invalid frame of type \(type): \(String(cString: nghttp2_strerror(errorCode)))"
            }
        }
    }
}

/// Outgoing bodies by tag, until nghttp2 has read them out or their stream closed. The owner's thread reaches the
/// table from `submit…` (`put`) and from inside nghttp2's callbacks (`read`, `remove`), never one inside the other.
/// A raw table behind `let` pointers, not an Array in a `var`: the Array's dynamic exclusivity checks cost two per
/// request here, and a field the callbacks reach must not have them switched off with `@exclusivity(unchecked)`.
final class BodyTable {
    private struct Body {
        var bytes: [UInt8]
        var offset: Int
    }

    private struct Storage {
        var slots: UnsafeMutablePointer<Body?>
        var capacity: Int
    }

    private let storage: UnsafeMutablePointer<Storage>

    init() {
        let slots = UnsafeMutablePointer<Body?>.allocate(capacity: 16)
        slots.initialize(repeating: nil, count: 16)
        storage = .allocate(capacity: 1)
        storage.initialize(to: Storage(slots: slots, capacity: 16))
    }

    deinit {
        storage.pointee.slots.deinitialize(count: storage.pointee.capacity)
        storage.pointee.slots.deallocate()
        storage.deinitialize(count: 1)
        storage.deallocate()
    }

    func put(_ bytes: [UInt8], tag: Int) {
        precondition(tag >= 0, "a body's tag is never negative")
        if tag >= storage.pointee.capacity {
            let old = storage.pointee
            var capacity = old.capacity * 2
            while capacity <= tag { capacity *= 2 }
            let slots = UnsafeMutablePointer<Body?>.allocate(capacity: capacity)
            slots.moveInitialize(from: old.slots, count: old.capacity)
            (slots + old.capacity).initialize(repeating: nil, count: capacity - old.capacity)
            old.slots.deallocate()
            storage.pointee = Storage(slots: slots, capacity: capacity)
        }
        storage.pointee.slots[tag] = Body(bytes: bytes, offset: 0)
    }

    func remove(tag: Int) {
        if tag >= 0 && tag < storage.pointee.capacity { storage.pointee.slots[tag] = nil }
    }

    /// nghttp2's data provider: copies the next bytes of the body under `tag` into `buffer` (read and advanced in
    /// place: a copy of an entry out of the table would retain and release its bytes); EOF once it is all out.
    func read(tag: Int, into buffer: UnsafeMutablePointer<UInt8>, length: Int, flags: UnsafeMutablePointer<UInt32>) -> Int {
        guard tag >= 0, tag < storage.pointee.capacity, storage.pointee.slots[tag] != nil else {
            flags.pointee |= NGHTTP2_DATA_FLAG_EOF.rawValue
            return 0
        }
        let slot = storage.pointee.slots + tag
        let offset = slot.pointee!.offset
        let total = slot.pointee!.bytes.count
        let count = min(length, total - offset)
        slot.pointee!.bytes.withUnsafeBufferPointer { source in
            buffer.update(from: source.baseAddress! + offset, count: count)
        }
        if offset + count == total {
            flags.pointee |= NGHTTP2_DATA_FLAG_EOF.rawValue
            slot.pointee = nil
        } else {
            slot.pointee!.offset += count
        }
        return count
    }
}

/// An HTTP/2 framing failure (either role), with nghttp2's own text for its code.
public struct HTTP2Error: Error, CustomStringConvertible, Sendable {
    public var description: String

    package init(description: String) { self.description = description }

    init(code: Int32, _ context: String) {
        description = "\(context): \(String(cString: nghttp2_strerror(code)))"
    }
}

/// The server session's former name for `HTTP2Error`.
package typealias HTTP2SessionError = HTTP2Error
