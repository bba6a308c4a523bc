import PushCore

/// What one run of apnsctl is asked to do: the result of parsing argv.
enum Invocation: Equatable, Sendable {
    case send(SendOptions)
    /// `apnsctl check`: a dry run (`options.plan.dryRun` is set).
    case check(SendOptions)
    /// `apnsctl broadcast`: a send in broadcast mode (`options.broadcast` is set).
    case broadcast(SendOptions)
    case channel(ChannelOptions)
    case mock(MockOptions)
    /// `apnsctl report FILE`.
    case report(ReportOptions)
    /// Help for one command, or the overview when nil.
    case help(command: String?)
    /// `--version` (the same build line with or without `--verbose`).
    case version
    case generate(GenerateTarget)
    case token(TokenOptions)
    case configShow(ConfigReport)
}

/// Parses apnsctl's arguments (without the program name). Pure: reads nothing but its inputs, and the
/// config file only through `readFile` (which tests replace; by default there is no config file).
///
/// Global options (`-h`, `--version`, `-v`, `-q`) may come before the command; `-v`/`-q` there
/// count as if given after it. `-h`/`--help` anywhere before `--` asks for help and wins over
/// any other mistake on the line.
func parseInvocation(args: [String], environment: [String: String],
                     readFile: @escaping (String) -> FileRead = { _ in .missing }) -> Result<Invocation, UsageError> {
    do throws(UsageError) {
        return .success(try InvocationParser(environment: environment, readFile: readFile).parse(args))
    } catch {
        return .failure(error)
    }
}

private struct InvocationParser {
    let environment: [String: String]
    let readFile: (String) -> FileRead

    func parse(_ args: [String]) throws(UsageError) -> Invocation {
        let top = ArgumentScanner(options: CommandTable.globalOptions, command: nil, stopAtFirstOperand: true)
        let (global, rest) = try top.scan(args[...])
        let globalVerbose = global.flags[OptionSpec.verbose.long] ?? 0
        let globalQuiet = global.flags[OptionSpec.quiet.long] ?? 0

        guard let name = rest.first else {
            if global.flags[OptionSpec.help.long] != nil { return .help(command: nil) }
            if global.flags[OptionSpec.version.long] != nil { return .version }
            throw UsageError.missingCommand
        }
        guard let command = CommandTable.command(named: name) else {
            throw UsageError("unknown command '\(name)'"
                + Suggestion.clause(for: name, among: CommandTable.commandNames), command: nil)
        }
        if global.flags[OptionSpec.help.long] != nil { return .help(command: command.name) }
        if global.flags[OptionSpec.version.long] != nil {
            throw UsageError("--version goes before or instead of a command, not with '\(command.name)'", command: nil)
        }
        let commandArgs = rest.dropFirst()
        let beforeDashes = commandArgs.prefix { $0 != "--" }
        if beforeDashes.contains("-h") || beforeDashes.contains("--help") {
            return .help(command: command.name)
        }

        let scanner = ArgumentScanner(options: command.options, command: command.name)
        var (parsed, _) = try scanner.scan(commandArgs)
        if parsed.flags[OptionSpec.help.long] != nil { return .help(command: command.name) }
        for (spec, count) in [(OptionSpec.verbose, globalVerbose), (OptionSpec.quiet, globalQuiet)] where count > 0 {
            guard command.option(long: spec.long) != nil else {
                throw UsageError("\(spec.longFlag) does not apply to '\(command.name)'", command: command.name)
            }
            parsed.flags[spec.long, default: 0] += count
        }
        let loader = ConfigLoader(environment: environment, read: readFile)
        var config: ConfigSelection?
        if command.option(long: OptionSpec.config.long) != nil {
            config = try loader.load(configOption: parsed.values[OptionSpec.config.long]?.last,
                                     profile: parsed.values[OptionSpec.profile.long]?.last, command: command.name)
        }
        var values = OptionValues(parsed, environment: environment, command: command.name, config: config)

        switch command.name {
        case CommandSpec.send.name:
            return .send(try SendOptions.build(from: &values))
        case CommandSpec.check.name:
            return .check(try SendOptions.build(from: &values, check: true))
        case CommandSpec.broadcast.name:
            return .broadcast(try SendOptions.build(from: &values, broadcast: true))
        case CommandSpec.channel.name:
            return .channel(try ChannelOptions.build(from: &values, operands: parsed.operands))
        case CommandSpec.mock.name:
            return .mock(try MockOptions.build(from: &values))
        case CommandSpec.report.name:
            return .report(try ReportOptions.build(from: &values, operands: parsed.operands))
        case CommandSpec.help.name:
            return try helpTopic(parsed.operands, command: command.name)
        case CommandSpec.generate.name:
            return try generateTarget(parsed.operands, command: command.name)
        case CommandSpec.token.name:
            return .token(try TokenOptions.build(from: &values))
        case CommandSpec.config.name:
            try configAction(parsed.operands, command: command.name)
            return .configShow(try ConfigReport.build(from: &values, config: config,
                                                      defaultPath: loader.defaultPath.map(loader.display)))
        default:
            preconditionFailure("command '\(command.name)' is in the table but has no parser")
        }
    }

    private func helpTopic(_ operands: [String], command: String) throws(UsageError) -> Invocation {
        guard let topic = operands.first else { return .help(command: nil) }
        guard operands.count == 1 else {
            throw UsageError("help takes one command at most; unexpected '\(operands[1])'", command: command)
        }
        guard CommandTable.command(named: topic) != nil else {
            throw UsageError("unknown command '\(topic)'"
                + Suggestion.clause(for: topic, among: CommandTable.commandNames), command: command)
        }
        return .help(command: topic)
    }

    private func configAction(_ operands: [String], command: String) throws(UsageError) {
        let names = ConfigAction.allCases.map(\.rawValue)
        guard let word = operands.first else {
            throw UsageError("config needs an action: \(names.joined(separator: ", "))", command: command)
        }
        guard ConfigAction(rawValue: word) != nil else {
            throw UsageError("unknown action '\(word)'; use \(names.joined(separator: ", "))"
                + Suggestion.clause(for: word, among: names), command: command)
        }
        guard operands.count == 1 else {
            throw UsageError("config \(word) takes no arguments; unexpected '\(operands[1])'", command: command)
        }
    }

    private func generateTarget(_ operands: [String], command: String) throws(UsageError) -> Invocation {
        let names = GenerateTarget.allCases.map(\.rawValue)
        guard let word = operands.first else {
            throw UsageError("generate needs a target: \(names.joined(separator: ", "))", command: command)
        }
        guard operands.count == 1 else {
            throw UsageError("generate takes one target; unexpected '\(operands[1])'", command: command)
        }
        guard let target = GenerateTarget(rawValue: word) else {
            throw UsageError("unknown target '\(word)'; use one of \(names.joined(separator: ", "))"
                + Suggestion.clause(for: word, among: names), command: command)
        }
        return .generate(target)
    }
}
