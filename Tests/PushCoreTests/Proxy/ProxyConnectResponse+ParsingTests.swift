import Testing
@testable import PushCore

@Suite("Proxy CONNECT responses: parsing and errors")
struct ProxyConnectResponseParsingTests {
    static let proxy = Endpoint(host: "proxy.example", port: 3128)

    static func parse(_ text: String) throws(ProxyError) -> ProxyConnectResponse? {
        try ProxyConnectResponse.parse(Array(text.utf8), proxy: proxy)
    }

    @Test("A complete header gives the status line and its length; the tunnel's bytes after it are not counted")
    func complete() throws {
        let header = "HTTP/1.1 200 Connection established\r\nProxy-Agent: test\r\n\r\n"
        let response = try #require(try Self.parse(header + "\u{16}\u{03}"))
        #expect(response.status == 200)
        #expect(response.statusLine == "HTTP/1.1 200 Connection established")
        #expect(response.headerLength == header.utf8.count)
        #expect(try Self.parse("HTTP/1.0 200\n\n")?.headerLength == 14)
        #expect(try Self.parse("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic\r\n\r\nbody")?
            .status == 407)
    }

    @Test("An incomplete header asks for more", arguments: ["", "H", "HTTP/1.1 200 OK", "HTTP/1.1 200 OK\r\n",
                                                          "HTTP/1.1 200 OK\r\nX: y\r\n\r"])
    func incomplete(text: String) throws {
        #expect(try Self.parse(text) == nil)
    }

    @Test("Not HTTP, a bad status line, or a header too large is an error", arguments: [
        "SSH-2.0-OpenSSH\r\n\r\n", "\u{16}\u{03}\u{01}", "HTTP/2 200\r\n\r\n", "HTTP/1.1 20x OK\r\n\r\n",
        "HTTP/1.1\r\n\r\n", "HTTP/1.1 999 Nope\r\n\r\n",
    ])
    func notHTTP(text: String) {
        let error = #expect(throws: ProxyError.self) { try Self.parse(text) }
        #expect(error?.kind == .notHTTP)
        #expect(error?.isFatal == true)
    }

    @Test("A header that never ends is cut off at the limit")
    func tooLarge() {
        let text = "HTTP/1.1 200 OK\r\n" + String(repeating: "X-Pad: aaaaaaaaaaaaaaaa\r\n", count: 1000)
        let error = #expect(throws: ProxyError.self) { try Self.parse(text) }
        #expect(error?.kind == .headerTooLarge)
    }

    @Test("Refusals: 4xx stop the run, 5xx and transport trouble are retried")
    func fatality() {
        func refused(_ status: Int) -> ProxyError {
            ProxyError(.refused(status: status, statusLine: "HTTP/1.1 \(status) X"), proxy: Self.proxy)
        }
        #expect(refused(407).isFatal)
        #expect(refused(403).isFatal)
        #expect(refused(400).isFatal)
        #expect(!refused(408).isFatal)
        #expect(!refused(429).isFatal)
        #expect(!refused(502).isFatal)
        #expect(!refused(503).isFatal)
        #expect(!ProxyError(.closed, proxy: Self.proxy).isFatal)
        #expect(!ProxyError(.timedOut, proxy: Self.proxy).isFatal)
        #expect(!ProxyError(.unreachable, proxy: Self.proxy, detail: "refused").isFatal)
    }

    @Test("Messages name the proxy, the target and the status line, with a hint")
    func messages() {
        let target = Endpoint(host: "api.push.apple.com", port: 443)
        #expect(ProxyError(.refused(status: 407, statusLine: "HTTP/1.1 407 Proxy Authentication Required"),
                           proxy: Self.proxy, target: target).description
            == "proxy proxy.example:3128 refused the tunnel to api.push.apple.com:443: "
            + "HTTP/1.1 407 Proxy Authentication Required (check the user name and password in the proxy URL: "
            + "http://user:password@host:port)")
        #expect(ProxyError(.refused(status: 403, statusLine: "HTTP/1.1 403 Forbidden"), proxy: Self.proxy,
                           target: target).description.hasSuffix("(the proxy does not allow CONNECT to "
                            + "api.push.apple.com:443; ask its administrator to allow port 443)"))
        #expect(ProxyError(.unreachable, proxy: Self.proxy, target: target, detail: "refused").description
            == "cannot reach proxy proxy.example:3128: refused")
        #expect(ProxyError(.notHTTP, proxy: Self.proxy, detail: "SSH-2.0").description
            == "proxy proxy.example:3128 did not answer CONNECT in HTTP (it sent 'SSH-2.0'): is it an HTTP proxy?")
    }
}
