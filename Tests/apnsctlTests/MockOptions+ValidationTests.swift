import Testing
import PushCore
@testable import apnsctl
import PushMock

@Suite("mock: options and validation")
struct MockOptionsValidationTests {
    @Test("Defaults: 127.0.0.1:2197, 1000 streams, no rules, stream drop on, tokens live 1h, no misbehaviour")
    func defaults() throws {
        let options = try #require(mockOptions(["mock"]))
        #expect(options == MockOptions())
        #expect(options.listen == Endpoint(host: "127.0.0.1", port: 2197))
        #expect(options.maxStreams == 1000)
        #expect(options.respond.isEmpty)
        #expect(options.streamDrop)
        #expect(options.providerTokenMaxAge == 3600)
        #expect(options.goAway == nil && options.dropAfter == nil && options.failRate == nil)
        #expect(options.latencyMs == 0 && options.silent.isEmpty && !options.expireTokenOnce)
        #expect(options.seed == 1)
    }

    @Test("Every option lands in its field")
    func fullMapping() throws {
        let args = [
            "mock", "-l", "[::1]:0", "--port-file", "port", "--max-streams", "1", "--log", "mock.log",
            "--tls-cert", "cert.pem", "--tls-key", "key.pem", "--auth-key", "AuthKey_X.p8",
            "--key-id", "ABC123DEFG", "--team-id", "DEF123GHIJ", "--respond", "=503:Shutdown", "-q",
            "--stats", "stats.json", "--provider-token-max-age", "90s", "--expire-token-once",
            "--respond", "aa=429:TooManyRequests:2", "--silent", "5e", "--silent", "00",
            "--fail-rate", "0.02", "--seed", "7", "--latency", "20ms",
            "--goaway-after", "500:BadCertificateEnvironment", "--drop-after", "1500", "--stream-drop", "off",
            "--drop-every", "3000", "--drop-mode", "reset",
        ]
        let expected = MockOptions(
            listen: Endpoint(host: "::1", port: 0), portFile: "port", tlsCert: "cert.pem", tlsKey: "key.pem",
            writeCA: nil, authKey: "AuthKey_X.p8", keyID: "ABC123DEFG", teamID: "DEF123GHIJ",
            respond: [MockResponseRule(prefix: "", status: 503, reason: "Shutdown"),
                      MockResponseRule(prefix: "aa", status: 429, reason: "TooManyRequests", firstAttempts: 2)],
            maxStreams: 1, log: "mock.log", quiet: true, stats: "stats.json", requireClientCert: nil,
            providerTokenMaxAge: 90, expireTokenOnce: true, silent: ["5e", "00"], failRate: 0.02, seed: 7,
            latencyMs: 20, goAway: MockGoAwayRule(afterRequests: 500, reason: "BadCertificateEnvironment"),
            dropAfter: 1500, dropEvery: 3000, dropMode: .reset, streamDrop: false)
        #expect(mockOptions(args) == expected)
        let certificate = mockOptions(["mock", "--require-client-cert", "ca.pem"])
        #expect(certificate?.requireClientCert == "ca.pem")
        let every = mockOptions(["mock", "--goaway-every", "500:Shutdown"])
        #expect(every?.goAwayEvery == MockGoAwayRule(afterRequests: 500, reason: "Shutdown"))
        #expect(every?.goAway == nil)
    }

