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

/// The client's side of an nghttp2 session (`NGHTTP2Session` holds what both sides share). Request bodies stay owned
/// by the session until their stream closes, under the tag the owner gave.
package final class HTTP2ClientSession: NGHTTP2Session {
    /// Unowned: the delegate owns the session and outlives it (a weak reference would cost an atomic load and a
    /// retain/release on every header of every response).
    private let delegate: Unmanaged<HTTP2ClientSessionDelegate>
    /// The name/value table of the request being submitted, reused (nghttp2 copies it during the call).
    // `@exclusivity(unchecked)`: only `submitRequest` touches it, and `nghttp2_submit_request` calls no callback, so
    // no access can overlap another; the profile showed its dynamic checks, two per request.
    @exclusivity(unchecked) private var nameValues: [nghttp2_nv] = []

    /// - Parameters:
    ///   - delegate: told about answers, SETTINGS and GOAWAY; must outlive the session.
    ///   - initialMaxStreams: what to assume before the server's first SETTINGS arrives (APNs token-auth
    ///     connections start at 1).
    package init(delegate: HTTP2ClientSessionDelegate, initialMaxStreams: Int = 1) throws(HTTP2Error) {
        self.delegate = Unmanaged.passUnretained(delegate)
        // No server push; windows large enough that flow control never stalls small responses.
        try super.init(role: .client(initialMaxStreams: initialMaxStreams),
                       settings: [(NGHTTP2_SETTINGS_ENABLE_PUSH, 0), (NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, 1 << 20)],
                       connectionWindowSize: 1 << 24)
    }

    /// Bytes of DATA the server's connection-level flow-control window lets us send now.
    package var remoteWindowSize: Int {
        Int(nghttp2_session_get_remote_window_size(session))
    }

    /// The server's current SETTINGS_MAX_CONCURRENT_STREAMS (as nghttp2 tracks it).
    package var remoteMaxConcurrentStreams: Int {
        Int(nghttp2_session_get_remote_settings(session, NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS))
    }

    /// Queues a request; returns its stream id. `tag` (≥ 0, small: an index into the owner's table) names the
    /// stream in the delegate's callbacks. The body is kept until the stream closes.
    package func submitRequest(headers: HeaderBlock, body: [UInt8], tag: Int) throws(HTTP2Error) -> Int32 {
        // nghttp2 copies names and values during submit: the block's buffer only needs to live for this call.
        var provider = bodyProvider(tag: tag)
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
        keep(body, tag: tag)
        return streamID
    }

    /// Queues a graceful GOAWAY (no error) before the owner closes the connection.
    package func goAway() {
        _ = nghttp2_session_terminate_session(session, NGHTTP2_NO_ERROR.rawValue)
    }

    // MARK: nghttp2's events, told to the delegate by tag

    override func didReceiveHeader(_ frame: UnsafePointer<nghttp2_frame>, name: UnsafeBufferPointer<UInt8>,
                                   value: UnsafeBufferPointer<UInt8>) throws(HTTP2Error) {
        guard let tag = tag(of: frame.pointee.hd.stream_id) else { return }
        delegate._withUnsafeGuaranteedRef { $0.http2ResponseHeader(tag: tag, name: name, value: value) }
    }

    override func didReceiveData(stream: Int32, bytes: UnsafeBufferPointer<UInt8>) throws(HTTP2Error) {
        guard let tag = tag(of: stream) else { return }
        delegate._withUnsafeGuaranteedRef { $0.http2ResponseData(tag: tag, bytes: bytes) }
    }

    override func didCloseStream(stream: Int32, tag: Int?, errorCode: UInt32) throws(HTTP2Error) {
        guard let tag else { return }
        delegate._withUnsafeGuaranteedRef {
            $0.http2StreamClosed(tag: tag, errorCode: errorCode, refused: errorCode == NGHTTP2_REFUSED_STREAM.rawValue)
        }
    }

    private static let settingsType = UInt8(NGHTTP2_SETTINGS.rawValue)
    private static let goAwayType = UInt8(NGHTTP2_GOAWAY.rawValue)
    private static let ackFlag = UInt8(NGHTTP2_FLAG_ACK.rawValue)

    override func didReceiveFrame(_ frame: UnsafePointer<nghttp2_frame>) throws(HTTP2Error) {
        // Every frame comes here (a HEADERS and a DATA per answer): only the rare ones matter.
        let type = frame.pointee.hd.type
        if type == Self.settingsType, frame.pointee.hd.flags & Self.ackFlag == 0 {
            let max = nghttp2_session_get_remote_settings(session, NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS)
            delegate._withUnsafeGuaranteedRef { $0.http2SettingsChanged(maxConcurrentStreams: Int(max)) }
        } else if type == Self.goAwayType {
            let goaway = frame.pointee.goaway
            var debug: [UInt8] = []
            if let data = goaway.opaque_data, goaway.opaque_data_len > 0 {
                debug = Array(UnsafeBufferPointer(start: data, count: goaway.opaque_data_len))
            }
            delegate._withUnsafeGuaranteedRef {
                $0.http2GoAway(lastStreamID: goaway.last_stream_id, errorCode: goaway.error_code, debugData: debug)
            }
        }
    }
}
