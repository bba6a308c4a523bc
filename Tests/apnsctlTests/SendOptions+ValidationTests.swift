import Testing
import PushCore
@testable import apnsctl

@Suite("send: options and validation")
struct SendOptionsValidationTests {
    @Test("Defaults come from SendDefaults")
    func defaults() throws {
        let options = try #require(sendOptions(validSend))
        #expect(options.tokenField == "token")
        #expect(options.concurrency == 100)
        #expect(options.connections == 1)
        #expect(options.environment == .sandbox)
        #expect(options.format == nil)
        #expect(options.pushType == nil)
        #expect(options.priority == nil)
        #expect(options.expiration == nil)
        #expect(options.endpoint == nil)
        #expect(options.reportFormat == .jsonl)
        #expect(options.verbosity == 0)
        #expect(options.quiet == false)
    }

    @Test("Every option lands in its field")
    func fullMapping() throws {
        let args = [
            "send", "-i", "list.jsonl", "--format", "jsonl", "--token-field", "device_token",
            "--payload", #"{"aps":{}}"#, "--topic", "com.example.app.voip", "--push-type", "voip",
            "--priority", "5", "--expiration", "2000000000", "--collapse-id", "news",
            "--key", "AuthKey_ABC123DEFG.p8", "--key-id", "ABC123DEFG", "--team-id", "DEF123GHIJ",
            "--production", "--endpoint", "[::1]:2197", "--proxy", "http://proxy.example:3128", "--ca-file", "ca.pem",
            "--concurrency", "500", "--connections", "4", "-r", "out.CSV", "-v", "-q",
        ]
        let options = try #require(sendOptions(args))
        let expected = SendOptions(
            input: "list.jsonl", format: .jsonl, tokenField: "device_token", devices: [],
            template: nil, payload: #"{"aps":{}}"#, topic: "com.example.app.voip", pushType: .voip,
            priority: 5, expiration: 2_000_000_000, collapseID: "news",
            credentials: .token(key: .file("AuthKey_ABC123DEFG.p8"), keyID: "ABC123DEFG", teamID: "DEF123GHIJ"),
            environment: .production, endpoint: Endpoint(host: "::1", port: 2197),
            proxy: HTTPProxy(host: "proxy.example", port: 3128), caFile: "ca.pem",
            concurrency: 500, connections: 4, report: "out.CSV", reportFormat: .csv, verbosity: 1, quiet: true,
            campaign: "list")
        #expect(options == expected)
    }

    @Test("The builder reads every option of the send table (none is ignored)")
    func noOptionIgnored() throws {
        let command = CommandSpec.send
        var parsed = ParsedArguments()
        for option in command.options where option.takesValue {
            parsed.values[option.long] = [option.choices?.first ?? "1"]
        }
        // A consistent set: input (not device), template (not payload), production only.
        parsed.values["device"] = nil
        parsed.values["payload"] = nil
        parsed.values["proxy"] = ["http://127.0.0.1:3128"]
        for certificateOption in ["cert", "cert-env", "cert-key", "cert-password-file"] { parsed.values[certificateOption] = nil }
        parsed.values["key-env"] = nil   // instead of --key, not with it
        parsed.values["environment"] = nil  // --production stands for it; giving both is an error
        parsed.values["shard"] = ["1/2"]
        parsed.values["expiration"] = ["1h"]
        parsed.flags = ["production": 1, "verbose": 1, "quiet": 1]
        var values = OptionValues(parsed, environment: [:], command: command.name)
        _ = try SendOptions.build(from: &values)
        // Answered before the builder runs: help by the parser, config and profile by the config loader.
        let notReadByBuilder: Set<String> = ["help", "config", "profile"]
        #expect(values.consulted == Set(command.options.map(\.long)).subtracting(notReadByBuilder))
    }

    @Test("--device: report defaults to stdout, jsonl")
    func deviceDefaults() throws {
        let options = try #require(sendOptions(validDeviceSend))
        #expect(options.devices == ["aa11"])
        #expect(options.input == nil)
        #expect(options.report == "-")
        #expect(options.reportFormat == .jsonl)
    }

