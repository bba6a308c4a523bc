import PushCore

/// Runs a parsed invocation and returns the process exit status.
func run(_ invocation: Invocation, environment: [String: String] = [:]) -> Int32 {
    switch invocation {
    case .send(let options), .check(let options):
        return runSend(options, environment: environment)
    case .mock(let options):
        return runMock(options)
    case .report(let options):
        return runReport(options)
    case .help(let name):
        let text = name.flatMap(CommandTable.command(named:)).map(HelpRenderer.help(for:)) ?? HelpRenderer.overview()
        Output.standardOutput(text)
        return ExitStatus.success.rawValue
    case .version(let verbose):
        Output.standardOutput(versionText(verbose: verbose))
        return ExitStatus.success.rawValue
    case .generate(let target):
        Output.standardOutput(target.render())
        return ExitStatus.success.rawValue
    case .token(let options):
        return runToken(options)
    case .configShow(let report):
        Output.standardOutput(report.render())
        return ExitStatus.success.rawValue
    }
}

/// `apnsctl 0.1.0`, and with `--verbose` the C libraries it runs on (for bug reports).
func versionText(verbose: Bool) -> String {
    var text = "\(CommandTable.programName) \(APNsCtlVersion.current)\n"
    if verbose {
        text += "nghttp2 \(LibraryVersions.nghttp2)\n\(LibraryVersions.openssl)\nzlib \(LibraryVersions.zlib)\n"
    }
    return text
}

/// Parses argv and runs it; usage errors go to stderr with exit status 2.
func apnsctlMain(arguments: [String], environment: [String: String]) -> Int32 {
    switch parseInvocation(args: arguments, environment: environment, readFile: Files.read) {
    case .success(let invocation):
        return run(invocation, environment: environment)
    case .failure(let error):
        Output.standardError(error.rendered)
        return ExitStatus.usage.rawValue
    }
}
