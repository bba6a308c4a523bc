import PushCore

/// Where an option's value came from. Precedence, highest first: flag, environment, the selected
/// profile, the `[default]` section, the built-in default.
enum SettingSource: Equatable, Sendable, CustomStringConvertible {
    case flag
    case environment(String)
    case config(path: String, line: Int, section: ConfigFile.SectionName)
    case builtIn

    /// As `config show` prints it: `flag`, `env APNSCTL_TOPIC`,
    /// `config ~/.config/apnsctl/config:12 [profile prod]`, `default`.
    var description: String {
        switch self {
        case .flag: return "flag"
        case .environment(let name): return "env \(name)"
        case .config(let path, let line, let section): return "config \(path):\(line) \(section.title)"
        case .builtIn: return "default"
        }
    }

    /// How an error about the value names it: `--concurrency`, `APNSCTL_ENVIRONMENT`,
    /// `~/.config/apnsctl/config:12: concurrency`.
    func label(for option: OptionSpec) -> String {
        switch self {
        case .flag, .builtIn: return option.longFlag
        case .environment(let name): return name
        case .config(let path, let line, _): return "\(path):\(line): \(option.long)"
        }
    }
}

/// The part of the config file a command reads: the selected profile (if any) over `[default]`.
struct ConfigSelection: Equatable, Sendable {
    var file: ConfigFile
    var profile: String?

    /// The setting from the profile, else from `[default]`.
    func setting(_ name: String) -> (value: String, source: SettingSource)? {
        var order: [ConfigFile.SectionName] = [.defaults]
        if let profile { order.insert(.profile(profile), at: 0) }
        for sectionName in order {
            if let setting = file.section(sectionName)?.setting(name) {
                return (setting.value, .config(path: file.displayPath, line: setting.line, section: sectionName))
            }
        }
        return nil
    }
}

/// What reading a file gave: its text, nothing (it does not exist), or why it could not be read.
enum FileRead: Equatable, Sendable {
    case text(String)
    case missing
    case failed(String)
}

/// Finds, reads and parses the config file for one command line. The file system is reached only
/// through `read`, so parsing stays a pure function of argv, the environment and file contents.
struct ConfigLoader {
    var environment: [String: String]
    var read: (String) -> FileRead

    var home: String? { environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } }

    /// `$XDG_CONFIG_HOME/apnsctl/config` (an absolute XDG_CONFIG_HOME only, as the XDG spec says), else
    /// `$HOME/.config/apnsctl/config`; nil when neither variable is usable.
    var defaultPath: String? {
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") {
            return (xdg.hasSuffix("/") ? xdg : xdg + "/") + "apnsctl/config"
        }
        return home.map { ($0.hasSuffix("/") ? String($0.dropLast()) : $0) + "/.config/apnsctl/config" }
    }

    /// The path with the home directory shown as `~`.
    func display(_ path: String) -> String {
        guard let home, !home.isEmpty, home != "/" else { return path }
        let prefix = home.hasSuffix("/") ? home : home + "/"
        return path.hasPrefix(prefix) ? "~/" + path.dropFirst(prefix.count) : path
    }

    /// The settings for `command`: from `--config FILE` (which must exist) or the default path (which may
    /// be missing), narrowed to `--profile NAME` (which must exist in the file).
    func load(configOption: String?, profile: String?, command: String) throws(UsageError) -> ConfigSelection? {
        let path = configOption.map { (path: String) -> String in
            if path.hasPrefix("~/"), let home { return home + path.dropFirst() }
            return path
        } ?? defaultPath
        guard let path else {
            if let profile {
                throw UsageError("--profile \(profile): no config file to read it from (HOME is not set; "
                    + "give --config FILE)", command: command)
            }
            return nil
        }
        let shown = display(path)
        let text: String
        switch read(path) {
        case .text(let contents):
            text = contents
        case .missing:
            if configOption != nil {
                throw UsageError("--config: \(shown) does not exist", command: command)
            }
            if let profile {
                throw UsageError("--profile \(profile): there is no config file (looked for \(shown); "
                    + "see FILES in 'man apnsctl' for its format)", command: command)
            }
            return nil
        case .failed(let why):
            throw UsageError("cannot read the config file \(shown): \(why)", command: command)
        }

        let parser = ConfigFileParser(settings: CommandSpec.settingOptions,
                                      otherOptions: CommandSpec.send.options.map(\.long), home: home)
        let directory = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        let file: ConfigFile
        do {
            file = try parser.parse(text, displayPath: shown, directory: directory.isEmpty ? "/" : directory)
        } catch {
            throw UsageError(error.description, command: command)
        }
        if let profile, file.section(.profile(profile)) == nil {
            let names = file.profileNames
            let have = names.isEmpty ? "it has no [profile NAME] sections"
                : "its profiles: \(names.joined(separator: ", "))"
            throw UsageError("profile '\(profile)' is not in \(shown) (\(have))"
                + Suggestion.clause(for: profile, among: names), command: command)
        }
        return ConfigSelection(file: file, profile: profile)
    }
}
