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

/// The server's side of an nghttp2 session (`NGHTTP2Session` holds what both sides share), driven by memory
/// buffers: the owner feeds it decrypted bytes and writes out what it produces. One thread only.
///
/// The delegate is held `unowned`: the owner keeps the session and must outlive it.
package final class HTTP2ServerSession: NGHTTP2Session {
    private unowned let delegate: any HTTP2ServerSessionDelegate

    /// Body tags free for reuse (a response body is kept under a tag until its stream closes).
    private var freeTags: [Int] = []
    private var nextTag = 0
    /// Reused for every response: header names and values laid end to end, and the nghttp2_nv array pointing into them.
    private var headerBytes: [UInt8] = []
    private var nameValues: [nghttp2_nv] = []

    /// Creates the session and queues the server's first SETTINGS frame.
    /// - Parameters:
    ///   - maxConcurrentStreams: SETTINGS_MAX_CONCURRENT_STREAMS to announce.
    ///   - initialWindowSize: SETTINGS_INITIAL_WINDOW_SIZE per stream; the connection window is raised to match
    ///     `connectionWindowSize`, so request bodies never wait for WINDOW_UPDATE.
    package init(delegate: any HTTP2ServerSessionDelegate, maxConcurrentStreams: UInt32,
                 initialWindowSize: Int32 = 1 << 20, connectionWindowSize: Int32 = 1 << 24) throws(HTTP2Error) {
        self.delegate = delegate
        headerBytes.reserveCapacity(512)
        nameValues.reserveCapacity(8)
        try super.init(role: .server,
                       settings: [(NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, maxConcurrentStreams),
                                  (NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, UInt32(initialWindowSize))],
                       connectionWindowSize: connectionWindowSize)
    }

    /// Appends the frames nghttp2 has ready to `buffer` (coalesced: one write per loop pass), stopping once
    /// `buffer` holds at least `limit` bytes. Returns the number of bytes appended.
    @discardableResult
    package func appendOutput(to buffer: inout [UInt8], limit: Int = 1 << 16) throws(HTTP2Error) -> Int {
        try send(into: &buffer, limit: limit)
    }

    /// False once the session neither expects nor owes anything (after GOAWAY both ways, or a fatal error).
    package var isActive: Bool { isAlive }

    /// The highest stream id the session has handed to the delegate.
    package var lastProcessedStreamID: Int32 {
        nghttp2_session_get_last_proc_stream_id(session)
    }

    // MARK: Submitting

    /// Queues a response. With `body` nil or empty the HEADERS frame carries END_STREAM; otherwise the body follows
    /// in DATA frames, its bytes kept here until the stream closes. nghttp2 copies the header fields now.
    package func submitResponse(stream: Int32, status: Int, headers: [HTTP2HeaderField], body: [UInt8]?)
        throws(HTTP2Error)
    {
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
        var tag: Int?
        if let body, !body.isEmpty {
            let free = freeTags.popLast() ?? nextTag
            if free == nextTag { nextTag += 1 }
            keep(body, tag: free)
            tag = free
        }

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
                guard let tag else { return nghttp2_submit_response(session, stream, nva.baseAddress, nva.count, nil) }
                var provider = bodyProvider(tag: tag)
                return nghttp2_submit_response(session, stream, nva.baseAddress, nva.count, &provider)
            }
        }
        guard let tag else {
            if rc != 0 { throw HTTP2Error(code: rc, "cannot submit the response on stream \(stream)") }
            return
        }
        // The stream names its tag from now on, so that closing it frees the body and the tag.
        if rc != 0 || nghttp2_session_set_stream_user_data(session, stream, UnsafeMutableRawPointer(bitPattern: tag + 1)) != 0 {
            forgetBody(tag: tag)
            freeTags.append(tag)
            if rc != 0 { throw HTTP2Error(code: rc, "cannot submit the response on stream \(stream)") }
        }
    }

    /// Announces a new SETTINGS_MAX_CONCURRENT_STREAMS.
    package func setMaxConcurrentStreams(_ limit: UInt32) throws(HTTP2Error) {
        var entry = nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS.rawValue), value: limit)
        let rc = nghttp2_submit_settings(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), &entry, 1)
        if rc != 0 { throw HTTP2Error(code: rc, "cannot submit SETTINGS") }
    }

    /// Queues GOAWAY with `lastStreamID` (nil: the last stream this session processed), `errorCode` (0 = NO_ERROR)
    /// and `debugData` (APNs puts `{"reason":"..."}` there). Once it is sent, nghttp2 closes the client's streams
    /// above that id (on_stream_close with REFUSED_STREAM) and ignores new ones; streams at or below it go on.
    package func submitGoAway(lastStreamID: Int32? = nil, errorCode: UInt32 = 0,
                              debugData: [UInt8] = []) throws(HTTP2Error) {
        let last = lastStreamID ?? nghttp2_session_get_last_proc_stream_id(session)
        let rc = debugData.withUnsafeBufferPointer {
            nghttp2_submit_goaway(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), last, errorCode, $0.baseAddress, $0.count)
        }
        if rc != 0 { throw HTTP2Error(code: rc, "cannot submit GOAWAY") }
    }

    // MARK: nghttp2's events, told to the delegate by stream

    private static let headersType = UInt8(NGHTTP2_HEADERS.rawValue)
    private static let dataType = UInt8(NGHTTP2_DATA.rawValue)
    private static let endStream = UInt8(NGHTTP2_FLAG_END_STREAM.rawValue)
    private static let requestCategory = NGHTTP2_HCAT_REQUEST.rawValue

    /// A request's HEADERS (not trailers, not anything else).
    private static func isRequestHeaders(_ frame: UnsafePointer<nghttp2_frame>) -> Bool {
        frame.pointee.hd.type == headersType && frame.pointee.headers.cat.rawValue == requestCategory
    }

    override func didBeginHeaders(_ frame: UnsafePointer<nghttp2_frame>) throws(HTTP2Error) {
        guard Self.isRequestHeaders(frame) else { return }
        delegate.http2RequestBegan(stream: frame.pointee.hd.stream_id)
    }

    override func didReceiveHeader(_ frame: UnsafePointer<nghttp2_frame>, name: UnsafeBufferPointer<UInt8>,
                                   value: UnsafeBufferPointer<UInt8>) throws(HTTP2Error) {
        guard Self.isRequestHeaders(frame) else { return }   // trailers are ignored
        delegate.http2RequestHeader(stream: frame.pointee.hd.stream_id, name: UnsafeRawBufferPointer(name),
                                    value: UnsafeRawBufferPointer(value))
    }

    override func didReceiveData(stream: Int32, bytes: UnsafeBufferPointer<UInt8>) throws(HTTP2Error) {
        delegate.http2RequestData(stream: stream, bytes: UnsafeRawBufferPointer(bytes))
    }

    override func didReceiveFrame(_ frame: UnsafePointer<nghttp2_frame>) throws(HTTP2Error) {
        let type = frame.pointee.hd.type
        let isMessage = type == Self.headersType || type == Self.dataType
        if isMessage && frame.pointee.hd.flags & Self.endStream != 0 {
            delegate.http2RequestEnded(stream: frame.pointee.hd.stream_id)
        }
    }

    override func didCloseStream(stream: Int32, tag: Int?, errorCode: UInt32) throws(HTTP2Error) {
        if let tag { freeTags.append(tag) }
        delegate.http2StreamClosed(stream: stream, errorCode: errorCode)
    }
}
