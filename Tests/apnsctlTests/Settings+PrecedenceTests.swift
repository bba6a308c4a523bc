import Testing
import PushCore
@testable import apnsctl

/// A file system of a few config files for the parser (nothing touches the disk).
struct FakeFiles {
    var files: [String: String]

    func read(_ path: String) -> FileRead {
        if let text = files[path] { return .text(text) }
        if path.hasSuffix("/unreadable") { return .failed("Permission denied") }
        return .missing
    }
}

@Suite("Settings: flag > environment > profile > [default] > built-in")
struct SettingsPrecedenceTests {
    static let home = "/home/ada"
    static let configPath = "/home/ada/.config/apnsctl/config"
    static let config = """
        [default]
        topic = com.example.default
        concurrency = 50
        connections = 2
        key = ~/keys/default.p8

        [profile prod]
        topic = com.example.prod
        concurrency = 300
        environment = production
        key-id = PRODKEY001

        [profile broken]
        concurrency = lots
        """

    /// `send` with recipients and a report but no topic, credentials or delivery settings.
    static let bareSend = ["send", "--input", "r.csv", "--report", "out.jsonl"]

    static func parse(_ args: [String], env: [String: String] = ["HOME": home],
                      files: [String: String] = [configPath: config]) -> Result<Invocation, UsageError> {
        parseInvocation(args: args, environment: env, readFile: FakeFiles(files: files).read)
    }

    static func send(_ args: [String], env: [String: String] = ["HOME": home],
                     files: [String: String] = [configPath: config]) -> SendOptions? {
        if case .success(.send(let options)) = parse(args, env: env, files: files) { return options }
        return nil
    }

    static func message(_ args: [String], env: [String: String] = ["HOME": home],
                        files: [String: String] = [configPath: config]) -> String? {
        if case .failure(let error) = parse(args, env: env, files: files) { return error.message }
        return nil
    }

    static let credentials = ["--key-id", "FLAGKEY001", "--team-id", "TEAM000001"]

