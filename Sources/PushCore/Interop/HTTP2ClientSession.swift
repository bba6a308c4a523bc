import CNGHTTP2

/// What a client session tells its owner: subclass it and override. Called synchronously from inside `receive(_:)`
/// and `send()`. Streams are named by the `tag` the owner gave `submitRequest` (a small index into its own table: no
/// dictionary lookup per header). A class, not a protocol: the session reaches it through `Unmanaged` without a
/// retain/release pair per callback (an `unowned(unsafe)` existential is retained around every call: four pairs of
/// atomic operations per answer).
package class HTTP2ClientSessionDelegate {
    // Internal, not `package`: an internal subclass of a class with a `package` designated init gets a compiler-made
    // stub for it that the compiler then flags as infinite recursion.
    init() {}
    package func http2ResponseHeader(tag: Int, name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) {}
    package func http2ResponseData(tag: Int, bytes: UnsafeBufferPointer<UInt8>) {}
    /// `errorCode` 0 is a normal close; `refused` means the server never processed the stream (safe to resend).
    package func http2StreamClosed(tag: Int, errorCode: UInt32, refused: Bool) {}
    package func http2SettingsChanged(maxConcurrentStreams: Int) {}
    package func http2GoAway(lastStreamID: Int32, errorCode: UInt32, debugData: [UInt8]) {}
}

