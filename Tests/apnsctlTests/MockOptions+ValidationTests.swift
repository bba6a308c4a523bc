import Testing
import PushCore
@testable import apnsctl
import PushMock

@Suite("mock: options and validation")
struct MockOptionsValidationTests {
    @Test("Defaults: 127.0.0.1:2197, 1000 streams, no rules")
    func defaults() throws {
        let options = try #require(mockOptions(["mock"]))
        #expect(options == MockOptions())
        #expect(options.listen == Endpoint(host: "127.0.0.1", port: 2197))
        #expect(options.maxStreams == 1000)
        #expect(options.respond.isEmpty)
    }

    @Test("Every option lands in its field")
    func fullMapping() throws {
        let args = [
            "mock", "-l", "[::1]:0", "--port-file", "port", "--max-streams", "1", "--log", "mock.log",
            "--tls-cert", "cert.pem", "--tls-key", "key.pem", "--auth-key", "AuthKey_X.p8",
            "--key-id", "ABC123DEFG", "--team-id", "DEF123GHIJ", "--respond", "=503:Shutdown", "-q",
        ]
        let expected = MockOptions(
            listen: Endpoint(host: "::1", port: 0), portFile: "port", tlsCert: "cert.pem", tlsKey: "key.pem",
            writeCA: nil, authKey: "AuthKey_X.p8", keyID: "ABC123DEFG", teamID: "DEF123GHIJ",
            respond: [MockResponseRule(prefix: "", status: 503, reason: "Shutdown")], maxStreams: 1,
            log: "mock.log", quiet: true)
        #expect(mockOptions(args) == expected)
    }

    @Test("The builder reads every option of the mock table (none is ignored)")
    func noOptionIgnored() throws {
        var parsed = ParsedArguments()
        parsed.values = [
            "listen": ["127.0.0.1:0"], "port-file": ["p"], "max-streams": ["5"], "log": ["l"],
            "tls-cert": ["c"], "tls-key": ["k"], "auth-key": ["a"], "key-id": ["i"], "team-id": ["t"],
            "respond": ["ab=400:BadDeviceToken"],
        ]
        parsed.flags = ["quiet": 1]
        var values = OptionValues(parsed, environment: [:], command: "mock")
        _ = try MockOptions.build(from: &values)
        // --write-ca excludes --tls-cert: check it is read on a second, CA-writing line.
        var caParsed = ParsedArguments()
        caParsed.values = ["write-ca": ["ca.pem"]]
        var caValues = OptionValues(caParsed, environment: [:], command: "mock")
        _ = try MockOptions.build(from: &caValues)
        let read = values.consulted.union(caValues.consulted)
        #expect(read == Set(CommandSpec.mock.options.map(\.long)).subtracting(["help"]))
    }

    @Test("Listen addresses: port 0 allowed, IPv6 in brackets", arguments: [
        ("127.0.0.1:0", Endpoint(host: "127.0.0.1", port: 0)),
        ("0.0.0.0:2197", Endpoint(host: "0.0.0.0", port: 2197)),
        ("[::1]:0", Endpoint(host: "::1", port: 0)),
        ("localhost:65535", Endpoint(host: "localhost", port: 65535)),
    ])
    func listen(text: String, expected: Endpoint) {
        #expect(mockOptions(["mock", "--listen", text])?.listen == expected)
    }

    @Test("Response rules parse", arguments: [
        ("dead=410:Unregistered", MockResponseRule(prefix: "dead", status: 410, reason: "Unregistered")),
        ("=503:ServiceUnavailable", MockResponseRule(prefix: "", status: 503, reason: "ServiceUnavailable")),
        ("0a1b=400:BadDeviceToken", MockResponseRule(prefix: "0a1b", status: 400, reason: "BadDeviceToken")),
        ("ff=599:Odd:Reason", MockResponseRule(prefix: "ff", status: 599, reason: "Odd:Reason")),
    ])
    func rules(text: String, expected: MockResponseRule) throws {
        #expect(try MockResponseRule.parse(text) == expected)
    }

    static let errorCases: [([String], String)] = [
        (["--listen", "127.0.0.1"], "--listen: '127.0.0.1' has no port (HOST:PORT; 0 picks a free port)"),
        (["--listen", "[::1]"], "--listen: '[::1]' has no port (HOST:PORT; 0 picks a free port)"),
        (["--listen", "host:70000"],
         "--listen: 'host:70000' is not HOST:PORT (port 1 to 65535, or 0 for any free port)"),
        (["--max-streams", "0"], "--max-streams: '0' is not a positive integer"),
        (["--max-streams", "3000000000"], "--max-streams: '3000000000' is too large (at most 2147483647)"),
        (["--tls-cert", "c.pem"], "--tls-cert needs --tls-key"),
        (["--tls-key", "k.pem"], "--tls-key needs --tls-cert"),
        (["--tls-cert", "c.pem", "--tls-key", "k.pem", "--write-ca", "ca.pem"],
         "--write-ca and --tls-cert exclude each other (the CA is only made without --tls-cert)"),
        (["--auth-key", "a.p8", "--team-id", "T"], "--auth-key needs --key-id"),
        (["--auth-key", "a.p8", "--key-id", "K"], "--auth-key needs --team-id"),
        (["--key-id", "K"], "--key-id needs --auth-key"),
        (["--team-id", "T"], "--team-id needs --auth-key"),
        (["--respond", "dead"], "--respond: 'dead' is not PREFIX=STATUS:REASON (for example dead=410:Unregistered)"),
        (["--respond", "dead=410"],
         "--respond: 'dead=410' is not PREFIX=STATUS:REASON (for example dead=410:Unregistered)"),
        (["--respond", "DEAD=410:Unregistered"], "--respond: prefix 'DEAD' in 'DEAD=410:Unregistered' is not lowercase hex"),
        (["--respond", "xyz=410:Unregistered"], "--respond: prefix 'xyz' in 'xyz=410:Unregistered' is not lowercase hex"),
        (["--respond", "ab=200:OK"], "--respond: status '200' in 'ab=200:OK' is not between 400 and 599"),
        (["--respond", "ab=600:X"], "--respond: status '600' in 'ab=600:X' is not between 400 and 599"),
        (["--respond", "ab=4x0:X"], "--respond: status '4x0' in 'ab=4x0:X' is not between 400 and 599"),
        (["--respond", "ab=400:"], "--respond: reason is empty in 'ab=400:' (for example ab=400:BadDeviceToken)"),
        (["stray"], "mock takes no arguments; unexpected 'stray'"),
    ]

    @Test("Validation errors: messages name the options", arguments: errorCases)
    func errors(args: [String], message: String) {
        #expect(usageMessage(["mock"] + args) == message)
    }

    @Test("--write-ca alone, and --tls-cert with --tls-key, are fine")
    func tlsCombinations() {
        #expect(mockOptions(["mock", "--write-ca", "ca.pem"])?.writeCA == "ca.pem")
        let own = mockOptions(["mock", "--tls-cert", "c.pem", "--tls-key", "k.pem"])
        #expect(own?.tlsCert == "c.pem")
        #expect(own?.tlsKey == "k.pem")
    }
}
