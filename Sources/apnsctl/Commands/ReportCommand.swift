import PushCore

/// `apnsctl report FILE`: the summary of a report, and the rows to retry and the tokens to prune.
func runReport(_ options: ReportOptions) -> Int32 {
    let reader: ReportReader
    var retry: RetryInputWriter?
    var prune: PruneListWriter?
    do {
        reader = try ReportReader(path: options.report)
        if let path = options.failed { retry = try RetryInputWriter(path: path, fileMode: options.fileMode) }
        if let path = options.pruneList { prune = try PruneListWriter(path: path, fileMode: options.fileMode) }
    } catch {
        Output.standardError("apnsctl: \(error)\n")
        return ExitStatus.fatal.rawValue
    }
    let analysis: ReportAnalysis
    do {
        analysis = try ReportAnalysis.read(reader, retry: retry, pruneList: prune)
        try retry?.close(keptFields: analysis.keptFields)
        try prune?.close()
    } catch let error as FileIOError where error.isBrokenPipe {
        return ExitStatus.success.rawValue
    } catch {
        Output.standardError("apnsctl: \(error)\n")
        return ExitStatus.fatal.rawValue
    }
    if !options.quiet {
        let text = analysis.render(name: options.report == "-" ? "stdin" : options.report)
        if [options.failed, options.pruneList].contains("-") {
            Output.standardError(text)
        } else {
            Output.standardOutput(text)
        }
    }
    return analysis.summary.exitStatus
}
