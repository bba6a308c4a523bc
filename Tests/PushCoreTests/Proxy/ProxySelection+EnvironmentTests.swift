import Testing
@testable import PushCore

@Suite("Proxy selection: --proxy, HTTPS_PROXY, NO_PROXY")
struct ProxySelectionEnvironmentTests {
    static let apple = Endpoint(host: "api.push.apple.com", port: 443)

    @Test("NO_PROXY entries", arguments: [
        ("*", "anything.example", 443, true),
        ("apple.com", "api.push.apple.com", 443, true),
        (".apple.com", "api.push.apple.com", 443, true),
        ("*.apple.com", "api.push.apple.com", 443, true),
        ("apple.com", "apple.com", 443, true),
        (".apple.com", "apple.com", 443, true),
        ("apple.com", "notapple.com", 443, false),
        ("push.apple.com.", "API.PUSH.APPLE.COM", 443, true),
        ("example.org, apple.com", "api.push.apple.com", 443, true),
        ("example.org apple.com", "api.push.apple.com", 443, true),
        ("apple.com:443", "api.push.apple.com", 443, true),
        ("apple.com:2197", "api.push.apple.com", 443, false),
        ("10.1.2.3", "10.1.2.3", 443, true),
        ("10.1.2.3", "10.1.2.30", 443, false),
        ("[fd00::1]:443", "fd00::1", 443, true),
        ("fd00::1", "fd00::1", 443, true),
        ("", "api.push.apple.com", 443, false),
        (",,", "api.push.apple.com", 443, false),
    ])
    func noProxy(list: String, host: String, port: Int, excluded: Bool) {
        #expect(NoProxyRules(list).excludes(host: host, port: port) == excluded)
    }

    @Test("--proxy wins over the environment; an empty --proxy turns proxies off")
    func flagWins() throws {
        let env = ["HTTPS_PROXY": "http://env.example:1"]
        #expect(try ProxySelection.resolve(flag: "http://flag.example:2", environment: env, target: Self.apple)
            == HTTPProxy(host: "flag.example", port: 2))
        #expect(try ProxySelection.resolve(flag: "", environment: env, target: Self.apple) == nil)
        // NO_PROXY and the loopback rule apply to the environment only: --proxy is what the user asked for.
        let local = Endpoint(host: "127.0.0.1", port: 2197)
        #expect(try ProxySelection.resolve(flag: "http://127.0.0.1:3128", environment: ["NO_PROXY": "*"], target: local)
            == HTTPProxy(host: "127.0.0.1", port: 3128))
    }

    @Test("HTTPS_PROXY before https_proxy; blank counts as unset; nothing set means direct")
    func environmentNames() throws {
        #expect(try ProxySelection.resolve(flag: nil, environment: ["HTTPS_PROXY": "http://upper:1", "https_proxy": "http://lower:1"],
                                           target: Self.apple)?.host == "upper")
        #expect(try ProxySelection.resolve(flag: nil, environment: ["HTTPS_PROXY": " ", "https_proxy": "http://lower:1"],
                                           target: Self.apple)?.host == "lower")
        #expect(try ProxySelection.resolve(flag: nil, environment: ["HTTP_PROXY": "http://plain:1"], target: Self.apple) == nil)
        #expect(try ProxySelection.resolve(flag: nil, environment: [:], target: Self.apple) == nil)
    }

    @Test("NO_PROXY or no_proxy naming the target, or a target on this machine, means direct")
    func exclusions() throws {
        let proxy = ["HTTPS_PROXY": "http://p:1"]
        #expect(try ProxySelection.resolve(flag: nil, environment: proxy.merging(["NO_PROXY": ".apple.com"]) { $1 },
                                           target: Self.apple) == nil)
        #expect(try ProxySelection.resolve(flag: nil, environment: proxy.merging(["no_proxy": "apple.com"]) { $1 },
                                           target: Self.apple) == nil)
        #expect(try ProxySelection.resolve(flag: nil, environment: proxy.merging(["NO_PROXY": "example.org"]) { $1 },
                                           target: Self.apple) == HTTPProxy(host: "p", port: 1))
        for host in ["127.0.0.1", "127.1.2.3", "localhost", "mock.localhost", "::1"] {
            #expect(try ProxySelection.resolve(flag: nil, environment: proxy, target: Endpoint(host: host, port: 2197)) == nil)
        }
    }

    @Test("A malformed environment proxy names the variable")
    func malformedEnvironment() {
        let error = #expect(throws: ProxyURLError.self) {
            try ProxySelection.resolve(flag: nil, environment: ["https_proxy": "https://u:pw@p:1"], target: Self.apple)
        }
        #expect(error?.source == "https_proxy")
        #expect(error?.text == "https://u:***@p:1")
    }
}
