import Testing
import PushCore
@testable import apnsctl

/// `apnsctl channel` and `apnsctl broadcast` command lines: what they become and what they refuse.
@Suite("channel and broadcast: options and validation")
struct ChannelOptionsParsingTests {
    static let credentials = ["--key", "AuthKey_ABC123DEFG.p8", "--key-id", "ABC123DEFG", "--team-id", "DEF123GHIJ"]
    static let broadcastWithoutBundle = ["broadcast", "--input", "games.csv", "--template", "update.json",
                                         "--report", "r.jsonl"] + credentials
    static let broadcast = broadcastWithoutBundle + ["--bundle-id", "com.example.app"]

    static func channel(_ args: [String], environment: [String: String] = [:]) -> ChannelOptions? {
        if case .success(.channel(let options)) = parse(["channel"] + args + credentials, environment: environment) {
            return options
        }
        return nil
    }

    static func channelMessage(_ args: [String]) -> String? {
        usageMessage(["channel"] + args + credentials)
    }

    @Test("create: defaults, the management host of the environment, stdout")
    func createDefaults() throws {
        let options = try #require(Self.channel(["create", "--bundle-id", "com.example.app"]))
        #expect(options.operation == .create && options.count == 1 && options.storagePolicy == 1)
        #expect(options.output == "-" && options.format == .jsonl)
        #expect(options.endpoint == Endpoint(host: "api-manage-broadcast.sandbox.push.apple.com", port: 2195))
        #expect(options.connection.topic == "com.example.app")
        let production = try #require(Self.channel(["create", "--bundle-id", "com.example.app", "--production",
                                                    "--count", "100", "--storage-policy", "0", "-o", "c.csv"]))
        #expect(production.endpoint == Endpoint(host: "api-manage-broadcast.push.apple.com", port: 2196))
        #expect(production.count == 100 && production.storagePolicy == 0 && production.format == .csv)
        let mocked = try #require(Self.channel(["list", "--bundle-id", "com.example.app", "--endpoint", "127.0.0.1:9"]))
        #expect(mocked.endpoint == Endpoint(host: "127.0.0.1", port: 9))
    }

    @Test("the bundle id falls back to the topic setting")
    func bundleFromTopic() throws {
        let options = try #require(Self.channel(["list"], environment: ["APNSCTL_TOPIC": "com.example.app"]))
        #expect(options.connection.topic == "com.example.app")
    }

    @Test("refused", arguments: [
        ([], "needs an operation"),
        (["create", "--bundle-id", "com.example.app", "extra"], "unexpected 'extra'"),
        (["erase", "--bundle-id", "com.example.app"], "unknown operation 'erase'"),
        (["read", "--bundle-id", "com.example.app"], "--channel-id ID or --input FILE"),
        (["delete", "--bundle-id", "com.example.app", "--channel-id", "a", "--input", "f.csv"], "exclude each other"),
        (["list", "--bundle-id", "com.example.app", "--count", "2"], "only to channel create"),
        (["create", "--bundle-id", "com.example.app", "--channel-id", "a"], "only to channel read and delete"),
        (["create", "--bundle-id", "com.example.app", "--count", "10001"], "too large"),
        (["create", "--bundle-id", "com.example.app.push-type.liveactivity"], "push-type suffix"),
        (["create"], "--bundle-id is required"),
        (["read", "--bundle-id", "com.example.app", "--channel-id", "a b"], "not a channel id"),
    ])
    func refused(args: [String], expected: String) {
        let message = Self.channelMessage(args)
        #expect(message?.contains(expected) == true, "\(message ?? "parsed")")
    }

    @Test("broadcast is send in broadcast mode: channel_id rows, the bundle id as topic")
    func broadcastOptions() throws {
        guard case .success(.broadcast(let options)) = parse(Self.broadcast) else {
            Issue.record("did not parse")
            return
        }
        #expect(options.broadcast && options.tokenField == "channel_id" && options.topic == "com.example.app")
        #expect(!(sendOptions(validSend)?.broadcast ?? true))
    }

    @Test("broadcast refuses what a broadcast cannot be", arguments: [
        (["--priority", "1"], "priority 5 or 10"),
        (["--bundle-id", "com.example.app.voip"], "push-type suffix"),
        (["--device", "aa"], "unknown option"),
        (["--push-type", "alert"], "unknown option"),
    ])
    func broadcastRefused(extra: [String], expected: String) {
        let message = usageMessage((extra.first == "--bundle-id" ? Self.broadcastWithoutBundle : Self.broadcast) + extra)
        #expect(message?.contains(expected) == true, "\(message ?? "parsed")")
        #expect(usageMessage(["broadcast", "--template", "t.json", "--bundle-id", "b"] + Self.credentials)?
            .contains("needs --input") == true)
    }
}