    @Test("The options become the server's configuration")
    func configuration() throws {
        let options = try #require(mockOptions([
            "mock", "--listen", "127.0.0.1:0", "--goaway-after", "3", "--drop-after", "9", "--silent", "5e",
            "--latency", "1.5s", "--fail-rate", "0.5", "--seed", "42", "--stream-drop", "on",
            "--respond", "aa=429:TooManyRequests:2", "--require-client-cert", "ca.pem", "--stats", "s.json",
            "--log", "l.jsonl", "--drop-every", "1500",
        ]))
        let configuration = mockConfiguration(options, verifier: nil)
        #expect(configuration.goAway == MockGoAwayRule(afterRequests: 3, reason: "Shutdown"))
        #expect(configuration.dropAfter == 9)
        #expect(configuration.dropEvery == 1500)
        #expect(configuration.dropMode == .close)
        #expect(configuration.goAwayEvery == nil)
        #expect(configuration.silentPrefixes == ["5e"])
        #expect(configuration.latencyMs == 1500)
        #expect(configuration.failureRate == FailureRate(rate: 0.5, seed: 42))
        #expect(configuration.dropStreamsOnRejection)
        #expect(configuration.responseRules == options.respond)
        #expect(configuration.clientCertificateCAFile == "ca.pem")
        #expect(configuration.requireProviderToken == false, "certificate auth needs no provider token")
        #expect(configuration.statsPath == "s.json")
        #expect(configuration.logPath == "l.jsonl")
        #expect(!configuration.expireProviderTokenOnce)
        let tokenAuth = mockConfiguration(try #require(mockOptions(["mock", "--expire-token-once"])), verifier: nil)
        #expect(tokenAuth.requireProviderToken)
        #expect(tokenAuth.expireProviderTokenOnce)
        #expect(tokenAuth.failureRate == nil)
        #expect(tokenAuth.goAway == nil)
        let every = mockConfiguration(try #require(mockOptions(["mock", "--goaway-every", "7"])), verifier: nil)
        #expect(every.goAwayEvery == MockGoAwayRule(afterRequests: 7))
        #expect(every.goAway == nil)
    }

    @Test("The builder reads every option of the mock table (none is ignored)")
    func noOptionIgnored() throws {
        var parsed = ParsedArguments()
        parsed.values = [
            "listen": ["127.0.0.1:0"], "port-file": ["p"], "max-streams": ["5"], "log": ["l"],
            "tls-cert": ["c"], "tls-key": ["k"], "auth-key": ["a"], "key-id": ["i"], "team-id": ["t"],
            "respond": ["ab=400:BadDeviceToken"], "stats": ["s"], "provider-token-max-age": ["2h"],
            "silent": ["5e"], "fail-rate": ["0.1"], "seed": ["3"], "latency": ["5ms"], "goaway-after": ["10"],
            "drop-after": ["20"], "stream-drop": ["off"], "drop-every": ["30"], "drop-mode": ["reset"],
            "timestamp": ["aa=1e19"], "outage": ["1s..2s"], "outage-mode": ["refuse"],
        ]
        parsed.flags = ["quiet": 1, "expire-token-once": 1]
        var values = OptionValues(parsed, environment: [:], command: "mock")
        _ = try MockOptions.build(from: &values)
        // --write-ca excludes --tls-cert and --require-client-cert excludes --auth-key: check them on a second line.
        var caParsed = ParsedArguments()
        caParsed.values = ["write-ca": ["ca.pem"], "require-client-cert": ["clients.pem"], "goaway-every": ["40"]]
        // The connection-opening switches exclude each other: one per line.
        caParsed.flags = ["close-on-connect": 1]
        var read = Set<String>()
        for (name, flag) in [("goaway-on-connect", true), ("no-settings", true), ("stall", false)] {
            var one = ParsedArguments()
            if flag { one.flags = [name: 1] } else { one.values = [name: ["read"]] }
            var oneValues = OptionValues(one, environment: [:], command: "mock")
            _ = try MockOptions.build(from: &oneValues)
            read.formUnion(oneValues.consulted)
        }
        var caValues = OptionValues(caParsed, environment: [:], command: "mock")
        _ = try MockOptions.build(from: &caValues)
        read.formUnion(values.consulted.union(caValues.consulted))
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
        ("aa=429:TooManyRequests:2", MockResponseRule(prefix: "aa", status: 429, reason: "TooManyRequests", firstAttempts: 2)),
        ("=500:InternalServerError:10",
         MockResponseRule(prefix: "", status: 500, reason: "InternalServerError", firstAttempts: 10)),
        ("ff=599:Odd:Reason:3", MockResponseRule(prefix: "ff", status: 599, reason: "Odd:Reason", firstAttempts: 3)),
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
        (["--max-streams", "x"], "--max-streams: 'x' is not a non-negative integer"),
        (["--max-streams", "3000000000"], "--max-streams: '3000000000' is too large (at most 2147483647)"),
        (["--tls-cert", "c.pem"], "--tls-cert needs --tls-key"),
        (["--tls-key", "k.pem"], "--tls-key needs --tls-cert"),
        (["--tls-cert", "c.pem", "--tls-key", "k.pem", "--write-ca", "ca.pem"],
         "--write-ca and --tls-cert exclude each other (the CA is only made without --tls-cert)"),
        (["--auth-key", "a.p8", "--team-id", "T"], "--auth-key needs --key-id"),
        (["--auth-key", "a.p8", "--key-id", "K"], "--auth-key needs --team-id"),
        (["--key-id", "K"], "--key-id needs --auth-key"),
        (["--team-id", "T"], "--team-id needs --auth-key"),
        (["--respond", "dead"], "--respond: 'dead' is not PREFIX=STATUS:REASON[:K] (for example dead=410:Unregistered)"),
        (["--respond", "dead=410"],
         "--respond: 'dead=410' is not PREFIX=STATUS:REASON[:K] (for example dead=410:Unregistered)"),
        (["--respond", "aa=429:TooManyRequests:0"],
         "--respond: K '0' in 'aa=429:TooManyRequests:0' is not a positive integer (the number of attempts that get the error)"),
        (["--respond", "aa=429::2"], "--respond: reason is empty in 'aa=429::2' (for example aa=429:BadDeviceToken)"),
        (["--silent", "5E"], "--silent: prefix '5E' is not lowercase hex"),
        (["--fail-rate", "2%"], "--fail-rate: '2%' is not a fraction from 0 to 1 (for example 0.02)"),
        (["--fail-rate", "1.5"], "--fail-rate: '1.5' is not a fraction from 0 to 1 (for example 0.02)"),
        (["--fail-rate", "."], "--fail-rate: '.' is not a fraction from 0 to 1 (for example 0.02)"),
        (["--seed", "3"], "--seed needs --fail-rate or --manage-listen"),
        (["--fail-rate", "0.1", "--seed", "-3"], "--seed: '-3' is not a non-negative integer"),
        (["--latency", "fast"], "--latency: 'fast' is not a duration (for example 500ms, 30s, 5m)"),
        (["--latency", "0ms"], "--latency: '0ms' is not a duration (for example 500ms, 30s, 5m)"),
        (["--goaway-after", "0"], "--goaway-after: '0' is not a positive integer"),
        (["--goaway-after", "x:Shutdown"], "--goaway-after: 'x' is not a positive integer"),
        (["--goaway-after", "5:"],
         "--goaway-after: reason '' in '5:' is not letters and digits (for example 5:BadCertificateEnvironment)"),
        (["--goaway-after", "5:Bad Reason"],
         "--goaway-after: reason 'Bad Reason' in '5:Bad Reason' is not letters and digits (for example 5:BadCertificateEnvironment)"),
        (["--drop-after", "none"], "--drop-after: 'none' is not a positive integer"),
        (["--drop-every", "0"], "--drop-every: '0' is not a positive integer"),
        (["--drop-mode", "halt"], "--drop-mode: 'halt' is not one of close, reset"),
        (["--goaway-every", "5:a-b"],
         "--goaway-every: reason 'a-b' in '5:a-b' is not letters and digits (for example 5:BadCertificateEnvironment)"),
        (["--goaway-after", "5", "--goaway-every", "7"],
         "--goaway-after and --goaway-every exclude each other (pick one way to count)"),
        (["--stream-drop", "yes"], "--stream-drop: 'yes' is not one of on, off"),
        (["--provider-token-max-age", "500ms", "--auth-key", "a.p8", "--key-id", "K", "--team-id", "T"],
         "--provider-token-max-age: '500ms' is less than 1s (token ages are whole seconds)"),
        (["--provider-token-max-age", "10s"], "--provider-token-max-age needs --auth-key (only verified tokens have an age)"),
        (["--require-client-cert", "ca.pem", "--auth-key", "a.p8", "--key-id", "K", "--team-id", "T"],
         "--require-client-cert and --auth-key exclude each other (with certificate auth requests carry no provider token)"),
        (["--require-client-cert", "ca.pem", "--expire-token-once"],
         "--require-client-cert and --expire-token-once exclude each other (with certificate auth requests carry no provider token)"),
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

    @Test("Fractions for --fail-rate", arguments: [("0", 0.0), ("1", 1.0), ("0.02", 0.02), (".5", 0.5), ("1.0", 1.0)])
    func fractions(text: String, value: Double) {
        #expect(mockOptions(["mock", "--fail-rate", text])?.failRate == value)
    }

    @Test("--provider-token-max-age is kept in whole seconds")
    func maxAge() {
        let base = ["mock", "--auth-key", "a.p8", "--key-id", "K", "--team-id", "T", "--provider-token-max-age"]
        #expect(mockOptions(base + ["90s"])?.providerTokenMaxAge == 90)
        #expect(mockOptions(base + ["2m"])?.providerTokenMaxAge == 120)
        #expect(mockOptions(base + ["1500ms"])?.providerTokenMaxAge == 1)
    }

    @Test("--write-ca alone, and --tls-cert with --tls-key, are fine")
    func tlsCombinations() {
        #expect(mockOptions(["mock", "--write-ca", "ca.pem"])?.writeCA == "ca.pem")
        let own = mockOptions(["mock", "--tls-cert", "c.pem", "--tls-key", "k.pem"])
        #expect(own?.tlsCert == "c.pem")
        #expect(own?.tlsKey == "k.pem")
    }
}
