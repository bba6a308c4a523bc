import PushCore

/// Stage two of parsing: typed access to one command's scanned options, with the environment and the
/// config file as fallbacks (flag > environment > profile > [default]), and the checks every option shares.
/// Records which options a builder consulted, so a test can prove that no option in the table is ignored.
struct OptionValues {
    private let parsed: ParsedArguments
    private let environment: [String: String]
    private let config: ConfigSelection?
    let command: String
    private(set) var consulted: Set<String> = []

    init(_ parsed: ParsedArguments, environment: [String: String], command: String, config: ConfigSelection? = nil) {
        self.parsed = parsed
        self.environment = environment
        self.command = command
        self.config = config
    }

    /// The option's value and where it came from: the command line, its environment variable (when set and
    /// not empty), or the config file (for options marked `inConfigFile`).
    mutating func resolved(_ spec: OptionSpec) -> (value: String, source: SettingSource)? {
        consulted.insert(spec.long)
        if let value = parsed.values[spec.long]?.last { return (value, .flag) }
        if let name = spec.environmentVariable, let value = environment[name], !value.isEmpty {
            return (value, .environment(name))
        }
        if spec.inConfigFile, let setting = config?.setting(spec.long) { return setting }
        return nil
    }

    /// An environment variable that belongs to no option (`HTTPS_PROXY`), when set and not empty.
    func environmentValue(_ name: String) -> String? {
        guard let value = environment[name], !value.isEmpty else { return nil }
        return value
    }

    /// The option's value from wherever it came.
    mutating func string(_ spec: OptionSpec) -> String? {
        resolved(spec)?.value
    }

    /// True when the option itself was on the command line (not a fallback).
    func given(_ spec: OptionSpec) -> Bool {
        parsed.values[spec.long] != nil || parsed.flags[spec.long] != nil
    }

    /// An option with fixed choices. The scanner checked command-line values; this checks the environment
    /// variable's (`APNSCTL_ENVIRONMENT: 'prod' is not one of sandbox, production`).
    mutating func choice(_ spec: OptionSpec) throws(UsageError) -> String? {
        guard let resolved = resolved(spec) else { return nil }
        return try checkChoice(spec, resolved)
    }

    /// The value, when it is one of the option's choices.
    func checkChoice(_ spec: OptionSpec, _ resolved: (value: String, source: SettingSource)) throws(UsageError) -> String {
        let (value, source) = resolved
        if let choices = spec.choices, !choices.contains(value) {
            throw error("\(source.label(for: spec)): '\(value)' is not one of \(choices.joined(separator: ", "))"
                + Suggestion.clause(for: value, among: choices))
        }
        return value
    }

    /// Every value of a repeatable option, in the order given.
    mutating func strings(_ spec: OptionSpec) -> [String] {
        consulted.insert(spec.long)
        return parsed.values[spec.long] ?? []
    }

    /// How often a flag was given.
    mutating func count(_ spec: OptionSpec) -> Int {
        consulted.insert(spec.long)
        return parsed.flags[spec.long] ?? 0
    }

    mutating func flag(_ spec: OptionSpec) -> Bool { count(spec) > 0 }

    /// A whole number in `range`, or `defaultValue` when the option is absent.
    mutating func integer(_ spec: OptionSpec, in range: ClosedRange<Int>, default defaultValue: Int) throws(UsageError) -> Int {
        guard let (text, source) = resolved(spec) else { return defaultValue }
        return try ValueParser.integer(text, in: range, label: source.label(for: spec), command: command)
    }

    /// A duration option in milliseconds (`500ms`, `30s`, `5m`); must be more than zero.
    mutating func duration(_ spec: OptionSpec, default defaultValue: Int) throws(UsageError) -> Int {
        guard let (text, source) = resolved(spec) else { return defaultValue }
        guard let ms = DurationText.milliseconds(text), ms > 0 else {
            throw error("\(source.label(for: spec)): '\(text)' is not a duration (for example 500ms, 30s, 5m)")
        }
        return ms
    }

