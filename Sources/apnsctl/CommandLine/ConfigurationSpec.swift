/// The config file options and the two commands that live on configuration: `apnsctl token` and
/// `apnsctl config show`.
extension OptionSpec {
    static let config = OptionSpec(
        "config", value: "FILE", category: .configuration,
        summary: "Read settings from FILE instead of the default config file",
        longHelp: ["The default is $XDG_CONFIG_HOME/apnsctl/config, or ~/.config/apnsctl/config when "
            + "XDG_CONFIG_HOME is not set; it may be missing, FILE may not. See FILES for the format."],
        defaultText: "~/.config/apnsctl/config",
        completion: .file)
    static let profile = OptionSpec(
        "profile", value: "NAME", category: .configuration,
        summary: "Use the settings of [profile NAME] in the config file",
        longHelp: ["They win over the [default] section; the environment and the command line win over both."])
}

extension CommandSpec {
    static let token = CommandSpec(
        name: "token",
        summary: "Print a fresh provider token (JWT), for curl and debugging",
        synopsis: ["(--key FILE | --key-env NAME) --key-id ID --team-id ID", "[--config FILE] [--profile NAME]"],
        description: [
            "Signs a provider token with the .p8 key and prints it on stdout, followed by a newline, and nothing "
                + "else. The key, key ID and team ID come from the options, the environment or the config file, "
                + "as for `apnsctl send`. APNs accepts a token for an hour; it refuses tokens renewed more often "
                + "than every 20 minutes on one connection.",
            "Exits 0 with the token, 2 when an ID is malformed (nothing is printed on stdout), 3 when the key "
                + "cannot be read or used.",
        ],
        operand: nil,
        options: [OptionSpec.Send.key, OptionSpec.Send.keyEnv, OptionSpec.Send.keyID, OptionSpec.Send.teamID, .config, .profile, .help],
        examples: [
            CommandExample(
                description: "One notification with curl, with the key of the prod-app profile.",
                command: """
                    jwt=$(apnsctl token --profile prod-app)
                    curl --http2 -H "authorization: bearer $jwt" \\
                        -H 'apns-topic: com.example.app' -H 'apns-push-type: alert' \\
                        -d '{"aps":{"alert":"Hello"}}' \\
                        https://api.push.apple.com/3/device/"$TOKEN"
                    """),
        ])

    static let config = CommandSpec(
        name: "config",
        summary: "Show the effective settings and where each comes from",
        synopsis: ["show [--config FILE] [--profile NAME]"] + settingSynopsis,
        description: [
            "`apnsctl config show` prints each setting the config file may hold with the value `apnsctl send` "
                + "would use and where it comes from: flag, env VARIABLE, config FILE:LINE [section], or default. "
                + "Options of `send` that are settings may be given to see how they combine. Key files are shown "
                + "by path; their contents never are.",
        ],
        operand: OperandSpec(name: "ACTION", choices: ConfigAction.allCases.map(\.rawValue), optional: false),
        options: CommandSpec.settingOptions + [OptionSpec.Send.production, OptionSpec.Send.sandbox,
                                               .config, .profile, .help],
        examples: [
            CommandExample(description: "What a cron job with the prod-app profile would use.",
                           command: "apnsctl config show --profile prod-app"),
        ])

    /// The options of `send` that the config file may set, in table order.
    static var settingOptions: [OptionSpec] { send.options.filter(\.inConfigFile) }

    /// `[--key FILE] [--key-id ID] ...`, wrapped to fit help's 80 columns, then the environment flags.
    private static var settingSynopsis: [String] {
        var lines = [""]
        for word in settingOptions.map({ "[\($0.longFlag) \($0.valueName ?? "")]" }) {
            if !lines[lines.count - 1].isEmpty, lines[lines.count - 1].count + 1 + word.count > 56 { lines.append("") }
            lines[lines.count - 1] += (lines[lines.count - 1].isEmpty ? "" : " ") + word
        }
        lines.append("[--production | --sandbox]")
        return lines
    }
}

/// What `apnsctl config` can do.
enum ConfigAction: String, Sendable, CaseIterable {
    case show
}
