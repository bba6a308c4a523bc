import Testing
@testable import apnsctl

@Suite("config show: effective settings and their sources")
struct ConfigReportSourcesTests {
    static func report(_ args: [String], env: [String: String] = ["HOME": SettingsPrecedenceTests.home],
                       files: [String: String] = [SettingsPrecedenceTests.configPath: SettingsPrecedenceTests.config])
        throws -> ConfigReport {
        let result = SettingsPrecedenceTests.parse(["config", "show"] + args, env: env, files: files)
        guard case .success(.configShow(let report)) = result else {
            Issue.record("expected a config report, got \(result)")
            throw ConfigFileError(path: "", line: nil, message: "no report")
        }
        return report
    }

    static func entry(_ report: ConfigReport, _ name: String) -> ConfigReport.Entry? {
        report.entries.first { $0.setting == name }
    }

    @Test("Every setting is listed once, in table order, with its value and source")
    func sources() throws {
        let env = ["HOME": SettingsPrecedenceTests.home, "APNSCTL_TEAM_ID": "ENVTEAM001"]
        let report = try Self.report(["--profile", "prod", "--connections", "3"], env: env)
        #expect(report.entries.map(\.setting) == CommandSpec.settingOptions.map(\.long))
        let path = "~/.config/apnsctl/config"
        #expect(Self.entry(report, "topic") == .init(setting: "topic", value: "com.example.prod",
                                                     source: .config(path: path, line: 8, section: .profile("prod"))))
        #expect(Self.entry(report, "key")?.value == "/home/ada/keys/default.p8")
        #expect(Self.entry(report, "key")?.source == .config(path: path, line: 5, section: .defaults))
        #expect(Self.entry(report, "team-id") == .init(setting: "team-id", value: "ENVTEAM001",
                                                       source: .environment("APNSCTL_TEAM_ID")))
        #expect(Self.entry(report, "connections") == .init(setting: "connections", value: "3", source: .flag))
        #expect(Self.entry(report, "environment")?.value == "production")
        #expect(Self.entry(report, "timeout") == .init(setting: "timeout", value: "30s", source: .builtIn))
        #expect(Self.entry(report, "push-type") == .init(setting: "push-type", value: nil, source: nil))
        #expect(report.profile == "prod")
        #expect(report.profiles == ["prod", "broken"])
        #expect(report.configExists)
        // --production is a flag for the environment setting.
        #expect(Self.entry(try Self.report(["--production"]), "environment")
            == .init(setting: "environment", value: "production", source: .flag))
    }

    @Test("The rendered table: header, aligned columns, sources as the brief spells them")
    func render() throws {
        let report = ConfigReport(
            configPath: "~/.config/apnsctl/config", configExists: true, profile: "prod", profiles: ["prod"],
            entries: [
                .init(setting: "topic", value: "com.example.app",
                      source: .config(path: "~/.config/apnsctl/config", line: 12, section: .profile("prod"))),
                .init(setting: "key-id", value: "ABC123DEFG", source: .environment("APNSCTL_KEY_ID")),
                .init(setting: "concurrency", value: "7", source: .flag),
                .init(setting: "timeout", value: "30s", source: .builtIn),
                .init(setting: "push-type", value: nil, source: nil),
            ])
        #expect(report.render() == """
            config file: ~/.config/apnsctl/config (profiles: prod)
            profile: prod

            topic        com.example.app  config ~/.config/apnsctl/config:12 [profile prod]
            key-id       ABC123DEFG       env APNSCTL_KEY_ID
            concurrency  7                flag
            timeout      30s              default
            push-type    (not set)

            """)
    }

    @Test("Without a config file the header says where it would be")
    func noFile() throws {
        let report = try Self.report([], files: [:])
        #expect(report.render().hasPrefix("config file: ~/.config/apnsctl/config (does not exist)\n"
            + "profile: none (only [default] applies)\n"))
        #expect(report.entries.allSatisfy { $0.source == nil || $0.source == .builtIn })
        #expect(try Self.report([], env: [:], files: [:]).render().hasPrefix("config file: none (HOME is not set)\n"))
    }

    @Test("Values are checked as send checks them")
    func checks() {
        #expect(SettingsPrecedenceTests.message(["config", "show", "--profile", "broken"])
            == "~/.config/apnsctl/config:14: concurrency: 'lots' is not a positive integer")
        #expect(SettingsPrecedenceTests.message(["config", "show", "--timeout", "soon"])
            == "--timeout: 'soon' is not a duration (for example 500ms, 30s, 5m)")
        #expect(SettingsPrecedenceTests.message(["config", "show"],
                                                files: [SettingsPrecedenceTests.configPath: "[default]\nendpoint = a:b\n"])
            == "~/.config/apnsctl/config:2: endpoint: 'a:b' is not HOST[:PORT] (port 1 to 65535)")
        #expect(SettingsPrecedenceTests.message(["config"]) == "config needs an action: show")
        #expect(SettingsPrecedenceTests.message(["config", "shwo"]) == "unknown action 'shwo'; use show (did you mean 'show'?)")
        #expect(SettingsPrecedenceTests.message(["config", "show", "x"]) == "config show takes no arguments; unexpected 'x'")
    }

    @Test("Key files are shown by path; no setting holds a secret")
    func noSecrets() throws {
        let report = try Self.report(["--key", "/secret/AuthKey.p8"])
        #expect(Self.entry(report, "key")?.value == "/secret/AuthKey.p8")
        #expect(CommandSpec.settingOptions.allSatisfy { !["password", "secret"].contains(where: $0.long.contains) })
    }
}
