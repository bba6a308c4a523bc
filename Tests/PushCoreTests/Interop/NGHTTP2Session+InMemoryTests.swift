import Testing
@testable import PushCore

/// A client session and a server session wired to each other through memory buffers, no sockets.
@Suite("NGHTTP2Session: a client and a server session talking in memory")
struct NGHTTP2SessionInMemoryTests {
    /// What the client's delegate was told, in order.
    final class ClientEvents: HTTP2ClientSessionDelegate {
        var headers: [(tag: Int, name: String, value: String)] = []
        var data: [Int: [UInt8]] = [:]
        var closed: [(tag: Int, errorCode: UInt32, refused: Bool)] = []
        var maxStreams: [Int] = []
        var goAways: [(lastStreamID: Int32, errorCode: UInt32, debug: String)] = []

        override func http2ResponseHeader(tag: Int, name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) {
            headers.append((tag, String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self)))
        }
        override func http2ResponseData(tag: Int, bytes: UnsafeBufferPointer<UInt8>) {
            data[tag, default: []].append(contentsOf: bytes)
        }
        override func http2StreamClosed(tag: Int, errorCode: UInt32, refused: Bool) {
            closed.append((tag, errorCode, refused))
        }
        override func http2SettingsChanged(maxConcurrentStreams: Int) {
            maxStreams.append(maxConcurrentStreams)
        }
        override func http2GoAway(lastStreamID: Int32, errorCode: UInt32, debugData: [UInt8]) {
            goAways.append((lastStreamID, errorCode, String(decoding: debugData, as: UTF8.self)))
        }
    }

    /// What the server's delegate was told, by stream.
    final class ServerEvents: HTTP2ServerSessionDelegate {
        var began: [Int32] = []
        var headers: [Int32: [String: String]] = [:]
        var bodies: [Int32: [UInt8]] = [:]
        var ended: [Int32] = []
        var closed: [Int32: UInt32] = [:]

        func http2RequestBegan(stream: Int32) { began.append(stream) }
        func http2RequestHeader(stream: Int32, name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) {
            headers[stream, default: [:]][String(decoding: name, as: UTF8.self)] = String(decoding: value, as: UTF8.self)
        }
        func http2RequestData(stream: Int32, bytes: UnsafeRawBufferPointer) { bodies[stream, default: []].append(contentsOf: bytes) }
        func http2RequestEnded(stream: Int32) { ended.append(stream) }
        func http2StreamClosed(stream: Int32, errorCode: UInt32) { closed[stream] = errorCode }
    }

    /// A server whose body handling fails: the error its callback raises must come out of `receive`.
    final class FailingServer: NGHTTP2Session {
        var chunksSeen = 0
        init() throws(HTTP2Error) {
            try super.init(role: .server, settings: [], connectionWindowSize: 1 << 20)
        }
        override func didReceiveData(stream: Int32, bytes: UnsafeBufferPointer<UInt8>) throws(HTTP2Error) {
            chunksSeen += 1
            throw HTTP2Error(description: "the test refuses body \(String(decoding: bytes, as: UTF8.self)) on stream \(stream)")
        }
    }

    /// Moves bytes both ways until neither side has anything to send.
    static func exchange(_ client: NGHTTP2Session, _ server: NGHTTP2Session) throws {
        for _ in 0..<100 {
            var toServer: [UInt8] = []
            var toClient: [UInt8] = []
            try client.send(into: &toServer)
            try toServer.withUnsafeBytes { try server.receive($0) }
            try server.send(into: &toClient)
            try toClient.withUnsafeBytes { try client.receive($0) }
            if toServer.isEmpty && toClient.isEmpty { return }
        }
        Issue.record("the sessions never went quiet")
    }

    static func request(topic: String, path: String = "/3/device/abc") -> HeaderBlock {
        var block = HeaderBlock()
        block.add(":method", "POST")
        block.add(":scheme", "https")
        block.add(":authority", "127.0.0.1")
        block.add(":path", path, sensitive: true)
        block.add("apns-topic", topic)
        return block
    }

    @Test("a request reaches the server with its headers and body; the answer reaches the client by tag")
    func requestAndResponse() throws {
        let clientEvents = ClientEvents()
        let serverEvents = ServerEvents()
        let client = try HTTP2ClientSession(delegate: clientEvents, initialMaxStreams: 1)
        let server = try HTTP2ServerSession(delegate: serverEvents, maxConcurrentStreams: 7)
        let idleBlocks = client.memoryBlocksInUse

        let body = Array(#"{"aps":{"alert":"hi"}}"#.utf8)
        let stream = try client.submitRequest(headers: Self.request(topic: "com.example"), body: body, tag: 4)
        try Self.exchange(client, server)

        #expect(clientEvents.maxStreams == [7])
        #expect(serverEvents.began == [stream])
        #expect(serverEvents.ended == [stream])
        #expect(serverEvents.headers[stream]?[":path"] == "/3/device/abc")
        #expect(serverEvents.headers[stream]?["apns-topic"] == "com.example")
        #expect(serverEvents.bodies[stream] == body)

        let answer = Array(#"{"reason":"BadDeviceToken"}"#.utf8)
        try server.submitResponse(stream: stream, status: 400,
                                  headers: [HTTP2HeaderField(name: "apns-id", value: "A-1", neverIndex: true)], body: answer)
        try Self.exchange(client, server)

        #expect(clientEvents.headers.map(\.tag) == [4, 4])
        #expect(clientEvents.headers.map(\.name) == [":status", "apns-id"])
        #expect(clientEvents.headers.map(\.value) == ["400", "A-1"])
        #expect(clientEvents.data[4] == answer)
        #expect(clientEvents.closed.count == 1)
        #expect(clientEvents.closed.first?.tag == 4)
        #expect(clientEvents.closed.first?.errorCode == 0)
        #expect(serverEvents.closed[stream] == 0)
        // The stream's blocks went back to the pool.
        #expect(client.memoryBlocksInUse <= idleBlocks + 2)
        #expect(client.isAlive && server.isActive)
    }

    @Test("a GOAWAY reaches the client with its debug data; streams above its last stream id are refused")
    func goAway() throws {
        let clientEvents = ClientEvents()
        let serverEvents = ServerEvents()
        let client = try HTTP2ClientSession(delegate: clientEvents, initialMaxStreams: 10)
        let server = try HTTP2ServerSession(delegate: serverEvents, maxConcurrentStreams: 10)
        try Self.exchange(client, server)
        let first = try client.submitRequest(headers: Self.request(topic: "a"), body: [0x7B, 0x7D], tag: 0)
        try Self.exchange(client, server)
        let second = try client.submitRequest(headers: Self.request(topic: "b"), body: [0x7B, 0x7D], tag: 1)
        try server.submitGoAway(lastStreamID: first, debugData: Array(#"{"reason":"Shutdown"}"#.utf8))
        try Self.exchange(client, server)

        #expect(second > first)
        #expect(clientEvents.goAways.count == 1)
        #expect(clientEvents.goAways.first?.lastStreamID == first)
        #expect(clientEvents.goAways.first?.debug == #"{"reason":"Shutdown"}"#)
        #expect(clientEvents.closed.count == 1)
        #expect(clientEvents.closed.first?.tag == 1)
        #expect(clientEvents.closed.first?.refused == true)
        #expect(client.endedReason == "the server closed the HTTP/2 session (GOAWAY)")

        // The stream at the last stream id still gets its answer.
        try server.submitResponse(stream: first, status: 200, headers: [], body: nil)
        try Self.exchange(client, server)
        #expect(clientEvents.closed.map(\.tag) == [1, 0])
        #expect(clientEvents.headers.map(\.value) == ["200"])
    }

    @Test("an error raised inside a callback comes out of receive as it was thrown, not as nghttp2's code")
    func callbackErrorRethrown() throws {
        let client = try HTTP2ClientSession(delegate: ClientEvents(), initialMaxStreams: 1)
        let server = try FailingServer()
        _ = try client.submitRequest(headers: Self.request(topic: "com.refused"), body: [0x7B, 0x7D], tag: 0)
        var thrown: HTTP2Error?
        do {
            try Self.exchange(client, server)
        } catch {
            thrown = error as? HTTP2Error
        }
        #expect(thrown?.description == "the test refuses body {} on stream 1")
        // nghttp2 stopped at the failing callback, and the error is not thrown twice.
        #expect(server.chunksSeen == 1)
        var quiet: [UInt8] = []
        #expect(throws: Never.self) { try server.send(into: &quiet) }
    }

    @Test("bytes that are not HTTP/2 are the peer's protocol error")
    func peerProtocolError() throws {
        let server = try HTTP2ServerSession(delegate: ServerEvents(), maxConcurrentStreams: 1)
        let garbage = Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
        var thrown: HTTP2Error?
        do {
            try garbage.withUnsafeBytes { try server.receive($0) }
        } catch {
            thrown = error as? HTTP2Error
        }
        #expect(thrown?.description.hasPrefix("HTTP/2 protocol error by the client") == true)
    }
}
