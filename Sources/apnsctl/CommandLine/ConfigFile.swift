import PushCore

/// apnsctl's config file, parsed: `[default]` and `[profile NAME]` sections of `setting = value` lines.
///
///     # ~/.config/apnsctl/config
///     [default]
///     team-id = DEF123GHIJ
///
///     [profile prod]
///     key = ~/keys/AuthKey_ABC123DEFG.p8   ; a path: ~ and relative paths are expanded
///     key-id = ABC123DEFG
///     topic = com.example.app
///     environment = production
///
/// Settings are the long names of the `send` options marked `inConfigFile`. Lines starting with `#` or `;`
/// are comments, and so is the rest of a line from a `#` or `;` that follows a space; a value in double
/// quotes keeps both (`\"` and `\\` escape inside quotes). There is deliberately no setting for a secret.
struct ConfigFile: Equatable, Sendable {
    struct Setting: Equatable, Sendable {
        var name: String
        /// Unquoted; a path already expanded (`~/` → home, relative → the config file's directory).
        var value: String
        var line: Int
    }

    enum SectionName: Hashable, Sendable {
        case defaults
        case profile(String)

        /// `[default]`, `[profile prod]`: as written in the file and shown by `config show`.
        var title: String {
            switch self {
            case .defaults: return "[default]"
            case .profile(let name): return "[profile \(name)]"
            }
        }
    }

    struct Section: Equatable, Sendable {
        var name: SectionName
        var line: Int
        var settings: [Setting]

        func setting(_ name: String) -> Setting? { settings.first { $0.name == name } }
    }

    /// The path as messages show it (`~/.config/apnsctl/config`).
    var displayPath: String
    var sections: [Section]

    func section(_ name: SectionName) -> Section? { sections.first { $0.name == name } }

    /// Profile names in file order.
    var profileNames: [String] {
        sections.compactMap { if case .profile(let name) = $0.name { return name } else { return nil } }
    }
}

/// A mistake in the config file, or a config file that cannot be used: `~/.config/apnsctl/config:7: unknown
/// setting 'concurency' (did you mean 'concurrency'?)`.
struct ConfigFileError: Error, Equatable, Sendable, CustomStringConvertible {
    var path: String
    var line: Int?
    var message: String

    var description: String { "\(path)\(line.map { ":\($0)" } ?? ""): \(message)" }
}

/// Parses config file text by hand. Pure: the caller reads the file and says where it lives.
struct ConfigFileParser {
    /// The options the file may set (by long name).
    var settings: [OptionSpec]
    /// Every option name of `send`, to tell "not a config setting" from a typo.
    var otherOptions: [String]
    /// `$HOME`, for `~/` in paths; nil leaves `~` alone.
    var home: String?

