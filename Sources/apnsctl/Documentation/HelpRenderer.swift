import PushCore

/// `--help` text, rendered from the command table in h2load's layout: `  -c, --concurrency=<N>`,
/// the description at a fixed column, then `Default:` from the live default.
enum HelpRenderer {
    static let width = 80
    /// Column where option descriptions start.
    static let descriptionColumn = 28

    /// The overview: commands, global options, exit statuses.
    static func overview() -> String {
        let program = CommandTable.programName
        var out: [String] = [
            "\(program) \(APNsCtlVersion.current): \(CommandTable.tagline)",
            "",
            "Usage: \(program) <command> [options]",
            "       \(program) --version | --help",
            "",
            "Commands:",
        ]
        for command in CommandTable.commands {
            out += row(label: "  " + command.name, text: command.summary, column: 14)
        }
        out += ["", "Global options:"]
        for option in CommandTable.globalOptions { out += optionRows(option) }
        out += [""] + exitStatusSection()
        out += ["", "Run '\(program) help <command>' for a command's options; 'man \(program)' for more."]
        return out.joined(separator: "\n") + "\n"
    }

    /// Help for one command: usage, description, options by category, exit statuses, examples.
    static func help(for command: CommandSpec) -> String {
        let lead = "Usage: \(CommandTable.programName) \(command.name) "
        var out: [String] = []
        for (index, line) in command.synopsis.enumerated() {
            out.append((index == 0 ? lead : String(repeating: " ", count: lead.count)) + line)
        }
        if command.synopsis.isEmpty { out.append(lead.trimmingTrailingSpace) }
        for paragraph in command.description {
            out += [""] + TextWrap.wrap(TextWrap.plain(paragraph), width: width)
        }
        if let operand = command.operand {
            out += ["", "Arguments:"]
            out += row(label: "  " + operand.name,
                       text: operand.helpText + (operand.optional ? " (optional)" : ""),
                       column: descriptionColumn)
        }
        for (category, options) in command.optionsByCategory {
            out += ["", "\(category.rawValue):"]
            for option in options { out += optionRows(option) }
        }
        if [CommandSpec.send.name, CommandSpec.check.name, CommandSpec.mock.name].contains(command.name) {
            out += [""] + exitStatusSection()
        }
        if !command.examples.isEmpty {
            out += ["", "Examples:"]
            for example in command.examples {
                out += TextWrap.wrap(example.description, width: width, indent: 2)
                out += example.command.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }
                out.append("")
            }
            out.removeLast()
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// The rows of one option: label, summary, choices, default, environment variable.
    static func optionRows(_ option: OptionSpec) -> [String] {
        var text = [option.summary]
        if let choices = option.choices {
            text.append("One of: " + choices.joined(separator: ", ") + ".")
        }
        if let value = option.defaultText { text.append("Default: \(value)") }
        var sources: [String] = []
        if let name = option.environmentVariable { sources.append("Env: \(name)") }
        if option.inConfigFile { sources.append("Config file: \(option.long)") }
        if !sources.isEmpty { text.append(sources.joined(separator: ". ")) }
        var rows = row(label: "  " + option.helpLabel, text: text[0], column: descriptionColumn)
        for more in text.dropFirst() {
            rows += TextWrap.wrap(more, width: width, indent: descriptionColumn)
        }
        return rows
    }

    static func exitStatusSection() -> [String] {
        var out = ["Exit status:"]
        for status in ExitStatus.allCases {
            out += row(label: "  \(status.rawValue)", text: status.meaning, column: 8)
        }
        return out
    }

    /// A label, then text at `column` (on the next line when the label is too wide).
    private static func row(label: String, text: String, column: Int) -> [String] {
        if label.count + 2 > column {
            return [label] + TextWrap.wrap(text, width: width, indent: column)
        }
        var lines = TextWrap.wrap(text, width: width, indent: column)
        let first = lines[0].dropFirst(column)
        lines[0] = label.padding(to: column) + first
        return lines
    }
}

extension String {
    func padding(to length: Int) -> String {
        count >= length ? self : self + String(repeating: " ", count: length - count)
    }

    var trimmingTrailingSpace: String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