    @Test("Report format: explicit, or from the file name")
    func reportFormat() {
        #expect(sendOptions(removing("--report", from: validSend) + ["--report", "r.csv"])?.reportFormat == .csv)
        #expect(sendOptions(removing("--report", from: validSend) + ["--report", "r.txt"])?.reportFormat == .jsonl)
        #expect(sendOptions(removing("--report", from: validSend) + ["--report", "r.csv", "--report-format", "jsonl"])?
            .reportFormat == .jsonl)
    }

    @Test("--input without --template or --payload is allowed (rows may carry payload)")
    func inputWithoutTemplate() {
        #expect(sendOptions(removing("--template", from: validSend))?.template == nil)
    }

    @Test("Endpoint parsing", arguments: [
        ("127.0.0.1:2197", Endpoint(host: "127.0.0.1", port: 2197)),
        ("api.example.net", Endpoint(host: "api.example.net", port: 443)),
        ("[::1]:8443", Endpoint(host: "::1", port: 8443)),
    ])
    func endpoints(text: String, expected: Endpoint) {
        #expect(sendOptions(validSend + ["--endpoint", text])?.endpoint == expected)
    }

    @Test("Credentials fall back to APNSCTL_KEY, APNSCTL_KEY_ID, APNSCTL_TEAM_ID")
    func environmentFallback() throws {
        let args = removing("--key", from: removing("--key-id", from: removing("--team-id", from: validSend)))
        let env = ["APNSCTL_KEY": "env.p8", "APNSCTL_KEY_ID": "ENVKEY0001", "APNSCTL_TEAM_ID": "ENVTEAM001"]
        let options = try #require(sendOptions(args, environment: env))
        #expect(options.credentials == .token(key: .file("env.p8"), keyID: "ENVKEY0001", teamID: "ENVTEAM001"))
        // The command line wins over the environment; an empty variable counts as unset.
        #expect(sendOptions(validSend, environment: env)?.credentials
            == .token(key: .file("AuthKey_ABC123DEFG.p8"), keyID: "ABC123DEFG", teamID: "DEF123GHIJ"))
        #expect(usageMessage(args, environment: ["APNSCTL_KEY": ""])
            == "--key is required (the .p8 signing key; or set APNSCTL_KEY, or 'key = ...' in the config file)")
    }

    static let errorCases: [([String], String)] = [
        (removing("--input", from: validSend), "send needs recipients: --input FILE or --device TOKEN"),
        (validSend + ["--device", "aa"], "--input and --device exclude each other"),
        (validSend + ["--payload", "{}"], "--template and --payload exclude each other"),
        (removing("--payload", from: validDeviceSend), "--device needs --template FILE or --payload JSON"),
        (validDeviceSend + ["--format", "csv"], "--format applies only to --input"),
        (validDeviceSend + ["--token-field", "t"], "--token-field applies only to --input"),
        (removing("--topic", from: validSend),
         "--topic is required (the app's bundle ID; or set APNSCTL_TOPIC, or 'topic = ...' in the config file)"),
        (removing("--key", from: validSend),
         "--key is required (the .p8 signing key; or set APNSCTL_KEY, or 'key = ...' in the config file)"),
        (removing("--key-id", from: validSend),
         "--key-id is required (the key's 10-character ID; or set APNSCTL_KEY_ID, or 'key-id = ...' in the config file)"),
        (removing("--team-id", from: validSend),
         "--team-id is required (your 10-character team ID; or set APNSCTL_TEAM_ID, "
            + "or 'team-id = ...' in the config file)"),
        (validSend + ["--production", "--sandbox"], "--production and --sandbox exclude each other"),
        (removing("--report", from: validSend), "--report is required with --input (a file, or - for stdout)"),
        (validSend + ["--expiration", "soon"], "--expiration: 'soon' is not 0, a UNIX time, a duration (30s, 15m, 1h, 2d) or an RFC 3339 time"),
        (validSend + ["--expiration", "3600"], "--expiration: '3600' looks like a number of seconds, but apns-expiration is a UNIX time; write a duration such as 1h (from when the push is sent), an RFC 3339 time or a UNIX time"),
        (validSend + ["--concurrency", "x"], "--concurrency: 'x' is not a positive integer"),
        (validSend + ["--concurrency", "0"], "--concurrency: '0' is not a positive integer"),
        (validSend + ["--concurrency", "+5"], "--concurrency: '+5' is not a positive integer"),
        (validSend + ["--concurrency", "100001"], "--concurrency: '100001' is too large (at most 100000)"),
        (validSend + ["--concurrency", "99999999999999999999999"],
         "--concurrency: '99999999999999999999999' is too large (at most 100000)"),
        (validSend + ["--connections", "65"], "--connections: '65' is too large (at most 64)"),
        (validSend + ["--connections", "0"], "--connections: '0' is not a positive integer"),
        (validSend + ["--endpoint", "host:port"], "--endpoint: 'host:port' is not HOST[:PORT] (port 1 to 65535)"),
        (validSend + ["--endpoint", "host:0"], "--endpoint: 'host:0' is not HOST[:PORT] (port 1 to 65535)"),
        (validSend + ["extra"], "send takes no arguments; unexpected 'extra'"),
    ]

    @Test("Validation errors: messages name the options", arguments: errorCases)
    func errors(args: [String], message: String) {
        #expect(usageMessage(args) == message)
    }

    @Test("Boundaries of the numeric ranges are accepted")
    func boundaries() {
        #expect(sendOptions(validSend + ["--concurrency", "1"])?.concurrency == 1)
        #expect(sendOptions(validSend + ["--concurrency", "100000"])?.concurrency == 100_000)
        #expect(sendOptions(validSend + ["--connections", "64"])?.connections == 64)
        #expect(sendOptions(validSend + ["--expiration", "0"])?.expiration == 0)
        #expect(sendOptions(validSend + ["--expiration", "90m"])?.expiresAfter == 5400)
        #expect(sendOptions(validSend + ["--expiration", "2100-01-01T00:00:00Z"])?.expiration == 4_102_444_800)
    }

    @Test("Every known push type and priority is accepted")
    func choicesAccepted() {
        for type in PushType.known {
            #expect(sendOptions(validSend + ["--push-type", type.rawValue])?.pushType == type)
        }
        for priority in [10, 5, 1] {
            #expect(sendOptions(validSend + ["--priority", String(priority)])?.priority == priority)
        }
    }

    @Test("Usage errors point at the command's help")
    func renderedHint() throws {
        guard case .failure(let error) = parse(validSend + ["--concurency", "5"]) else {
            Issue.record("expected a usage error")
            return
        }
        #expect(error.rendered == """
            apnsctl: unknown option '--concurency' (did you mean '--concurrency'?)
            Try 'apnsctl send --help'.

            """)
    }
}
