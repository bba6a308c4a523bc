import PushCore

/// Runs a parsed invocation and returns the process exit status.
func run(_ invocation: Invocation, environment: [String: String] = [:]) -> Int32 {
    switch invocation {
    case .send(let options), .check(let options), .broadcast(let options):
        return runSend(options, environment: environment)
    case .channel(let options):
        return runChannel(options)
    case .mock(let options):
        return runMock(options)
    case .report(let options):
        return runReport(options)
    case .help(let name):
        let text = name.flatMap(CommandTable.command(named:)).map(HelpRenderer.help(for:)) ?? HelpRenderer.overview()
        Output.standardOutput(text)
        return ExitStatus.success.rawValue
    case .version:
        Output.standardOutput(versionText())
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

/// The build line: version, commit and the C libraries it runs on (with or without `--verbose`: the one line
/// already holds what a bug report needs).
func versionText() -> String {
    BuildInfo.running.line + "\n"
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
