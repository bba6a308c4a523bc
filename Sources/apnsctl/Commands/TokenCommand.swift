import PushCore

/// `apnsctl token`: one fresh provider token on stdout, nothing else; errors on stderr.
func runToken(_ options: TokenOptions) -> Int32 {
    let token: String
    do {
        warnIfShared(options.key, what: "key") { Output.standardError("apnsctl: warning: \($0)\n") }
        if let problem = CoreDumps.disable() { Output.standardError("apnsctl: warning: \(problem)\n") }
        let key = try ES256PrivateKey(source: options.key)
        token = try ProviderToken.make(keyID: options.keyID, teamID: options.teamID,
                                       issuedAt: Clock.wallSeconds(), key: key)
    } catch let error as ProviderTokenError {
        Output.standardError("apnsctl: \(error)\nTry 'apnsctl token --help'.\n")
        return ExitStatus.usage.rawValue
    } catch {
        Output.standardError("apnsctl: \(error)\n")
        return ExitStatus.fatal.rawValue
    }
    Output.standardOutput(token + "\n")   // a closed stdout (`| true`) ends quietly, as for generate
    return ExitStatus.success.rawValue
}
