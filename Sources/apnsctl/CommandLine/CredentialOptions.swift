import PushCore

extension OptionValues {
    /// A key or certificate value before it is read. Classifying it (`source(of:)`) can fail, so only the one
    /// the command uses is classified: a CI job that holds both APNSCTL_KEY and APNSCTL_CERT, one of them stale,
    /// is not stopped by the one it sets aside.
    struct PendingCredential {
        var value: String
        /// Where the value came from, as errors name it (`--key`, `APNSCTL_KEY`, the variable `--key-env` names).
        var origin: String
        /// From the config file: always a file name (the file holds no secrets).
        var fromConfig: Bool
        /// On the command line (the option itself or its `-env` option), not a fallback.
        var given: Bool
    }

    /// The key (`--key`/`--key-env`) or certificate (`--cert`/`--cert-env`) value, unread, and whether it was
    /// on the command line. Errors name the variable, never the value.
    mutating func pendingCredential(_ spec: OptionSpec,
                                    variable variableSpec: OptionSpec) throws(UsageError) -> PendingCredential? {
        if let name = string(variableSpec) {
            if given(spec) { throw error("\(spec.longFlag) and \(variableSpec.longFlag) exclude each other") }
            guard let value = environmentValue(name) else {
                throw error("\(variableSpec.longFlag): the environment variable \(name) is not set (or empty)")
            }
            return PendingCredential(value: value, origin: name, fromConfig: false, given: true)
        }
        guard let (value, source) = resolved(spec) else { return nil }
        switch source {
        case .config:
            return PendingCredential(value: value, origin: spec.longFlag, fromConfig: true, given: false)
        case .flag, .builtIn:
            return PendingCredential(value: value, origin: spec.longFlag, fromConfig: false, given: true)
        case .environment(let name):
            return PendingCredential(value: value, origin: name, fromConfig: false, given: false)
        }
    }

    /// Where the pending key or certificate comes from. A value from the environment or the command line may be
    /// the secret itself; one from the config file is always a file name.
    func source(of pending: PendingCredential, fileExists: (String) -> Bool) throws(UsageError) -> CredentialSource {
        pending.fromConfig ? .file(pending.value) : try classify(pending.value, origin: pending.origin, fileExists: fileExists)
    }

    /// `pendingCredential` read at once, for a command that uses only one kind (`apnsctl token`).
    mutating func credential(_ spec: OptionSpec, variable variableSpec: OptionSpec,
                             fileExists: (String) -> Bool) throws(UsageError) -> (source: CredentialSource, given: Bool)? {
        guard let pending = try pendingCredential(spec, variable: variableSpec) else { return nil }
        return (try source(of: pending, fileExists: fileExists), pending.given)
    }

    private func classify(_ value: String, origin: String,
                          fileExists: (String) -> Bool) throws(UsageError) -> CredentialSource {
        do {
            return try CredentialSource.classify(value, origin: origin, isFile: fileExists)
        } catch {
            throw self.error(error.description)
        }
    }
}