    @Test("Each layer wins over the ones below it")
    func layers() throws {
        // [default] over built-in defaults.
        let plain = try #require(Self.send(Self.bareSend + Self.credentials))
        #expect(plain.topic == "com.example.default")
        #expect(plain.concurrency == 50)
        #expect(plain.connections == 2)
        #expect(plain.timeoutMs == SendDefaults.timeoutMs)
        #expect(plain.environment == .sandbox)
        #expect(plain.keyFile == "/home/ada/keys/default.p8")

        // The profile over [default]; [default] still fills what the profile leaves out.
        let prod = try #require(Self.send(Self.bareSend + ["--profile", "prod", "--team-id", "TEAM000001"]))
        #expect(prod.topic == "com.example.prod")
        #expect(prod.concurrency == 300)
        #expect(prod.connections == 2)
        #expect(prod.environment == .production)
        #expect(prod.keyID == "PRODKEY001")

        // The environment over the profile.
        let env = ["HOME": Self.home, "APNSCTL_TOPIC": "com.example.env", "APNSCTL_ENVIRONMENT": "sandbox",
                   "APNSCTL_KEY_ID": "ENVKEY0001"]
        let fromEnv = try #require(Self.send(Self.bareSend + ["--profile", "prod", "--team-id", "TEAM000001"], env: env))
        #expect(fromEnv.topic == "com.example.env")
        #expect(fromEnv.environment == .sandbox)
        #expect(fromEnv.keyID == "ENVKEY0001")
        #expect(fromEnv.concurrency == 300)

        // Flags over everything.
        let flags = try #require(Self.send(Self.bareSend + Self.credentials + [
            "--profile", "prod", "--topic", "com.example.flag", "--sandbox", "-c", "7"], env: env))
        #expect(flags.topic == "com.example.flag")
        #expect(flags.environment == .sandbox)
        #expect(flags.keyID == "FLAGKEY001")
        #expect(flags.concurrency == 7)
        #expect(Self.send(Self.bareSend + Self.credentials + ["--profile", "prod", "--environment", "sandbox"])?
            .environment == .sandbox)
        #expect(Self.send(Self.bareSend + Self.credentials, env: ["HOME": Self.home, "APNSCTL_ENVIRONMENT": "production"])?
            .environment == .production)
    }

    @Test("XDG_CONFIG_HOME is used when set (and absolute); --config names any file")
    func location() throws {
        let xdg = ["/xdg/apnsctl/config": "[default]\ntopic = com.example.xdg\nkey = k.p8\n"]
        #expect(Self.send(Self.bareSend + Self.credentials, env: ["HOME": Self.home, "XDG_CONFIG_HOME": "/xdg"],
                          files: xdg)?.topic == "com.example.xdg")
        // A relative XDG_CONFIG_HOME is ignored, as the XDG spec says.
        #expect(Self.send(Self.bareSend + Self.credentials, env: ["HOME": Self.home, "XDG_CONFIG_HOME": "xdg"])?
            .topic == "com.example.default")
        let other = ["/etc/apnsctl.conf": "[default]\ntopic = com.example.other\nkey = keys/k.p8\n"]
        let options = try #require(Self.send(Self.bareSend + Self.credentials + ["--config", "/etc/apnsctl.conf"],
                                             files: other))
        #expect(options.topic == "com.example.other")
        #expect(options.keyFile == "/etc/keys/k.p8")
        // No HOME and no config file: built-in defaults, and the missing topic is reported.
        #expect(Self.message(Self.bareSend + Self.credentials + ["--key", "k.p8"], env: [:])?
            .hasPrefix("--topic is required") == true)
    }

    static let errorCases: [([String], [String: String], String)] = [
        (bareSend + credentials + ["--profile", "prd"], ["HOME": home],
         "profile 'prd' is not in ~/.config/apnsctl/config (its profiles: prod, broken) (did you mean 'prod'?)"),
        (bareSend + credentials + ["--profile", "prod"], ["HOME": "/home/bob"],
         "--profile prod: there is no config file (looked for ~/.config/apnsctl/config; "
            + "see FILES in 'man apnsctl' for its format)"),
        (bareSend + credentials + ["--profile", "prod"], [:],
         "--profile prod: no config file to read it from (HOME is not set; give --config FILE)"),
        (bareSend + credentials + ["--config", "/nowhere/config"], ["HOME": home],
         "--config: /nowhere/config does not exist"),
        (bareSend + credentials + ["--config", "/etc/unreadable"], ["HOME": home],
         "cannot read the config file /etc/unreadable: Permission denied"),
        (bareSend + credentials + ["--profile", "broken"], ["HOME": home],
         "~/.config/apnsctl/config:14: concurrency: 'lots' is not a positive integer"),
        (bareSend + credentials, ["HOME": home, "APNSCTL_ENVIRONMENT": "prod"],
         "APNSCTL_ENVIRONMENT: 'prod' is not one of sandbox, production (did you mean 'production'?)"),
        (bareSend + credentials + ["--environment", "sandbox", "--production"], ["HOME": home],
         "--environment and --production exclude each other"),
        (bareSend + credentials + ["--environment", "prod"], ["HOME": home],
         "--environment: 'prod' is not one of sandbox, production (did you mean 'production'?)"),
    ]

    @Test("Mistakes in any layer name where the value came from", arguments: errorCases)
    func errors(args: [String], env: [String: String], message: String) {
        #expect(Self.message(args, env: env) == message)
    }

    @Test("A bad environment variable is not an error when a flag decides instead")
    func flagShadowsBadVariable() {
        let env = ["HOME": Self.home, "APNSCTL_ENVIRONMENT": "prod"]
        #expect(Self.send(Self.bareSend + Self.credentials + ["--production"], env: env)?.environment == .production)
    }

    @Test("A broken config file stops every command that reads it, with its line")
    func brokenFile() {
        let files = [Self.configPath: "[default]\nconcurency = 5\n"]
        let expected = "~/.config/apnsctl/config:2: unknown setting 'concurency' (did you mean 'concurrency'?)"
        #expect(Self.message(Self.bareSend + Self.credentials, files: files) == expected)
        #expect(Self.message(["token"], files: files) == expected)
        #expect(Self.message(["config", "show"], files: files) == expected)
        // mock has no settings: the file is not read at all.
        #expect((try? Self.parse(["mock"], files: files).get()) == .mock(MockOptions()))
    }

    @Test("token reads the key and IDs from the same layers")
    func token() throws {
        let files = [Self.configPath: "[default]\nkey = k.p8\nteam-id = TEAM000001\n[profile p]\nkey-id = PKEY000001\n"]
        let result = Self.parse(["token", "--profile", "p"], env: ["HOME": Self.home, "APNSCTL_TEAM_ID": "ENVTEAM001"],
                                files: files)
        #expect(result == .success(.token(TokenOptions(key: .file("/home/ada/.config/apnsctl/k.p8"), keyID: "PKEY000001",
                                                       teamID: "ENVTEAM001"))))
        #expect(Self.message(["token", "--key", "k.p8", "--team-id", "T"], files: [:])
            == "--key-id is required (the key's 10-character ID; or set APNSCTL_KEY_ID, or 'key-id = ...' in the config file)")
        #expect(Self.message(["token", "extra"]) == "token takes no arguments; unexpected 'extra'")
    }
}

