import PushCore

/// `apnsctl token`: one fresh provider token on stdout, nothing else; errors on stderr.
func runToken(_ options: TokenOptions) -> Int32 {
    let token: String
    do {
        let key = try ES256PrivateKey(pemFile: options.keyFile)
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
