import PushCore

/// What `apnsctl token` was asked to do: where the key comes from (never printable) and the two IDs.
struct TokenOptions: Equatable, Sendable {
    var key: CredentialSource
    var keyID: String
    var teamID: String
}

extension TokenOptions {
    static func build(from values: inout OptionValues) throws(UsageError) -> TokenOptions {
        typealias O = OptionSpec.Send
        try values.rejectOperands()
        _ = values.string(.config)
        _ = values.string(.profile)
        guard let key = try values.credential(O.key, variable: O.keyEnv, fileExists: FileIO.exists)?.source else {
            throw values.missing(O.key, "the .p8 signing key")
        }
        guard let keyID = values.string(O.keyID) else { throw values.missing(O.keyID, "the key's 10-character ID") }
        guard let teamID = values.string(O.teamID) else { throw values.missing(O.teamID, "your 10-character team ID") }
        return TokenOptions(key: key, keyID: keyID, teamID: teamID)
    }
}

/// What `apnsctl config show` prints: every setting's effective value and its source. Built while
/// parsing (pure), printed by `ConfigReport.render()`.
struct ConfigReport: Equatable, Sendable {
    struct Entry: Equatable, Sendable {
        var setting: String
        /// Nil when nothing sets it and it has no default.
        var value: String?
        var source: SettingSource?
    }

    /// The config file as shown (`~/.config/apnsctl/config`), or nil when there is no path at all.
    var configPath: String?
    /// False when the file does not exist (the path is where it would be read from).
    var configExists: Bool
    var profile: String?
    var profiles: [String]
    var entries: [Entry]
}

extension ConfigReport {
    /// Resolves every setting option the way `send` would, checking each value the same way.
    static func build(from values: inout OptionValues, config: ConfigSelection?, defaultPath: String?) throws(UsageError)
        -> ConfigReport {
        typealias O = OptionSpec.Send
        _ = values.string(.config)
        _ = values.string(.profile)
        var entries: [Entry] = []
        for spec in CommandSpec.settingOptions {
            if spec.long == O.environment.long {
                let environment = try SendOptions.environmentChoice(from: &values)
                let flagged = values.given(O.production) || values.given(O.sandbox)
                let source = flagged ? SettingSource.flag : values.resolved(spec)?.source ?? .builtIn
                entries.append(Entry(setting: spec.long, value: environment.rawValue, source: source))
                continue
            }
            guard let resolved = values.resolved(spec) else {
                entries.append(Entry(setting: spec.long, value: spec.defaultText, source: spec.defaultText.map { _ in .builtIn }))
                continue
            }
            try check(spec, resolved, in: &values)
            entries.append(Entry(setting: spec.long, value: shown(spec, resolved), source: resolved.source))
        }
        return ConfigReport(configPath: config?.file.displayPath ?? defaultPath, configExists: config != nil,
                            profile: config?.profile, profiles: config?.file.profileNames ?? [], entries: entries)
    }

    /// The value as printed: a key or certificate given as the value itself (APNSCTL_KEY holding the PEM text)
    /// is not shown, only said to be there.
    private static func shown(_ spec: OptionSpec, _ resolved: (value: String, source: SettingSource)) -> String {
        guard spec == OptionSpec.Send.key || spec == OptionSpec.Send.cert else { return resolved.value }
        if case .config = resolved.source { return resolved.value }
        switch try? CredentialSource.classify(resolved.value, origin: "", isFile: FileIO.exists) {
        case .file(let path)?: return path
        case .standardInput?: return resolved.value
        case .inline?, nil: return "(\(spec == OptionSpec.Send.key ? "the key" : "the certificate") itself, not shown)"
        }
    }

    /// The checks `send` makes on the setting's value.
    private static func check(_ spec: OptionSpec, _ resolved: (value: String, source: SettingSource),
                              in values: inout OptionValues) throws(UsageError) {
        typealias O = OptionSpec.Send
        let label = resolved.source.label(for: spec)
        switch spec.long {
        case O.concurrency.long:
            _ = try ValueParser.integer(resolved.value, in: SendDefaults.concurrencyRange, label: label, command: values.command)
        case O.connections.long:
            _ = try ValueParser.integer(resolved.value, in: SendDefaults.connectionsRange, label: label, command: values.command)
        case O.timeout.long, O.connectTimeout.long, O.pauseMax.long:
            _ = try values.duration(spec, default: 0)
        case O.endpoint.long:
            _ = try ValueParser.endpoint(resolved.value, option: spec, command: values.command, label: label)
        default:
            _ = try values.checkChoice(spec, resolved)
        }
    }

    /// Aligned columns: setting, value, source; a header names the file and the profile.
    func render() -> String {
        var out: [String] = []
        switch (configPath, configExists) {
        case (let path?, true):
            out.append("config file: \(path)" + (profiles.isEmpty ? "" : " (profiles: \(profiles.joined(separator: ", ")))"))
        case (let path?, false):
            out.append("config file: \(path) (does not exist)")
        case (nil, _):
            out.append("config file: none (HOME is not set)")
        }
        out.append("profile: " + (profile ?? "none (only [default] applies)"))
        out.append("")
        let nameWidth = entries.map(\.setting.count).max() ?? 0
        let valueWidth = entries.map { ($0.value ?? Self.unset).count }.max() ?? 0
        for entry in entries {
            var line = entry.setting.padding(to: nameWidth + 2) + (entry.value ?? Self.unset)
            if let source = entry.source {
                line = line.padding(to: nameWidth + 2 + valueWidth + 2) + source.description
            }
            out.append(line)
        }
        return out.joined(separator: "\n") + "\n"
    }

    static let unset = "(not set)"
}
