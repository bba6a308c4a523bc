import Testing
@testable import apnsctl

@Suite("Config file: parsing by hand")
struct ConfigFileParsingTests {
    static let parser = ConfigFileParser(settings: CommandSpec.settingOptions,
                                         otherOptions: CommandSpec.send.options.map(\.long), home: "/home/ada")

    static func parse(_ text: String) throws(ConfigFileError) -> ConfigFile {
        try parser.parse(text, displayPath: "~/.config/apnsctl/config", directory: "/home/ada/.config/apnsctl")
    }

    /// The error message for `text`, or nil when it parses.
    static func error(_ text: String) -> String? {
        do {
            _ = try parse(text)
            return nil
        } catch {
            return error.description
        }
    }

    @Test("Sections, settings, comments, quotes and line numbers")
    func wellFormed() throws {
        let file = try Self.parse("""
            # apnsctl settings
            ; another comment style

            [default]
            team-id = DEF123GHIJ
            concurrency=50   # inline comment after a space

            [profile prod-app]
              topic  =  com.example.app\r
            endpoint = 127.0.0.1:2197;not a comment without a space before it
            key = "keys/Auth Key #1.p8"   ; quoted: spaces and # kept
            environment = production
            """)
        #expect(file.profileNames == ["prod-app"])
        let defaults = try #require(file.section(.defaults))
        #expect(defaults.line == 4)
        #expect(defaults.settings == [
            ConfigFile.Setting(name: "team-id", value: "DEF123GHIJ", line: 5),
            ConfigFile.Setting(name: "concurrency", value: "50", line: 6),
        ])
        let prod = try #require(file.section(.profile("prod-app")))
        #expect(prod.setting("topic") == ConfigFile.Setting(name: "topic", value: "com.example.app", line: 9))
        #expect(prod.setting("endpoint")?.value == "127.0.0.1:2197;not a comment without a space before it")
        #expect(prod.setting("key")?.value == "/home/ada/.config/apnsctl/keys/Auth Key #1.p8")
        #expect(prod.setting("environment")?.line == 12)
    }

    @Test("Paths: ~/ is the home directory, relative paths start at the config file's directory")
    func paths() throws {
        let file = try Self.parse("""
            [default]
            key = ~/keys/AuthKey_ABC123DEFG.p8
            ca-file = /etc/ssl/ca.pem
            [profile a]
            key = AuthKey.p8
            ca-file = "escaped \\"quote\\" and \\\\ backslash.pem"
            """)
        #expect(file.section(.defaults)?.setting("key")?.value == "/home/ada/keys/AuthKey_ABC123DEFG.p8")
        #expect(file.section(.defaults)?.setting("ca-file")?.value == "/etc/ssl/ca.pem")
        #expect(file.section(.profile("a"))?.setting("key")?.value == "/home/ada/.config/apnsctl/AuthKey.p8")
        #expect(file.section(.profile("a"))?.setting("ca-file")?.value
            == #"/home/ada/.config/apnsctl/escaped "quote" and \ backslash.pem"#)
        // Values that are not paths are left alone.
        #expect(try Self.parse("[default]\ntopic = ~/x").section(.defaults)?.setting("topic")?.value == "~/x")
    }

    @Test("An empty file, or one with only comments, has no sections")
    func empty() throws {
        #expect(try Self.parse("").sections.isEmpty)
        #expect(try Self.parse("# nothing\n\n; here\n").sections.isEmpty)
    }

    static let errorCases: [(String, String)] = [
        ("[default]\n\n\n\n\n\nconcurency = 5",
         "~/.config/apnsctl/config:7: unknown setting 'concurency' (did you mean 'concurrency'?)"),
        ("[default]\nfrobnicate = 1",
         "~/.config/apnsctl/config:2: unknown setting 'frobnicate' (settings: topic, push-type, priority, key, "
            + "key-id, team-id, cert, environment, endpoint, ca-file, concurrency, connections, timeout, connect-timeout, pause-max, grace-period, retries, rate)"),
        ("[default]\ninput = list.csv",
         "~/.config/apnsctl/config:2: 'input' cannot be set in the config file, only on the command line "
            + "(settings: topic, push-type, priority, key, key-id, team-id, cert, environment, endpoint, ca-file, "
            + "concurrency, connections, timeout, connect-timeout, pause-max, grace-period, retries, rate)"),
        ("[default]\nkey-password = hunter2",
         "~/.config/apnsctl/config:2: 'key-password' is not a setting: apnsctl never reads secrets from the config file"),
        ("topic = com.example.app",
         "~/.config/apnsctl/config:1: 'topic' is outside a section; put it under [default] or [profile NAME]"),
        ("[prod]", "~/.config/apnsctl/config:1: unknown section '[prod]'; sections are [default] and [profile NAME] "
            + "(did you mean '[profile prod]'?)"),
        ("[profile]", "~/.config/apnsctl/config:1: unknown section '[profile]'; sections are [default] and [profile NAME]"),
        ("[profile a b]", "~/.config/apnsctl/config:1: unknown section '[profile a b]'; sections are [default] and "
            + "[profile NAME]"),
        ("[profile prod", "~/.config/apnsctl/config:1: a section header must end with ']': '[profile prod'"),
        ("[profile pr/od]", "~/.config/apnsctl/config:1: profile name 'pr/od' may only have letters, digits, '-', '_' and '.'"),
        ("[default]\n[profile a]\n[default]",
         "~/.config/apnsctl/config:3: [default] appears twice (first on line 1); keep one and merge the settings into it"),
        ("[default]\ntopic = a\ntopic = b",
         "~/.config/apnsctl/config:3: 'topic' is set twice in [default] (first on line 2)"),
        ("[default]\ntopic com.example.app", "~/.config/apnsctl/config:2: expected 'setting = value', found 'topic com.example.app'"),
        ("[default]\n= x", "~/.config/apnsctl/config:2: a setting name is missing before '='"),
        ("[default]\ntopic =", "~/.config/apnsctl/config:2: 'topic' has no value (write 'topic = VALUE', or remove the line)"),
        ("[default]\ntopic = # only a comment", "~/.config/apnsctl/config:2: 'topic' has no value (write 'topic = VALUE', "
            + "or remove the line)"),
        ("[default]\ntopic = \"open", "~/.config/apnsctl/config:2: the quoted value of 'topic' has no closing '\"'"),
        ("[default]\ntopic = \"a\" b", "~/.config/apnsctl/config:2: unexpected 'b' after the quoted value of 'topic'"),
        ("[default]\ntopic = \"a\\nb\"",
         "~/.config/apnsctl/config:2: in the quoted value of 'topic', only \\\" and \\\\ may follow a backslash"),
        ("[default]\nenvironment = prod",
         "~/.config/apnsctl/config:2: environment: 'prod' is not one of sandbox, production (did you mean 'production'?)"),
        ("[default]\npriority = 11", "~/.config/apnsctl/config:2: priority: '11' is not one of 10, 5, 1 (did you mean '10'?)"),
        ("[default]\npush-type = alret",
         "~/.config/apnsctl/config:2: push-type: 'alret' is not one of alert, background, complication, controls, "
            + "fileprovider, liveactivity, location, mdm, pushtotalk, voip, widgets (did you mean 'alert'?)"),
    ]

    @Test("Mistakes name the file, the line and what to do", arguments: errorCases)
    func errors(text: String, message: String) {
        #expect(Self.error(text) == message)
    }

    @Test("CRLF line ends count lines the same way")
    func crlf() {
        #expect(Self.error("[default]\r\n\r\nconcurency = 5\r\n")
            == "~/.config/apnsctl/config:3: unknown setting 'concurency' (did you mean 'concurrency'?)")
    }
}