    /// `--file-mode`: octal permissions (`600`, `0640`) for the files apnsctl creates; 0600 when absent.
    mutating func fileMode() throws(UsageError) -> UInt32 {
        guard let (text, source) = resolved(OptionSpec.Send.fileMode) else { return FileIO.privateMode }
        let digits = text.hasPrefix("0o") ? text.dropFirst(2) : Substring(text)
        guard (1...4).contains(digits.count), let mode = UInt32(digits, radix: 8), mode <= 0o777 else {
            throw error("\(source.label(for: OptionSpec.Send.fileMode)): '\(text)' is not an octal file mode "
                + "(for example 600 or 640)")
        }
        return mode
    }

    func error(_ message: String) -> UsageError {
        UsageError(message, command: command)
    }

    /// "--key is required" with a pointer to the environment variable and the config file when they can help.
    func missing(_ spec: OptionSpec, _ what: String) -> UsageError {
        var elsewhere: [String] = []
        if let name = spec.environmentVariable { elsewhere.append("set \(name)") }
        if spec.inConfigFile { elsewhere.append("'\(spec.long) = ...' in the config file") }
        let hint = elsewhere.isEmpty ? "" : "; or " + elsewhere.joined(separator: ", or ")
        return error("\(spec.longFlag) is required (\(what)\(hint))")
    }

    /// Operands the command does not take.
    func rejectOperands() throws(UsageError) {
        if let first = parsed.operands.first {
            throw error("\(command) takes no arguments; unexpected '\(first)'")
        }
    }
}

/// Conversions from option text to values, each with the error message a user can act on.
enum ValueParser {
    /// `--concurrency: 'x' is not a positive integer`, `--connections: '65' is too large (at most 64)`.
    static func integer(_ text: String, in range: ClosedRange<Int>, option: OptionSpec,
                        command: String) throws(UsageError) -> Int {
        try integer(text, in: range, label: option.longFlag, command: command)
    }

    /// The same, with the value named by `label` (an option, a variable, a config file line).
    static func integer(_ text: String, in range: ClosedRange<Int>, label: String,
                        command: String) throws(UsageError) -> Int {
        let kind = range.lowerBound == 0 ? "a non-negative integer" : "a positive integer"
        guard !text.isEmpty, text.allSatisfy(\.isASCIIDigit) else {
            throw UsageError("\(label): '\(text)' is not \(kind)", command: command)
        }
        guard let value = Int(text), value <= range.upperBound else {
            throw UsageError("\(label): '\(text)' is too large (at most \(range.upperBound))", command: command)
        }
        guard value >= range.lowerBound else {
            throw UsageError(range.lowerBound == 1
                ? "\(label): '\(text)' is not \(kind)"
                : "\(label): '\(text)' is too small (at least \(range.lowerBound))", command: command)
        }
        return value
    }

    /// `HOST[:PORT]`, `[IPv6]:PORT`; with `allowPortZero`, port 0 too (listen on a free port).
    /// With `requirePort`, a missing port is an error instead of 443.
    static func endpoint(_ text: String, option: OptionSpec, command: String, label: String? = nil,
                         requirePort: Bool = false, allowPortZero: Bool = false) throws(UsageError) -> Endpoint {
        let shape = requirePort ? "HOST:PORT" : "HOST[:PORT]"
        let bad = UsageError("\(label ?? option.longFlag): '\(text)' is not \(shape) (port 1 to 65535"
            + (allowPortZero ? ", or 0 for any free port)" : ")"), command: command)
        var parsing = text
        let zeroPort = allowPortZero && text.hasSuffix(":0") && !text.hasSuffix("::0")
        if zeroPort { parsing = String(text.dropLast()) + "1" }
        guard var endpoint = Endpoint(parsing: parsing) else { throw bad }
        if requirePort {
            let portless = text.hasPrefix("[") ? text.hasSuffix("]") : !text.contains(":")
            if portless {
                throw UsageError("\(label ?? option.longFlag): '\(text)' has no port (\(shape); "
                    + (allowPortZero ? "0 picks a free port)" : "1 to 65535)"), command: command)
            }
        }
        if zeroPort { endpoint.port = 0 }
        return endpoint
    }
}