/// An nghttp2 client session. Owned and used by one thread. Request bodies stay owned here until their
/// stream closes (nghttp2 reads them later through the data provider), in a table indexed by tag.
package final class HTTP2ClientSession {
    private var session: OpaquePointer!
    /// Unowned: the delegate owns the session and outlives it (a weak reference would cost an atomic load and a
    /// retain/release on every header of every response).
    package var delegate: HTTP2ClientSessionDelegate? {
        get { delegateRef?.takeUnretainedValue() }
        set { delegateRef = newValue.map { Unmanaged.passUnretained($0) } }
    }
    // `@exclusivity(unchecked)`: read on every callback, by the owner's thread only (a dynamic check costs ~75 instructions).
    @exclusivity(unchecked) private var delegateRef: Unmanaged<HTTP2ClientSessionDelegate>?
    // `@exclusivity(unchecked)`: used by its owner's thread only; dynamic checks cost ~75 instructions per access.
    @exclusivity(unchecked) private var bodies: [PendingBody?] = []
    /// nghttp2's memory (outlives `session`: `nghttp2_session_del` gives its blocks back to it).
    private let memoryPool = NGHTTP2MemoryPool()
    /// The name/value table of the request being submitted, reused (nghttp2 copies it during the call).
    @exclusivity(unchecked) private var nameValues: [nghttp2_nv] = []

    /// Why the session ended, as far as nghttp2 saw it (for the message when it stops wanting to read or write).
    private var goAwayReceived = false
    private var serverProtocolError: String?

    private struct PendingBody {
        var bytes: [UInt8]
        var offset: Int
    }

    /// - Parameter initialMaxStreams: what to assume before the server's first SETTINGS arrives
    ///   (APNs token-auth connections start at 1).
    package init(initialMaxStreams: Int = 1) throws(HTTP2Error) {
        var callbacks: OpaquePointer?
        guard nghttp2_session_callbacks_new(&callbacks) == 0, let callbacks else {
            throw HTTP2Error(description: "nghttp2: out of memory")
        }
        defer { nghttp2_session_callbacks_del(callbacks) }
        nghttp2_session_callbacks_set_on_header_callback(callbacks) { session, frame, name, namelen, value, valuelen, _, user in
            guard let frame, let name, let value, let user,
                  let tag = HTTP2ClientSession.tag(session, frame.pointee.hd.stream_id) else { return 0 }
            HTTP2ClientSession.with(user) { me in
                me.delegateRef?._withUnsafeGuaranteedRef {
                    $0.http2ResponseHeader(tag: tag, name: UnsafeBufferPointer(start: name, count: namelen),
                                           value: UnsafeBufferPointer(start: value, count: valuelen))
                }
            }
            return 0
        }
        nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks) { session, _, stream, data, len, user in
            guard let data, let user, let tag = HTTP2ClientSession.tag(session, stream) else { return 0 }
            HTTP2ClientSession.with(user) { me in
                me.delegateRef?._withUnsafeGuaranteedRef { $0.http2ResponseData(tag: tag, bytes: UnsafeBufferPointer(start: data, count: len)) }
            }
            return 0
        }
        nghttp2_session_callbacks_set_on_stream_close_callback(callbacks) { session, stream, errorCode, user in
            guard let user, let tag = HTTP2ClientSession.tag(session, stream) else { return 0 }
            HTTP2ClientSession.with(user) { me in
                if tag < me.bodies.count { me.bodies[tag] = nil }
                me.delegateRef?._withUnsafeGuaranteedRef {
                    $0.http2StreamClosed(tag: tag, errorCode: errorCode, refused: errorCode == NGHTTP2_REFUSED_STREAM.rawValue)
                }
            }
            return 0
        }
        // Called only for frames nghttp2 finds invalid (no cost per request): remembers the server's mistake.
        nghttp2_session_callbacks_set_on_invalid_frame_recv_callback(callbacks) { _, frame, errorCode, user in
            guard let user else { return 0 }
            let me = Unmanaged<HTTP2ClientSession>.fromOpaque(user).takeUnretainedValue()
            if me.serverProtocolError == nil {
                let type = frame.map { Int($0.pointee.hd.type) } ?? -1
                me.serverProtocolError = "invalid frame of type \(type): \(String(cString: nghttp2_strerror(errorCode)))"
            }
            return 0
        }
        nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks) { session, frame, user in
            guard let frame, let user else { return 0 }
            let type = UInt32(frame.pointee.hd.type)
            // Every frame comes here (a HEADERS and a DATA per answer): the session is looked at only for the rare ones.
            guard type == NGHTTP2_SETTINGS.rawValue || type == NGHTTP2_GOAWAY.rawValue else { return 0 }
            let me = Unmanaged<HTTP2ClientSession>.fromOpaque(user).takeUnretainedValue()
            if type == NGHTTP2_SETTINGS.rawValue, frame.pointee.hd.flags & UInt8(NGHTTP2_FLAG_ACK.rawValue) == 0 {
                let max = nghttp2_session_get_remote_settings(session, NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS)
                me.delegate?.http2SettingsChanged(maxConcurrentStreams: Int(max))
            } else if type == NGHTTP2_GOAWAY.rawValue {
                me.goAwayReceived = true
                let goaway = frame.pointee.goaway
                var debug: [UInt8] = []
                if let data = goaway.opaque_data, goaway.opaque_data_len > 0 {
                    debug = Array(UnsafeBufferPointer(start: data, count: goaway.opaque_data_len))
                }
                me.delegate?.http2GoAway(lastStreamID: goaway.last_stream_id, errorCode: goaway.error_code, debugData: debug)
            }
            return 0
        }

        var option: OpaquePointer?
        nghttp2_option_new(&option)
        defer { nghttp2_option_del(option) }
        nghttp2_option_set_peer_max_concurrent_streams(option, UInt32(max(1, initialMaxStreams)))
        // No HTTP messaging checks on responses (RFC 9113 §8 field validation, content-length bookkeeping): ~1,500
        // instructions per request, a quarter of what the client adds to nghttp2's own work. The answer is read
        // defensively instead: `:status` must be digits (else the stream counts as unanswered and is retried),
        // ids are kept as repaired UTF-8 and JSON-escaped in the report, the body is capped, other fields ignored.
        nghttp2_option_set_no_http_messaging(option, 1)

        var created: OpaquePointer?
        var mem = memoryPool.mem
        let rc = nghttp2_session_client_new3(&created, callbacks, Unmanaged.passUnretained(self).toOpaque(), option, &mem)
        guard rc == 0, let created else { throw HTTP2Error(code: rc, "cannot create an HTTP/2 session") }
        session = created

        // No server push; windows large enough that flow control never stalls small responses.
        var settings = [
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_ENABLE_PUSH.rawValue), value: 0),
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE.rawValue), value: 1 << 20),
        ]
        guard nghttp2_submit_settings(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), &settings, settings.count) == 0 else {
            throw HTTP2Error(description: "cannot queue the HTTP/2 SETTINGS frame")
        }
        _ = nghttp2_session_set_local_window_size(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), 0, 1 << 24)
    }

    deinit {
        if let session { nghttp2_session_del(session) }
    }

    /// Blocks nghttp2 holds from this session's memory pool.
    package var memoryBlocksInUse: Int { memoryPool.blocksInUse }

    /// Bytes of DATA the server's connection-level flow-control window lets us send now.
    package var remoteWindowSize: Int {
        Int(nghttp2_session_get_remote_window_size(session))
    }

    /// The server's current SETTINGS_MAX_CONCURRENT_STREAMS (as nghttp2 tracks it).
    package var remoteMaxConcurrentStreams: Int {
        Int(nghttp2_session_get_remote_settings(session, NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS))
    }

    /// Runs `body` with the session behind a callback's user data. `_withUnsafeGuaranteedRef`: the session is alive
    /// for the whole callback (it is inside its own `receive`/`send`), so no retain/release pair per callback.
    @inline(__always)
    private static func with<R>(_ user: UnsafeMutableRawPointer, _ body: (HTTP2ClientSession) -> R) -> R {
        Unmanaged<HTTP2ClientSession>.fromOpaque(user)._withUnsafeGuaranteedRef(body)
    }

    /// The owner's tag of a stream, kept by nghttp2 as the stream's user data (tag + 1, so 0 means none).
    private static func tag(_ session: OpaquePointer?, _ stream: Int32) -> Int? {
        guard let data = nghttp2_session_get_stream_user_data(session, stream) else { return nil }
        return Int(bitPattern: data) - 1
    }

    /// Queues a request; returns its stream id. `tag` (≥ 0, small: an index into the owner's table) names the
    /// stream in the delegate's callbacks. The body is kept until the stream closes.
    package func submitRequest(headers: HeaderBlock, body: [UInt8], tag: Int) throws(HTTP2Error) -> Int32 {
        // nghttp2 copies names and values during submit: the block's buffer only needs to live for this call.
        var provider = nghttp2_data_provider()
        provider.source.ptr = UnsafeMutableRawPointer(bitPattern: tag + 1)
        provider.read_callback = { _, _, buffer, length, flags, source, user in
            guard let user, let buffer, let flags, let tagPointer = source?.pointee.ptr else {
                return Int(NGHTTP2_ERR_CALLBACK_FAILURE.rawValue)
            }
            return HTTP2ClientSession.with(user) { me in
                me.readBody(tag: Int(bitPattern: tagPointer) - 1, into: buffer, length: length, flags: flags)
            }
        }
        let streamID: Int32 = headers.bytes.withUnsafeBufferPointer { buffer in
            let base = UnsafeMutablePointer(mutating: buffer.baseAddress!)
            nameValues.removeAll(keepingCapacity: true)
            for span in headers.spans {
                nameValues.append(nghttp2_nv(
                    name: base + span.name.lowerBound, value: base + span.value.lowerBound,
                    namelen: span.name.count, valuelen: span.value.count,
                    flags: UInt8(span.sensitive ? NGHTTP2_NV_FLAG_NO_INDEX.rawValue : NGHTTP2_NV_FLAG_NONE.rawValue)))
            }
            return nghttp2_submit_request(session, nil, nameValues, nameValues.count, &provider,
                                          UnsafeMutableRawPointer(bitPattern: tag + 1))
        }
        guard streamID > 0 else { throw HTTP2Error(code: streamID, "cannot submit the request") }
        while bodies.count <= tag { bodies.append(nil) }
        bodies[tag] = PendingBody(bytes: body, offset: 0)
        return streamID
    }

    private func readBody(tag: Int, into buffer: UnsafeMutablePointer<UInt8>, length: Int,
                          flags: UnsafeMutablePointer<UInt32>) -> Int {
        // Read and advanced in place: a copy of the entry out of the table would retain and release its bytes.
        bodies.withUnsafeMutableBufferPointer { table -> Int in
            guard tag >= 0, tag < table.count, table[tag] != nil else {
                flags.pointee |= NGHTTP2_DATA_FLAG_EOF.rawValue
                return 0
            }
            let offset = table[tag]!.offset
            let total = table[tag]!.bytes.count
            let count = min(length, total - offset)
            table[tag]!.bytes.withUnsafeBufferPointer { source in
                buffer.update(from: source.baseAddress! + offset, count: count)
            }
            if offset + count == total {
                flags.pointee |= NGHTTP2_DATA_FLAG_EOF.rawValue
                table[tag] = nil
            } else {
                table[tag]!.offset += count
            }
            return count
        }
    }

    /// Feeds bytes received from the server. Delegate callbacks run inside.
    package func receive(_ bytes: UnsafeRawBufferPointer) throws(HTTP2Error) {
        guard !bytes.isEmpty else { return }
        let rc = nghttp2_session_mem_recv(session, bytes.baseAddress!.assumingMemoryBound(to: UInt8.self), bytes.count)
        if rc < 0 {
            // A callback failure or running out of memory is apnsctl's own failure; the rest is the server's bytes.
            let ours = rc == NGHTTP2_ERR_CALLBACK_FAILURE.rawValue || rc == NGHTTP2_ERR_NOMEM.rawValue
            throw HTTP2Error(code: Int32(rc), ours ? "apnsctl's HTTP/2 layer failed while reading"
                                                   : "HTTP/2 protocol error by the server")
        }
    }

    /// Appends every frame nghttp2 has ready to `output` (one buffer per loop pass: one TLS write).
    package func send(into output: inout [UInt8]) throws(HTTP2Error) {
        while true {
            var data: UnsafePointer<UInt8>?
            let n = nghttp2_session_mem_send(session, &data)
            if n < 0 { throw HTTP2Error(code: Int32(n), "apnsctl's HTTP/2 layer failed while sending") }
            guard n > 0, let data else { return }
            output.append(contentsOf: UnsafeBufferPointer(start: data, count: n))
        }
    }

    /// Cancels one stream (RST_STREAM CANCEL), e.g. after its deadline passed.
    package func cancel(stream: Int32) {
        _ = nghttp2_submit_rst_stream(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), stream, NGHTTP2_CANCEL.rawValue)
    }

    /// Queues a graceful GOAWAY (no error) before the owner closes the connection.
    package func goAway() {
        _ = nghttp2_session_terminate_session(session, NGHTTP2_NO_ERROR.rawValue)
    }

    /// Queues a PING (health check).
    package func ping() {
        _ = nghttp2_submit_ping(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), nil)
    }

    /// False once both sides are done (GOAWAY exchanged, nothing more to read or write).
    package var isAlive: Bool {
        nghttp2_session_want_read(session) != 0 || nghttp2_session_want_write(session) != 0
    }

    /// Why the session is no longer alive, telling the server's doing from ours.
    package var endedReason: String {
        if let serverProtocolError { return "HTTP/2 protocol error by the server (\(serverProtocolError))" }
        if goAwayReceived { return "the server closed the HTTP/2 session (GOAWAY)" }
        return "the HTTP/2 session ended"
    }
}

/// An HTTP/2 framing failure.
public struct HTTP2Error: Error, CustomStringConvertible, Sendable {
    public var description: String

    init(description: String) { self.description = description }

    init(code: Int32, _ context: String) {
        description = "\(context): \(String(cString: nghttp2_strerror(code)))"
    }
}
