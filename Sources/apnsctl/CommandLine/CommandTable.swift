import PushCore

/// The one static table of apnsctl's commands. Adding a command (`check`, `report`, `token`,
/// `config`) means adding its `CommandSpec` here and a case to `Invocation`.
enum CommandTable {
    static let programName = "apnsctl"
    static let tagline = "send Apple Push Notifications in batches over HTTP/2"

    /// Options accepted before the command name.
    static let globalOptions: [OptionSpec] = [.help, .version, .verbose, .quiet]

    static let commands: [CommandSpec] = [.send, .check, .broadcast, .channel, .report, .token, .config, .mock, .help,
                                          .generate]

    static func command(named name: String) -> CommandSpec? {
        commands.first { $0.name == name }
    }

    static var commandNames: [String] { commands.map(\.name) }
}

extension OptionSpec {
    static let help = OptionSpec(
        "help", short: "h", category: .general,
        summary: "Print help (for the command, when given after it) and exit")
    static let version = OptionSpec(
        "version", category: .general,
        summary: "Print the version, its commit and the OpenSSL, nghttp2 and zlib it runs with, and exit")
    static let verbose = OptionSpec(
        "verbose", short: "v", category: .general,
        summary: "Say more on stderr; give twice for even more",
        longHelp: ["Repeatable. Progress and diagnostics go to stderr; stdout carries only data. For send: -v logs "
                   + "connection events (connected, SETTINGS, GOAWAY, lost, reconnecting); -vv also logs each request's "
                   + "headers (the provider token shown only by its last 6 characters) and each answer, like curl -v."],
        repeatable: true)
    static let quiet = OptionSpec(
        "quiet", short: "q", category: .general,
        summary: "Print nothing on stderr but errors (wins over --verbose)")
}

extension CommandSpec {
    static let help = CommandSpec(
        name: "help",
        summary: "Show help for apnsctl or for one command",
        synopsis: ["[COMMAND]"],
        description: ["Prints the same text as `apnsctl COMMAND --help`, or the overview when no command is named."],
        operand: OperandSpec(name: "COMMAND",
                             choices: ["send", "check", "broadcast", "channel", "report", "token", "config", "mock",
                                       "help", "generate"],
                             optional: true),
        options: [.help],
        examples: [])

    static let generate = CommandSpec(
        name: "generate",
        summary: "Print the man page, a completion script or the settings table",
        synopsis: ["man|bash|zsh|fish|settings"],
        description: [
            "Prints roff for the man page (`man`), a completion script for bash, zsh or fish, or the config file's "
                + "settings as a Markdown table (`settings`) to stdout, rendered from the same option table as the "
                + "help text.",
            "The repository keeps the output in man/apnsctl.1, completions/apnsctl.bash, completions/_apnsctl, "
                + "completions/apnsctl.fish and (the settings table) README.md.",
        ],
        operand: OperandSpec(name: "TARGET", choices: GenerateTarget.allCases.map(\.rawValue), optional: false),
        options: [.help],
        examples: [
            CommandExample(description: "Install the bash completions for the current user.",
                           command: "apnsctl generate bash > ~/.local/share/bash-completion/completions/apnsctl"),
        ])
}

/// What `apnsctl generate` can print, and where the repository keeps each one.
enum GenerateTarget: String, Sendable, CaseIterable {
    case man, bash, zsh, fish, settings

    /// Path relative to the repository root. The settings table is a marked block inside it, not the whole file.
    var repositoryPath: String {
        switch self {
        case .man: return "man/apnsctl.1"
        case .bash: return "completions/apnsctl.bash"
        case .zsh: return "completions/_apnsctl"
        case .fish: return "completions/apnsctl.fish"
        case .settings: return "README.md"
        }
    }

    /// What the repository holds of this output, given the text of `repositoryPath`; nil when it lacks it.
    func committed(in file: String) -> String? {
        self == .settings ? ConfigSettingsRenderer.block(in: file) : file
    }

    func render() -> String {
        switch self {
        case .man: return ManPageRenderer.render()
        case .bash: return BashCompletionRenderer.render()
        case .zsh: return ZshCompletionRenderer.render()
        case .fish: return FishCompletionRenderer.render()
        case .settings: return ConfigSettingsRenderer.render()
        }
    }
}
