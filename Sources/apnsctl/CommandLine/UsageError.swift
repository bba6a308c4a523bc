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

/// "Did you mean" suggestions by edit distance (optimal string alignment: a swap of two
/// neighbouring letters costs 1, like an insertion, a deletion or a substitution).
enum Suggestion {
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var d = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[a.count][b.count]
    }

    /// The candidate closest to `word`, if it is close enough to be a typo: within a third of the
    /// word's length (at least 1, at most 3) and not a total rewrite, or the only candidate that
    /// starts with `word`.
    static func closest(to word: String, among candidates: [String]) -> String? {
        let limit = min(3, max(1, word.count / 3))
        var best: (candidate: String, distance: Int)?
        for candidate in candidates {
            let distance = editDistance(word, candidate)
            if distance <= limit, distance < word.count, distance < (best?.distance ?? .max) {
                best = (candidate, distance)
            }
        }
        if let best { return best.candidate }
        let prefixed = candidates.filter { $0.hasPrefix(word) }
        return word.count >= 2 && prefixed.count == 1 ? prefixed[0] : nil
    }

    /// ` (did you mean 'x'?)` or the empty string.
    static func clause(for word: String, among candidates: [String]) -> String {
        closest(to: word, among: candidates).map { " (did you mean '\($0)'?)" } ?? ""
    }
}
