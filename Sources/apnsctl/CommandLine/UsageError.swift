/// A mistake on the command line. Printed on stderr as `apnsctl: MESSAGE` and a hint naming the
/// help to read; apnsctl then exits with `ExitStatus.usage` without sending anything.
struct UsageError: Error, Equatable, Sendable {
    /// The sentence after `apnsctl: `; empty when no command was given.
    var message: String
    /// The command whose `--help` the hint names; nil for the overview.
    var command: String?

    init(_ message: String, command: String?) {
        self.message = message
        self.command = command
    }

    /// No command at all: the short usage is the whole message.
    static let missingCommand = UsageError("", command: nil)

    /// The text for stderr, ending in a newline.
    var rendered: String {
        let program = CommandTable.programName
        let hint = "Try '\(program)\(command.map { " " + $0 } ?? "") --help'.\n"
        if self == .missingCommand {
            return "Usage: \(program) <command> [options]\n"
                + "Commands: \(CommandTable.commandNames.joined(separator: ", "))\n" + hint
        }
        return "\(program): \(message)\n" + hint
    }
}
