import PushCore

extension OptionValues {
    /// Where the key (`--key`/`--key-env`) or certificate (`--cert`/`--cert-env`) comes from, and whether it was
    /// on the command line. A value from the environment may be the secret itself; one from the config file is
    /// always a file name (the file holds no secrets). Errors name the variable, never the value.
    mutating func credential(_ spec: OptionSpec, variable variableSpec: OptionSpec,
                             fileExists: (String) -> Bool) throws(UsageError) -> (source: CredentialSource, given: Bool)? {
        if let name = string(variableSpec) {
            if given(spec) { throw error("\(spec.longFlag) and \(variableSpec.longFlag) exclude each other") }
            guard let value = environmentValue(name) else {
                throw error("\(variableSpec.longFlag): the environment variable \(name) is not set (or empty)")
            }
            return (try classify(value, origin: name, fileExists: fileExists), true)
        }
        guard let (value, source) = resolved(spec) else { return nil }
        switch source {
        case .config:
            return (.file(value), false)
        case .flag, .builtIn:
            return (try classify(value, origin: spec.longFlag, fileExists: fileExists), true)
        case .environment(let name):
            return (try classify(value, origin: name, fileExists: fileExists), false)
        }
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
