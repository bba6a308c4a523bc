import CNGHTTP2

/// A header field of an HTTP/2 message we send.
package struct HTTP2HeaderField: Sendable, Equatable {
    package var name: String
    package var value: String
    /// Send as "literal never indexed": for values that change per message (ids, timestamps), so the
    /// peer's small HPACK table keeps the entries that repeat.
    package var neverIndex: Bool

    package init(name: String, value: String, neverIndex: Bool = false) {
        self.name = name
        self.value = value
        self.neverIndex = neverIndex
    }
}

/// An nghttp2 failure, with nghttp2's own text for the code.
package struct HTTP2SessionError: Error, CustomStringConvertible, Sendable {
    package var code: Int
    package var description: String

    init(code: Int, context: String) {
        self.code = code
        self.description = "\(context): \(String(cString: nghttp2_strerror(Int32(truncatingIfNeeded: code))))"
    }
}

/// What the server session reports to its owner while `receive(_:)` runs. Byte buffers are only valid during the call.
package protocol HTTP2ServerSessionDelegate: AnyObject {
    /// A client opened stream `stream` with a request HEADERS frame.
    func http2RequestBegan(stream: Int32)
    /// One request header (pseudo-headers included, e.g. `:method`, `:path`), in the order received.
    func http2RequestHeader(stream: Int32, name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer)
    /// A chunk of the request body.
    func http2RequestData(stream: Int32, bytes: UnsafeRawBufferPointer)
    /// The client finished the request (END_STREAM). The owner may now submit the response.
    func http2RequestEnded(stream: Int32)
    /// The stream is gone (answered, reset or refused). `errorCode` 0 means a normal close.
    func http2StreamClosed(stream: Int32, errorCode: UInt32)
}

