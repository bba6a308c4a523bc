/// One command-line option, declared once. Parsing, `--help`, the man page and the shell
/// completion scripts are all rendered from these values (ripgrep's `defs.rs` is the model).
struct OptionSpec: Sendable, Equatable {
    /// What an option's value may be completed with by a shell.
    enum Completion: Sendable, Equatable {
        /// A file path.
        case file
        /// A directory path.
        case directory
        /// One of a fixed set of words; the parser also rejects anything else.
        case choices([String])
        /// Free text (or a flag, which has no value).
        case none
    }

    /// Sections that group options in help and in the man page, in display order.
    enum Category: String, Sendable, CaseIterable {
        case server = "Server"
        case tls = "TLS"
        case channels = "Channels"
        case recipients = "Recipients"
        case payload = "Payload"
        case headers = "Headers"
        case credentials = "Credentials"
        case connection = "Connection"
        case report = "Report"
        case monitoring = "Progress, summary and metrics"
        case campaign = "Campaign"
        case responses = "Responses"
        case configuration = "Configuration"
        case general = "General"
    }

    /// The long name without dashes (`concurrency` for `--concurrency`).
    var long: String
    /// The one-letter short name, if any (`c` for `-c`).
    var short: Character?
    /// The value placeholder (`N`, `FILE`); nil for a flag that takes no value.
    var valueName: String?
    var category: Category
    /// One line for `--help`: starts with a capital letter, no final period.
    var summary: String
    /// Extra paragraphs for the man page.
    var longHelp: [String]
    /// Default as shown to users (`100`); rendered from the same constant the parser uses.
    var defaultText: String?
    /// May be given more than once (values accumulate; flags count).
    var repeatable: Bool
    var completion: Completion
    /// Environment variable read when the option is absent.
    var environmentVariable: String?
    /// May be set in the config file, under the option's long name (`concurrency = 200`).
    var inConfigFile: Bool

    init(_ long: String, short: Character? = nil, value valueName: String? = nil,
         category: Category, summary: String, longHelp: [String] = [], defaultText: String? = nil,
         repeatable: Bool = false, completion: Completion = .none, environmentVariable: String? = nil,
         inConfigFile: Bool = false) {
        self.long = long
        self.short = short
        self.valueName = valueName
        self.category = category
        self.summary = summary
        self.longHelp = longHelp
        self.defaultText = defaultText
        self.repeatable = repeatable
        self.completion = completion
        self.environmentVariable = environmentVariable
        self.inConfigFile = inConfigFile
    }

    var takesValue: Bool { valueName != nil }
    /// `--concurrency`.
    var longFlag: String { "--" + long }
    /// `-c`, if there is a short name.
    var shortFlag: String? { short.map { "-\($0)" } }

    /// The words the value must be one of, when the option has fixed choices.
    var choices: [String]? {
        if case .choices(let words) = completion { return words }
        return nil
    }

    /// Where else the value may come from, for help and the man page: `APNSCTL_TOPIC`, config file `topic`.
    var otherSources: String? {
        var parts: [String] = []
        if let name = environmentVariable { parts.append("environment \(name)") }
        if inConfigFile { parts.append("config file '\(long)'") }
        return parts.isEmpty ? nil : parts.joined(separator: ", ")
    }

    /// `-c, --concurrency=<N>` as help shows it (short names aligned in their own column).
    var helpLabel: String {
        let names = (shortFlag.map { "\($0), " } ?? "    ") + longFlag
        return valueName.map { "\(names)=<\($0)>" } ?? names
    }
}

/// A line in a command's EXAMPLES: what it does, then the shell text (may span lines).
struct CommandExample: Sendable, Equatable {
    var description: String
    var command: String
}

/// The positional arguments a command takes (`help [command]`, `generate man|bash|zsh|fish`).
struct OperandSpec: Sendable, Equatable {
    /// As shown in usage lines: `COMMAND`, `TARGET`.
    var name: String
    /// The words accepted (and completed).
    var choices: [String]
    /// May be left out.
    var optional: Bool
    /// What the operand is, for an operand without fixed choices (a file: `apnsctl report FILE`).
    var summary: String? = nil

    /// A file path rather than one of fixed words: completed with file names.
    var isFile: Bool { choices.isEmpty }

    /// Help and man page text: the summary, or the choices.
    var helpText: String {
        summary ?? ("One of: " + choices.joined(separator: ", "))
    }
}

/// One subcommand: its documentation and its options.
struct CommandSpec: Sendable, Equatable {
    var name: String
    /// One line for the command list.
    var summary: String
    /// Usage lines without the leading `apnsctl NAME ` (they may be wrapped by hand).
    var synopsis: [String]
    var description: [String]
    var operand: OperandSpec?
    var options: [OptionSpec]
    var examples: [CommandExample]

    func option(long: String) -> OptionSpec? { options.first { $0.long == long } }
    func option(short: Character) -> OptionSpec? { options.first { $0.short == short } }

    /// Options grouped by category, in category order, each group in table order.
    var optionsByCategory: [(category: OptionSpec.Category, options: [OptionSpec])] {
        OptionSpec.Category.allCases.compactMap { category in
            let group = options.filter { $0.category == category }
            return group.isEmpty ? nil : (category, group)
        }
    }
}
