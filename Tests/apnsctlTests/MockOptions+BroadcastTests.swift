import Testing
import PushCore
@testable import apnsctl
import PushMock

@Suite("mock: options for broadcast channels")
struct MockOptionsBroadcastTests {
    @Test("Without broadcast options: no management port, the APNs limit, no rules")
    func defaults() throws {
        let options = try #require(mockOptions(["mock"]))
        #expect(options.broadcast == MockBroadcastConfiguration())
        #expect(options.broadcast.channelLimit == 10_000)
        #expect(options.managePortFile == nil)
    }

    @Test("Every broadcast option lands in its field and reaches the server's configuration")
    func fullMapping() throws {
        let options = try #require(mockOptions([
            "mock", "--manage-listen", "127.0.0.1:0", "--manage-port-file", "mport", "--broadcast-disabled",
            "--channel-limit", "5", "--respond-channel", "AA/+=429:TooManyRequests:2",
            "--respond-channel", "=500:InternalServerError", "--respond-manage", "create=400:CannotCreateChannelConfig",
            "--respond-manage", "delete=503:ServiceUnavailable:1", "--seed", "9",
        ]))
        let expected = MockBroadcastConfiguration(
            manageListen: Endpoint(host: "127.0.0.1", port: 0), disabled: true, channelLimit: 5,
            channelRules: [MockResponseRule(prefix: "AA/+", status: 429, reason: "TooManyRequests", firstAttempts: 2),
                           MockResponseRule(prefix: "", status: 500, reason: "InternalServerError")],
            manageRules: [MockResponseRule(prefix: "create", status: 400, reason: "CannotCreateChannelConfig"),
                          MockResponseRule(prefix: "delete", status: 503, reason: "ServiceUnavailable", firstAttempts: 1)],
            channelIDSeed: 9)
        #expect(options.broadcast == expected)
        #expect(options.managePortFile == "mport")
        #expect(options.failRate == nil, "--seed with --manage-listen alone seeds the channel ids")
        #expect(mockConfiguration(options, verifier: nil).broadcast == expected)
        #expect(mockOptions(["mock", "--manage-listen", "127.0.0.1:0"])?.broadcast.channelIDSeed == nil,
                "random ids without --seed")
    }

    static let errorCases: [([String], String)] = [
        (["--manage-port-file", "p"], "--manage-port-file needs --manage-listen"),
        (["--manage-listen", "127.0.0.1"], "--manage-listen: '127.0.0.1' has no port (HOST:PORT; 0 picks a free port)"),
        (["--channel-limit", "0"], "--channel-limit: '0' is not a positive integer"),
        (["--channel-limit", "10001"], "--channel-limit: '10001' is too large (at most 10000)"),
        (["--respond-channel", "AA"],
         "--respond-channel: 'AA' is not PREFIX=STATUS:REASON[:K] (for example AAAA=400:ChannelNotRegistered)"),
        (["--respond-channel", "A-B=400:X"],
         "--respond-channel: prefix 'A-B' in 'A-B=400:X' is not base64 text (A-Z, a-z, 0-9, +, /, =)"),
        (["--respond-channel", "AB=200:X"], "--respond-channel: status '200' in 'AB=200:X' is not between 400 and 599"),
        (["--respond-manage", "update=400:X"],
         "--respond-manage: OP 'update' in 'update=400:X' is not one of create, read, delete, list"),
        (["--respond-manage", "create"],
         "--respond-manage: 'create' is not OP=STATUS:REASON[:K] (for example create=400:CannotCreateChannelConfig)"),
    ]

    @Test("Validation errors name the options", arguments: errorCases)
    func errors(args: [String], message: String) {
        #expect(usageMessage(["mock"] + args) == message)
    }
}