/// A server-side nghttp2 session driven by memory buffers (`nghttp2_session_mem_recv` / `mem_send`):
/// the owner feeds it decrypted bytes and writes out what it produces. One thread only.
///
/// The delegate is held `unowned`: the owner keeps the session and must outlive it.
package final class HTTP2ServerSession {
    private var session: OpaquePointer?
    private unowned let delegate: any HTTP2ServerSessionDelegate

    /// Response bodies, owned here until their stream closes (nghttp2 reads them later through the data provider).
    private var bodies: [Int32: OutgoingBody] = [:]
    /// Reused for every response: header names and values laid end to end, and the nghttp2_nv array pointing into them.
    private var headerBytes: [UInt8] = []
    private var nameValues: [nghttp2_nv] = []

    private struct OutgoingBody {
        var bytes: [UInt8]
        var offset: Int
    }

    /// Creates the session and queues the server's first SETTINGS frame.
    /// - Parameters:
    ///   - maxConcurrentStreams: SETTINGS_MAX_CONCURRENT_STREAMS to announce.
    ///   - initialWindowSize: SETTINGS_INITIAL_WINDOW_SIZE per stream; the connection window is raised to match
    ///     `connectionWindowSize`, so request bodies never wait for WINDOW_UPDATE.
    package init(delegate: any HTTP2ServerSessionDelegate, maxConcurrentStreams: UInt32,
                 initialWindowSize: Int32 = 1 << 20, connectionWindowSize: Int32 = 1 << 24) throws(HTTP2SessionError) {
        self.delegate = delegate
        headerBytes.reserveCapacity(512)
        nameValues.reserveCapacity(8)

        var callbacks: OpaquePointer?
        let rc = nghttp2_session_callbacks_new(&callbacks)
        guard rc == 0, let callbacks else { throw HTTP2SessionError(code: Int(rc), context: "cannot create HTTP/2 callbacks") }
        defer { nghttp2_session_callbacks_del(callbacks) }
        Self.install(callbacks)

        var raw: OpaquePointer?
        let created = nghttp2_session_server_new(&raw, callbacks, Unmanaged.passUnretained(self).toOpaque())
        guard created == 0, let raw else { throw HTTP2SessionError(code: Int(created), context: "cannot create HTTP/2 session") }
        session = raw

        var settings = [
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS.rawValue),
                                   value: maxConcurrentStreams),
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE.rawValue),
                                   value: UInt32(initialWindowSize)),
        ]
        let submitted = nghttp2_submit_settings(raw, UInt8(NGHTTP2_FLAG_NONE.rawValue), &settings, settings.count)
        guard submitted == 0 else { throw HTTP2SessionError(code: Int(submitted), context: "cannot submit SETTINGS") }
        let window = nghttp2_session_set_local_window_size(raw, UInt8(NGHTTP2_FLAG_NONE.rawValue), 0, connectionWindowSize)
        guard window == 0 else { throw HTTP2SessionError(code: Int(window), context: "cannot raise the connection window") }
    }

    deinit {
        if let session { nghttp2_session_del(session) }
    }

    // MARK: Driving the session

    /// Feeds bytes read from the peer. Delegate methods run during this call.
    package func receive(_ bytes: UnsafeRawBufferPointer) throws(HTTP2SessionError) {
        guard let session, let base = bytes.baseAddress, !bytes.isEmpty else { return }
        let n = nghttp2_session_mem_recv(session, base.assumingMemoryBound(to: UInt8.self), bytes.count)
        if n < 0 { throw HTTP2SessionError(code: n, context: "HTTP/2 protocol error from the client") }
    }

    /// Appends the frames nghttp2 has ready to `buffer` (coalesced: one write per loop pass), stopping once
    /// `buffer` holds at least `limit` bytes. Returns the number of bytes appended.
    @discardableResult
    package func appendOutput(to buffer: inout [UInt8], limit: Int = 1 << 16) throws(HTTP2SessionError) -> Int {
        guard let session else { return 0 }
        var total = 0
        while buffer.count < limit {
            var chunk: UnsafePointer<UInt8>?
            let n = nghttp2_session_mem_send(session, &chunk)
            if n < 0 { throw HTTP2SessionError(code: n, context: "cannot produce HTTP/2 frames") }
            guard n > 0, let chunk else { break }
            buffer.append(contentsOf: UnsafeBufferPointer(start: chunk, count: n))
            total += n
        }
        return total
    }

    /// False once the session neither expects nor owes anything (after GOAWAY both ways, or a fatal error).
    package var isActive: Bool {
        guard let session else { return false }
        return nghttp2_session_want_read(session) != 0 || nghttp2_session_want_write(session) != 0
    }

    package var wantsWrite: Bool {
        guard let session else { return false }
        return nghttp2_session_want_write(session) != 0
    }

    /// The highest stream id the session has handed to the delegate.
    package var lastProcessedStreamID: Int32 {
        guard let session else { return 0 }
        return nghttp2_session_get_last_proc_stream_id(session)
    }

    // MARK: Submitting

    /// Queues a response. With `body` nil or empty the HEADERS frame carries END_STREAM; otherwise the body follows
    /// in DATA frames, its bytes kept here until the stream closes. nghttp2 copies the header fields now.
    package func submitResponse(stream: Int32, status: Int, headers: [HTTP2HeaderField], body: [UInt8]?)
        throws(HTTP2SessionError)
    {
        guard let session else { return }
        // Lay out ":status", its three digits, then every name and value, end to end.
        headerBytes.removeAll(keepingCapacity: true)
        headerBytes.append(contentsOf: ":status".utf8)
        let code = max(100, min(999, status))
        headerBytes.append(UInt8(ascii: "0") + UInt8(code / 100))
        headerBytes.append(UInt8(ascii: "0") + UInt8(code / 10 % 10))
        headerBytes.append(UInt8(ascii: "0") + UInt8(code % 10))
        for field in headers {
            headerBytes.append(contentsOf: field.name.utf8)
            headerBytes.append(contentsOf: field.value.utf8)
        }
        let hasBody = !(body?.isEmpty ?? true)
        if hasBody, let body { bodies[stream] = OutgoingBody(bytes: body, offset: 0) }

        let rc: Int32 = headerBytes.withUnsafeMutableBufferPointer { bytes in
            let base = bytes.baseAddress!
            nameValues.removeAll(keepingCapacity: true)
            nameValues.append(nghttp2_nv(name: base, value: base + 7, namelen: 7, valuelen: 3,
                                         flags: UInt8(NGHTTP2_NV_FLAG_NONE.rawValue)))
            var offset = 10
            for field in headers {
                let nameLength = field.name.utf8.count
                let valueLength = field.value.utf8.count
                let flags = field.neverIndex ? NGHTTP2_NV_FLAG_NO_INDEX.rawValue : NGHTTP2_NV_FLAG_NONE.rawValue
                nameValues.append(nghttp2_nv(name: base + offset, value: base + offset + nameLength,
                                             namelen: nameLength, valuelen: valueLength, flags: UInt8(flags)))
                offset += nameLength + valueLength
            }
            return nameValues.withUnsafeBufferPointer { nva in
                if hasBody {
                    var provider = nghttp2_data_provider()
                    provider.read_callback = HTTP2ServerSession.readBody
                    return nghttp2_submit_response(session, stream, nva.baseAddress, nva.count, &provider)
                }
                return nghttp2_submit_response(session, stream, nva.baseAddress, nva.count, nil)
            }
        }
        if rc != 0 {
            bodies[stream] = nil
            throw HTTP2SessionError(code: Int(rc), context: "cannot submit the response on stream \(stream)")
        }
    }

    /// Announces a new SETTINGS_MAX_CONCURRENT_STREAMS.
    package func setMaxConcurrentStreams(_ limit: UInt32) throws(HTTP2SessionError) {
        guard let session else { return }
        var entry = nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS.rawValue), value: limit)
        let rc = nghttp2_submit_settings(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), &entry, 1)
        if rc != 0 { throw HTTP2SessionError(code: Int(rc), context: "cannot submit SETTINGS") }
    }

    /// Queues GOAWAY with `lastStreamID` (nil: the last stream this session processed), `errorCode` (0 = NO_ERROR)
    /// and `debugData` (APNs puts `{"reason":"..."}` there). Once it is sent, nghttp2 closes the client's streams
    /// above that id (on_stream_close with REFUSED_STREAM) and ignores new ones; streams at or below it go on.
    package func submitGoAway(lastStreamID: Int32? = nil, errorCode: UInt32 = 0,
                              debugData: [UInt8] = []) throws(HTTP2SessionError) {
        guard let session else { return }
        let last = lastStreamID ?? nghttp2_session_get_last_proc_stream_id(session)
        let rc = debugData.withUnsafeBufferPointer {
            nghttp2_submit_goaway(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), last, errorCode, $0.baseAddress, $0.count)
        }
        if rc != 0 { throw HTTP2SessionError(code: Int(rc), context: "cannot submit GOAWAY") }
    }

    // MARK: C callbacks (capture-free; the owner comes back through user_data)

    private static func from(_ userData: UnsafeMutableRawPointer?) -> HTTP2ServerSession {
        Unmanaged<HTTP2ServerSession>.fromOpaque(userData!).takeUnretainedValue()
    }

    private static let headersType = UInt8(NGHTTP2_HEADERS.rawValue)
    private static let dataType = UInt8(NGHTTP2_DATA.rawValue)
    private static let endStream = UInt8(NGHTTP2_FLAG_END_STREAM.rawValue)
    private static let requestCategory = NGHTTP2_HCAT_REQUEST.rawValue

    private static let readBody: nghttp2_data_source_read_callback = { _, stream, buffer, length, flags, _, userData in
        let owner = HTTP2ServerSession.from(userData)
        guard let buffer, let flags, var body = owner.bodies[stream] else {
            flags?.pointee |= NGHTTP2_DATA_FLAG_EOF.rawValue
            return 0
        }
        let count = min(length, body.bytes.count - body.offset)
        body.bytes.withUnsafeBufferPointer { source in
            buffer.update(from: source.baseAddress! + body.offset, count: count)
        }
        body.offset += count
        if body.offset >= body.bytes.count { flags.pointee |= NGHTTP2_DATA_FLAG_EOF.rawValue }
        owner.bodies[stream] = body
        return count
    }

    private static func install(_ callbacks: OpaquePointer) {
        nghttp2_session_callbacks_set_on_begin_headers_callback(callbacks) { _, frame, userData in
            guard let frame, frame.pointee.hd.type == HTTP2ServerSession.headersType,
                  frame.pointee.headers.cat.rawValue == HTTP2ServerSession.requestCategory else { return 0 }
            HTTP2ServerSession.from(userData).delegate.http2RequestBegan(stream: frame.pointee.hd.stream_id)
            return 0
        }
        nghttp2_session_callbacks_set_on_header_callback(callbacks) { _, frame, name, nameLength, value, valueLength, _, userData in
            guard let frame, frame.pointee.hd.type == HTTP2ServerSession.headersType,
                  frame.pointee.headers.cat.rawValue == HTTP2ServerSession.requestCategory else { return 0 }   // trailers are ignored
            HTTP2ServerSession.from(userData).delegate.http2RequestHeader(
                stream: frame.pointee.hd.stream_id,
                name: UnsafeRawBufferPointer(start: name, count: nameLength),
                value: UnsafeRawBufferPointer(start: value, count: valueLength))
            return 0
        }
        nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks) { _, _, stream, data, length, userData in
            HTTP2ServerSession.from(userData).delegate.http2RequestData(
                stream: stream, bytes: UnsafeRawBufferPointer(start: data, count: length))
            return 0
        }
        nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks) { _, frame, userData in
            guard let frame else { return 0 }
            let type = frame.pointee.hd.type
            let isMessage = type == HTTP2ServerSession.headersType || type == HTTP2ServerSession.dataType
            if isMessage && frame.pointee.hd.flags & HTTP2ServerSession.endStream != 0 {
                HTTP2ServerSession.from(userData).delegate.http2RequestEnded(stream: frame.pointee.hd.stream_id)
            }
            return 0
        }
        nghttp2_session_callbacks_set_on_stream_close_callback(callbacks) { _, stream, errorCode, userData in
            let owner = HTTP2ServerSession.from(userData)
            owner.bodies[stream] = nil
            owner.delegate.http2StreamClosed(stream: stream, errorCode: errorCode)
            return 0
        }
    }
}
