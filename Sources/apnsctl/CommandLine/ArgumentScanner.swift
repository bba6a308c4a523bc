import PushCore

/// What the user typed, sorted by option: stage one of parsing (no meaning attached yet).
struct ParsedArguments: Equatable, Sendable {
    /// Values by long name, in the order given.
    var values: [String: [String]] = [:]
    /// How often each flag was given, by long name.
    var flags: [String: Int] = [:]
    /// Words that are not options (and everything after `--`).
    var operands: [String] = []
}

/// Splits argv into options and operands against a list of `OptionSpec`s.
///
/// Accepts `--opt value`, `--opt=value`, `-c 10`, `-c10`, `-c=10`, bundled flags (`-vq`, `-vc10`),
/// `--` to end options and `-` as a value or operand. A separate word starting with `-` is not
/// taken as a value (so `--topic --key k` says `--topic needs a value`), except `-` itself and
/// negative numbers, which reach value checking. Choices are checked here; everything else in stage two.
struct ArgumentScanner: Sendable {
    var options: [OptionSpec]
    /// The command being parsed: named in the hint after an error. Nil at the top level.
    var command: String?
    /// Stop at the first operand and return it with the rest (the top level stops at the command name).
    var stopAtFirstOperand = false

    func scan(_ args: ArraySlice<String>) throws(UsageError) -> (parsed: ParsedArguments, rest: ArraySlice<String>) {
        var parsed = ParsedArguments()
        var i = args.startIndex
        var optionsEnded = false
        while i < args.endIndex {
            let arg = args[i]
            if optionsEnded || arg == "-" || !arg.hasPrefix("-") {
                if stopAtFirstOperand { return (parsed, args[i...]) }
                parsed.operands.append(arg)
                i += 1
                continue
            }
            i += 1
            if arg == "--" {
                optionsEnded = true
                if stopAtFirstOperand { return (parsed, args[i...]) }
                continue
            }
            if arg.hasPrefix("--") {
                let body = arg.dropFirst(2)
                let name = body.firstIndex(of: "=").map { String(body[..<$0]) } ?? String(body)
                let inline = body.firstIndex(of: "=").map { String(body[body.index(after: $0)...]) }
                guard let spec = options.first(where: { $0.long == name }) else {
                    throw unknownOption("--" + name)
                }
                if spec.takesValue {
                    if let inline {
                        try record(spec, value: inline, typed: "--" + name, into: &parsed)
                    } else if i < args.endIndex, Self.isValueWord(args[i]) {
                        try record(spec, value: args[i], typed: "--" + name, into: &parsed)
                        i += 1
                    } else {
                        throw error("\(spec.longFlag) needs a value")
                    }
                } else {
                    if inline != nil { throw error("\(spec.longFlag) takes no value") }
                    try recordFlag(spec, into: &parsed)
                }
                continue
            }
            // A cluster of short options: -v, -vq, -c10, -vc 10.
            let letters = Array(arg.dropFirst())
            if letters.count > 1, options.contains(where: { $0.long == String(letters) }) {
                throw error("unknown option '\(arg)' (did you mean '--\(String(letters))'?)")
            }
            var j = 0
            while j < letters.count {
                let letter = letters[j]
                guard let spec = options.first(where: { $0.short == letter }) else {
                    throw unknownOption("-\(letter)")
                }
                j += 1
                guard spec.takesValue else {
                    try recordFlag(spec, into: &parsed)
                    continue
                }
                var attached = String(letters[j...])
                if attached.hasPrefix("=") { attached.removeFirst() }
                if !attached.isEmpty || j < letters.count {
                    try record(spec, value: attached, typed: "-\(letter)", into: &parsed)
                } else if i < args.endIndex, Self.isValueWord(args[i]) {
                    try record(spec, value: args[i], typed: "-\(letter)", into: &parsed)
                    i += 1
                } else {
                    throw error("-\(letter) needs a value")
                }
                break
            }
        }
        return (parsed, args[args.endIndex...])
    }

    /// Whether a separate word can be an option's value: anything not starting with `-`,
    /// `-` itself, and negative numbers (so `--expiration -1` gets a value error, not "needs a value").
    static func isValueWord(_ word: String) -> Bool {
        guard word.hasPrefix("-"), word != "-" else { return true }
        let rest = word.dropFirst()
        return !rest.isEmpty && rest.allSatisfy(\.isASCIIDigit)
    }

    private func record(_ spec: OptionSpec, value: String, typed: String,
                        into parsed: inout ParsedArguments) throws(UsageError) {
        if value.isEmpty { throw error("\(typed) needs a value") }
        if !spec.repeatable, parsed.values[spec.long] != nil {
            throw error("\(spec.longFlag) was given more than once")
        }
        if let choices = spec.choices, !choices.contains(value) {
            throw error("\(spec.longFlag): '\(value)' is not one of \(choices.joined(separator: ", "))"
                + Suggestion.clause(for: value, among: choices))
        }
        parsed.values[spec.long, default: []].append(value)
    }

    private func recordFlag(_ spec: OptionSpec, into parsed: inout ParsedArguments) throws(UsageError) {
        if !spec.repeatable, parsed.flags[spec.long] != nil {
            throw error("\(spec.longFlag) was given more than once")
        }
        parsed.flags[spec.long, default: 0] += 1
    }

    private func error(_ message: String) -> UsageError {
        UsageError(message, command: command)
    }

    private func unknownOption(_ typed: String) -> UsageError {
        // One-letter names are too close to each other for suggestions to help.
        let names = typed.hasPrefix("--") ? options.map(\.longFlag) : []
        var message = "unknown option '\(typed)'" + Suggestion.clause(for: typed, among: names)
        if !message.hasSuffix("?)"), let owner = CommandTable.commands.first(where: { other in
            other.name != command && other.options.contains { $0.longFlag == typed || $0.shortFlag == typed }
        }) {
            message += command == nil
                ? " (it is an option of '\(CommandTable.programName) \(owner.name)': put it after the command)"
                : " (it is an option of '\(CommandTable.programName) \(owner.name)')"
        }
        return error(message)
    }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