    /// `displayPath` names the file in messages; relative paths in it are taken from `directory`.
    func parse(_ text: String, displayPath: String, directory: String) throws(ConfigFileError) -> ConfigFile {
        var sections: [ConfigFile.Section] = []
        var lineNumber = 0
        // "\r\n" is one Character in Swift: split on it too, so CRLF files count lines the same way.
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            lineNumber += 1
            let fail = { (message: String) in ConfigFileError(path: displayPath, line: lineNumber, message: message) }
            var line = Substring(rawLine)
            if line.last == "\r" { line = line.dropLast() }
            let trimmed = Self.trim(line)
            if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix(";") { continue }

            if trimmed.hasPrefix("[") {
                let name = try sectionName(trimmed, fail: fail)
                if let first = sections.first(where: { $0.name == name }) {
                    throw fail("\(name.title) appears twice (first on line \(first.line)); "
                        + "keep one and merge the settings into it")
                }
                sections.append(ConfigFile.Section(name: name, line: lineNumber, settings: []))
                continue
            }

            guard let equals = trimmed.firstIndex(of: "=") else {
                throw fail("expected 'setting = value', found '\(trimmed)'")
            }
            let name = String(Self.trim(trimmed[..<equals]))
            guard !name.isEmpty else { throw fail("a setting name is missing before '='") }
            try checkName(name, fail: fail)
            guard !sections.isEmpty else {
                throw fail("'\(name)' is outside a section; put it under [default] or [profile NAME]")
            }
            var value = try Self.value(trimmed[trimmed.index(after: equals)...], name: name, fail: fail)
            guard !value.isEmpty else { throw fail("'\(name)' has no value (write '\(name) = VALUE', or remove the line)") }
            let spec = settings.first { $0.long == name }!
            if let choices = spec.choices, !choices.contains(value) {
                throw fail("\(name): '\(value)' is not one of \(choices.joined(separator: ", "))"
                    + Suggestion.clause(for: value, among: choices))
            }
            if spec.completion == .file { value = expandPath(value, directory: directory) }

            let current = sections.count - 1
            if let first = sections[current].setting(name) {
                throw fail("'\(name)' is set twice in \(sections[current].name.title) (first on line \(first.line))")
            }
            sections[current].settings.append(ConfigFile.Setting(name: name, value: value, line: lineNumber))
        }
        return ConfigFile(displayPath: displayPath, sections: sections)
    }

    private func sectionName(_ text: Substring, fail: (String) -> ConfigFileError) throws(ConfigFileError)
        -> ConfigFile.SectionName {
        guard text.hasSuffix("]") else { throw fail("a section header must end with ']': '\(text)'") }
        let words = text.dropFirst().dropLast().split(whereSeparator: { $0 == " " || $0 == "\t" })
        if words == ["default"] { return .defaults }
        if words.count == 2, words[0] == "profile" {
            let name = String(words[1])
            guard name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) else {
                throw fail("profile name '\(name)' may only have letters, digits, '-', '_' and '.'")
            }
            return .profile(name)
        }
        let hint = words.count == 1 && words[0] != "profile" ? " (did you mean '[profile \(words[0])]'?)" : ""
        throw fail("unknown section '\(text)'; sections are [default] and [profile NAME]\(hint)")
    }

    private func checkName(_ name: String, fail: (String) -> ConfigFileError) throws(ConfigFileError) {
        let names = settings.map(\.long)
        if names.contains(name) { return }
        if ["password", "passphrase", "secret", "jwt"].contains(where: name.lowercased().contains) {
            throw fail("'\(name)' is not a setting: apnsctl never reads secrets from the config file")
        }
        if otherOptions.contains(name) {
            throw fail("'\(name)' cannot be set in the config file, only on the command line "
                + "(settings: \(names.joined(separator: ", ")))")
        }
        let suggestion = Suggestion.clause(for: name, among: names)
        throw fail("unknown setting '\(name)'"
            + (suggestion.isEmpty ? " (settings: \(names.joined(separator: ", ")))" : suggestion))
    }

    /// The text after `=`: unquoted, without a trailing comment.
    private static func value(_ text: Substring, name: String, fail: (String) -> ConfigFileError)
        throws(ConfigFileError) -> String {
        let text = trim(text)
        guard text.hasPrefix("\"") else {
            var previous: Character = " "
            var end = text.endIndex
            for index in text.indices {
                let character = text[index]
                if (character == "#" || character == ";") && (previous == " " || previous == "\t") {
                    end = index
                    break
                }
                previous = character
            }
            return String(trim(text[..<end]))
        }
        var out = ""
        var index = text.index(after: text.startIndex)
        while index < text.endIndex {
            let character = text[index]
            if character == "\\" {
                let next = text.index(after: index)
                guard next < text.endIndex, text[next] == "\"" || text[next] == "\\" else {
                    throw fail("in the quoted value of '\(name)', only \\\" and \\\\ may follow a backslash")
                }
                out.append(text[next])
                index = text.index(after: next)
                continue
            }
            if character == "\"" {
                let rest = trim(text[text.index(after: index)...])
                guard rest.isEmpty || rest.hasPrefix("#") || rest.hasPrefix(";") else {
                    throw fail("unexpected '\(rest)' after the quoted value of '\(name)'")
                }
                return out
            }
            out.append(character)
            index = text.index(after: index)
        }
        throw fail("the quoted value of '\(name)' has no closing '\"'")
    }

    /// `~/x` → `$HOME/x`; a relative path → `directory/path`.
    func expandPath(_ path: String, directory: String) -> String {
        if path.hasPrefix("~/"), let home { return home + path.dropFirst() }
        if path.hasPrefix("/") || path.hasPrefix("~") { return path }
        return directory.isEmpty ? path : (directory.hasSuffix("/") ? directory : directory + "/") + path
    }

    static func trim(_ text: Substring) -> Substring {
        var text = text
        while let first = text.first, first == " " || first == "\t" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
        return text
    }
}