/// The token credentials' parts, for the precedence tests (nil with certificate authentication).
extension SendOptions {
    var keyFile: String? {
        if case .token(.file(let path), _, _) = credentials { path } else { nil }
    }
    var keyID: String? { if case .token(_, let id, _) = credentials { id } else { nil } }
    var teamID: String? { if case .token(_, _, let team) = credentials { team } else { nil } }
}

@Suite("Certificate or key: flags win over APNSCTL_CERT and APNSCTL_KEY")
struct CertificatePrecedenceTests {
    typealias P = SettingsPrecedenceTests
    static let send = ["send", "--device", String(repeating: "ab", count: 32), "--payload", #"{"aps":{}}"#,
                       "--topic", "com.example.app"]
    static let noConfig = ["HOME": SettingsPrecedenceTests.home]

    @Test("APNSCTL_CERT alone authenticates with the certificate")
    func certificateFromEnvironment() throws {
        let options = try #require(P.send(Self.send, env: Self.noConfig.merging(["APNSCTL_CERT": "push.p12"]) { $1 }, files: [:]))
        #expect(options.credentials == .certificate(CertificateFiles(certificate: .file("push.p12"), key: nil, passwordFile: nil)))
    }

    @Test("--key on the command line sets aside APNSCTL_CERT; --cert sets aside APNSCTL_KEY")
    func flagsWin() throws {
        let keyFlags = ["--key", "k.p8", "--key-id", "KEYID00001", "--team-id", "TEAM000001"]
        let withKey = try #require(P.send(Self.send + keyFlags,
                                          env: Self.noConfig.merging(["APNSCTL_CERT": "push.p12"]) { $1 }, files: [:]))
        #expect(withKey.credentials == .token(key: .file("k.p8"), keyID: "KEYID00001", teamID: "TEAM000001"))
        let withCert = try #require(P.send(Self.send + ["--cert", "push.p12"],
                                           env: Self.noConfig.merging(["APNSCTL_KEY": "k.p8"]) { $1 }, files: [:]))
        #expect(withCert.credentials == .certificate(CertificateFiles(certificate: .file("push.p12"), key: nil, passwordFile: nil)))
    }

    @Test("both only in the environment: a usage error saying how to choose")
    func bothInEnvironment() {
        let env = Self.noConfig.merging(["APNSCTL_CERT": "push.p12", "APNSCTL_KEY": "k.p8"]) { $1 }
        #expect(P.message(Self.send, env: env, files: [:])?.contains("give --cert or --key on the command line") == true)
    }

    /// Base64 of text that is no key or certificate: refused as soon as it is read.
    static let stale = String(repeating: "QUJD", count: 20)

    @Test("the variable a flag sets aside is not read: a stale APNSCTL_CERT or APNSCTL_KEY is no error")
    func setAsideNotRead() throws {
        let keyFlags = ["--key", "k.p8", "--key-id", "KEYID00001", "--team-id", "TEAM000001"]
        let staleCert = Self.noConfig.merging(["APNSCTL_CERT": Self.stale]) { $1 }
        #expect(P.message(Self.send, env: staleCert, files: [:])?.contains("APNSCTL_CERT") == true,
                "the certificate in use is still read, and refused")
        let withKey = try #require(P.send(Self.send + keyFlags, env: staleCert, files: [:]),
                                   "\(P.message(Self.send + keyFlags, env: staleCert, files: [:]) ?? "")")
        #expect(withKey.credentials == .token(key: .file("k.p8"), keyID: "KEYID00001", teamID: "TEAM000001"))
        let staleKey = Self.noConfig.merging(["APNSCTL_KEY": Self.stale]) { $1 }
        let withCert = try #require(P.send(Self.send + ["--cert", "push.p12"], env: staleKey, files: [:]),
                                    "\(P.message(Self.send + ["--cert", "push.p12"], env: staleKey, files: [:]) ?? "")")
        #expect(withCert.credentials == .certificate(CertificateFiles(certificate: .file("push.p12"), key: nil, passwordFile: nil)))
    }

    @Test("both in the environment, one of them stale: still the error saying how to choose, not the stale one's")
    func bothInEnvironmentOneStale() {
        let env = Self.noConfig.merging(["APNSCTL_CERT": Self.stale, "APNSCTL_KEY": "k.p8"]) { $1 }
        let message = P.message(Self.send, env: env, files: [:])
        #expect(message?.contains("give --cert or --key on the command line") == true, "\(message ?? "")")
    }
}
