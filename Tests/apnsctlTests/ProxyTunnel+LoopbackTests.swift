import Foundation
import Testing
@testable import PushCore

/// `ProxyTunnel` against a scripted proxy on 127.0.0.1 (it lives with the apnsctl tests, beside the proxy).
@Suite("Proxy tunnel: CONNECT over a real socket")
struct ProxyTunnelLoopbackTests {
    static let target = Endpoint(host: "api.push.apple.com", port: 443)

    static func tunnel(_ behavior: LoopbackProxy.Behavior, proxyURL: String? = nil,
                       timeoutMs: Int = 2000) throws -> (result: Result<Int32, any Error>, proxy: LoopbackProxy) {
        let proxy = try LoopbackProxy(behavior)
        let settings = try HTTPProxy(parsing: proxyURL ?? proxy.url, source: "--proxy")
        let result = Result { try ProxyTunnel.connect(to: target, via: settings, timeoutMs: timeoutMs) }
        return (result, proxy)
    }

    static func proxyError(_ result: Result<Int32, any Error>) -> ProxyError? {
        if case .failure(let error as ProxyError) = result { return error }
        if case .success(let fd) = result { Socket.close(fd) }
        return nil
    }

    @Test("200 in pieces: the tunnel opens, and bytes after the header stay in the socket for TLS")
    func opensAndLeavesTunnelBytes() throws {
        let (result, proxy) = try Self.tunnel(.respond(["HTTP/1.1 200 Conn", "ection established\r\nVia: t\r\n",
                                                        "\r\nEXTRA"]), proxyURL: nil)
        defer { proxy.stop() }
        let fd = try result.get()
        defer { Socket.close(fd) }
        #expect(proxy.requests.first?.hasPrefix("CONNECT api.push.apple.com:443 HTTP/1.1\r\n") == true)
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        #expect(poll(&pfd, 1, 2000) == 1)
        var buffer = [UInt8](repeating: 0, count: 16)
        let n = read(fd, &buffer, buffer.count)
        #expect(n == 5)
        #expect(String(decoding: buffer.prefix(max(0, n)), as: UTF8.self) == "EXTRA")
    }

    @Test("Credentials go in Proxy-Authorization, percent-decoded")
    func credentials() throws {
        let proxy = try LoopbackProxy(.respond(["HTTP/1.1 200 OK\r\n\r\n"]))
        defer { proxy.stop() }
        let settings = try HTTPProxy(parsing: "http://Aladdin:open%20sesame@127.0.0.1:\(proxy.port)", source: "--proxy")
        let fd = try ProxyTunnel.connect(to: Self.target, via: settings, timeoutMs: 2000)
        Socket.close(fd)
        #expect(proxy.requests.first?.contains("\r\nProxy-Authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==\r\n") == true)
    }

    @Test("407 is a fatal refusal that names the proxy and quotes its status line")
    func authenticationRequired() throws {
        let (result, proxy) = try Self.tunnel(.respond(["HTTP/1.1 407 Proxy Authentication Required\r\n"
            + "Proxy-Authenticate: Basic realm=\"x\"\r\nContent-Length: 0\r\n\r\n"]))
        defer { proxy.stop() }
        let error = try #require(Self.proxyError(result))
        #expect(error.kind == .refused(status: 407, statusLine: "HTTP/1.1 407 Proxy Authentication Required"))
        #expect(error.isFatal)
        #expect(error.description.hasPrefix("proxy 127.0.0.1:\(proxy.port) refused the tunnel to api.push.apple.com:443"))
    }

    @Test("A proxy that hangs up, stays silent, speaks something else, or is not there",
          arguments: [LoopbackProxy.Behavior.hangUp, .silent, .respond(["SSH-2.0-OpenSSH_9.2\r\n"])])
    func failures(behavior: LoopbackProxy.Behavior) throws {
        let (result, proxy) = try Self.tunnel(behavior, timeoutMs: 300)
        defer { proxy.stop() }
        let error = try #require(Self.proxyError(result))
        switch behavior {
        case .hangUp: #expect(error.kind == .closed)
        case .silent: #expect(error.kind == .timedOut)
        default: #expect(error.kind == .notHTTP)
        }
    }

    @Test("A proxy port with nothing listening is unreachable (retried, not fatal)")
    func unreachable() throws {
        let closed = try Socket.listen(host: "127.0.0.1", port: 0)   // a free port, then nobody there
        Socket.close(closed.fd)
        let settings = HTTPProxy(host: "127.0.0.1", port: closed.port)
        let result = Result { try ProxyTunnel.connect(to: Self.target, via: settings, timeoutMs: 500) }
        let error = try #require(Self.proxyError(result))
        #expect(error.kind == .unreachable)
        #expect(!error.isFatal)
    }
}
