import Testing
@testable import PushCore

@Suite("HTTP proxy URLs: parsing, masking, the CONNECT request")
struct HTTPProxyParsingTests {
    @Test("Accepted forms", arguments: [
        ("http://proxy.example:3128", HTTPProxy(host: "proxy.example", port: 3128)),
        ("HTTP://proxy.example:3128/", HTTPProxy(host: "proxy.example", port: 3128)),
        ("proxy.example:8080", HTTPProxy(host: "proxy.example", port: 8080)),
        ("http://proxy.example", HTTPProxy(host: "proxy.example", port: 80)),
        ("  http://10.0.0.1:3128\n", HTTPProxy(host: "10.0.0.1", port: 3128)),
        ("http://[::1]:3128", HTTPProxy(host: "::1", port: 3128)),
        ("http://[fd00::1]", HTTPProxy(host: "fd00::1", port: 80)),
        ("http://alice@p:1", HTTPProxy(host: "p", port: 1, username: "alice")),
        ("http://alice:@p:1", HTTPProxy(host: "p", port: 1, username: "alice", password: "")),
        ("http://alice:s3cret@p:1", HTTPProxy(host: "p", port: 1, username: "alice", password: "s3cret")),
        ("http://dom%5Calice:p%40ss%3Aw%2Fd@p:1", HTTPProxy(host: "p", port: 1, username: "dom\\alice", password: "p@ss:w/d")),
        ("http://a:b@c@p:1", HTTPProxy(host: "p", port: 1, username: "a", password: "b@c")),
    ])
    func accepted(text: String, expected: HTTPProxy) throws {
        #expect(try HTTPProxy(parsing: text, source: "--proxy") == expected)
    }

    @Test("Rejected forms say why, with the password masked", arguments: [
        ("https://u:topsecret@p:443", "a TLS connection to the proxy (https://) is not supported"),
        ("socks5://u:topsecret@p:1080", "the socks5:// scheme is not supported"),
        ("http://u:topsecret@p:99999", "expected http://[user:password@]host:port with a port from 1 to 65535"),
        ("http://u:topsecret@p:port", "expected http://[user:password@]host:port with a port from 1 to 65535"),
        ("http://u:topsecret@", "it names no host"),
        ("http://u:top%ZZsecret@p:1", "the user name or password has a malformed %-escape"),
        ("http://u:topsecret@p:1/path", "a proxy URL has no path"),
    ])
    func rejected(text: String, reason: String) {
        let error = #expect(throws: ProxyURLError.self) { try HTTPProxy(parsing: text, source: "HTTPS_PROXY") }
        #expect(error?.reason.hasPrefix(reason) == true)
        #expect(error?.description.hasPrefix("HTTPS_PROXY: '") == true)
        #expect(error?.description.contains("topsecret") == false)
        #expect(error?.description.contains("u:***@") == true)
    }

    @Test("The description masks the password and keeps the user")
    func description() throws {
        #expect(try HTTPProxy(parsing: "http://alice:s3cret@p.example:3128", source: "x").description
            == "http://alice:***@p.example:3128")
        #expect(try HTTPProxy(parsing: "http://a%40b@p:1", source: "x").description == "http://a%40b@p:1")
        #expect(HTTPProxy(host: "::1", port: 8080).description == "http://[::1]:8080")
        #expect(HTTPProxy.redact("http://u:pw@host:1/x@y") == "http://u:***@host:1/x@y")
        #expect(HTTPProxy.redact("u:pw@host:1") == "u:***@host:1")
        #expect(HTTPProxy.redact("http://host:1") == "http://host:1")
    }

    @Test("Basic authorization: RFC 7617's example, and none without a user")
    func authorization() throws {
        #expect(HTTPProxy(host: "p", port: 1, username: "Aladdin", password: "open sesame").authorization
            == "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==")
        #expect(HTTPProxy(host: "p", port: 1, username: "a", password: nil).authorization == "Basic YTo=")
        #expect(HTTPProxy(host: "p", port: 1).authorization == nil)
        #expect(Base64URL.encodeStandard([0xFB, 0xFF]) == "+/8=")
    }

    @Test("The CONNECT request names the target in authority form, with the credentials when there are some")
    func connectRequest() {
        let target = Endpoint(host: "api.push.apple.com", port: 443)
        #expect(String(decoding: HTTPProxy(host: "p", port: 1).connectRequest(to: target), as: UTF8.self)
            == "CONNECT api.push.apple.com:443 HTTP/1.1\r\nHost: api.push.apple.com:443\r\nUser-Agent: apnsctl\r\n\r\n")
        let withUser = HTTPProxy(host: "p", port: 1, username: "Aladdin", password: "open sesame")
        #expect(String(decoding: withUser.connectRequest(to: Endpoint(host: "::1", port: 2197)), as: UTF8.self)
            == "CONNECT [::1]:2197 HTTP/1.1\r\nHost: [::1]:2197\r\n"
            + "Proxy-Authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==\r\nUser-Agent: apnsctl\r\n\r\n")
    }
}
