import Testing
import PushCore
@testable import apnsctl

@Suite("Command table: consistency rules")
struct CommandTableConsistencyTests {
    @Test("Long and short names are unique within each command", arguments: CommandTable.commands.map(\.name))
    func uniqueNames(name: String) throws {
        let command = try #require(CommandTable.command(named: name))
        let longs = command.options.map(\.long)
        let shorts = command.options.compactMap(\.short)
        #expect(Set(longs).count == longs.count)
        #expect(Set(shorts).count == shorts.count)
        #expect(longs.allSatisfy { $0.allSatisfy { $0.isLowercase || $0 == "-" } && !$0.hasPrefix("-") })
    }

    @Test("A short name means the same option in every command that has it")
    func sharedShortNames() {
        var meaning: [Character: String] = [:]
        for option in CommandTable.commands.flatMap(\.options) + CommandTable.globalOptions {
            guard let short = option.short else { continue }
            #expect(meaning[short, default: option.long] == option.long, "-\(short) means two things")
            meaning[short] = option.long
        }
    }

    @Test("Summaries are one capitalised line without a final period; value names are upper case")
    func wording() {
        for option in CommandTable.commands.flatMap(\.options) {
            #expect(option.summary.first?.isUppercase == true, "\(option.longFlag)")
            #expect(!option.summary.hasSuffix("."), "\(option.longFlag)")
            #expect(!option.summary.contains("\n"))
            if let value = option.valueName {
                #expect(value == value.uppercased(), "\(option.longFlag)=<\(value)>")
            }
            // A flag cannot have fixed choices; choices need a value.
            if option.choices != nil { #expect(option.takesValue) }
        }
    }

    @Test("Every option of a command is in its synopsis (help aside)", arguments: CommandTable.commands.map(\.name))
    func synopsisMentionsOptions(name: String) throws {
        let command = try #require(CommandTable.command(named: name))
        let synopsis = command.synopsis.joined(separator: " ")
        for option in command.options where option.long != OptionSpec.help.long {
            #expect(synopsis.contains(option.longFlag + " ") || synopsis.contains(option.longFlag + "]"),
                    "\(name) synopsis lacks \(option.longFlag)")
        }
    }

    @Test("Path options complete files; fixed sets complete their choices")
    func completionKinds() {
        typealias S = OptionSpec.Send
        for option in [S.input, S.template, S.key, S.caFile, S.report] {
            #expect(option.completion == .file, "\(option.longFlag)")
        }
        #expect(S.pushType.choices == PushType.known.map(\.rawValue))
        #expect(S.priority.choices == ["10", "5", "1"])
        #expect(S.format.choices == ["csv", "jsonl"])
        #expect(S.reportFormat.choices == ["jsonl", "csv"])
        for option in CommandSpec.mock.options where ["FILE", "PEM"].contains(option.valueName ?? "") {
            #expect(option.completion == .file, "\(option.longFlag)")
        }
    }

    @Test("help's operand lists exactly the commands of the table")
    func helpOperand() {
        #expect(CommandSpec.help.operand?.choices == CommandTable.commandNames)
        #expect(CommandSpec.generate.operand?.choices == GenerateTarget.allCases.map(\.rawValue))
    }

    @Test("Repeatable options are the documented ones")
    func repeatables() {
        let repeatable = Set(CommandTable.commands.flatMap(\.options).filter(\.repeatable).map(\.long))
        #expect(repeatable == ["device", "verbose", "respond", "silent", "timestamp", "respond-channel", "respond-manage"])
    }

    @Test("No option reads a secret from the command line")
    func noSecretOptions() {
        let secretWords = ["password", "passphrase", "secret", "jwt", "bearer"]
        // An option naming the file a secret is kept in (--cert-password-file) is the safe way, and allowed.
        for option in CommandTable.commands.flatMap(\.options) where !(option.long.hasSuffix("-file")
                                                                         && option.completion == .file) {
            #expect(!secretWords.contains { option.long.contains($0) }, "\(option.longFlag)")
        }
    }

    /// What each command does with no arguments; a new command in the table must be added here.
    static let bareCommand: [String: Result<Invocation, UsageError>] = [
        "send": .failure(UsageError("send needs recipients: --input FILE or --device TOKEN", command: "send")),
        "check": .failure(UsageError("check needs recipients: --input FILE or --device TOKEN", command: "check")),
        "broadcast": .failure(UsageError("broadcast needs --input FILE: rows with a channel_id column (apnsctl "
            + "channel create writes one)", command: "broadcast")),
        "channel": .failure(UsageError("channel needs an operation: create, read, delete, list", command: "channel")),
        "mock": .success(.mock(MockOptions())),
        "token": .failure(UsageError("--key is required (the .p8 signing key; or set APNSCTL_KEY, "
            + "or 'key = ...' in the config file)", command: "token")),
        "config": .failure(UsageError("config needs an action: show", command: "config")),
        "report": .failure(UsageError("report needs the report file to read (or - for stdin)", command: "report")),
        "help": .success(.help(command: nil)),
        "generate": .failure(UsageError("generate needs a target: man, bash, zsh, fish, settings", command: "generate")),
    ]

    @Test("Every command in the table reaches its own parser")
    func everyCommandParses() {
        #expect(Set(Self.bareCommand.keys) == Set(CommandTable.commandNames))
        for name in CommandTable.commandNames {
            #expect(parse([name]) == Self.bareCommand[name], "\(name)")
        }
    }
}
