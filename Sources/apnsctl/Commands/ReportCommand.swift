import PushCore

/// `apnsctl report FILE`: the summary of a report, and the rows to retry and the tokens to prune.
func runReport(_ options: ReportOptions) -> Int32 {
    let reader: ReportReader
    var retry: RetryInputWriter?
    var prune: PruneListWriter?
    do {
        reader = try ReportReader(path: options.report)
        if let path = options.failed, options.input == nil {
            retry = try RetryInputWriter(path: path, fileMode: options.fileMode)
        }
        if let path = options.pruneList { prune = try PruneListWriter(path: path, fileMode: options.fileMode) }
    } catch {
        Output.standardError("apnsctl: \(error)\n")
        return ExitStatus.fatal.rawValue
    }
    let analysis: ReportAnalysis
    do {
        analysis = try ReportAnalysis.read(reader, retry: retry, pruneList: prune, collectRetries: options.input != nil)
        try retry?.close(keptFields: analysis.keptFields)
        try prune?.close()
        if let input = options.input, let failed = options.failed {
            _ = try RetryFromInput.write(tokens: analysis.retryTokens, input: input, to: failed, fileMode: options.fileMode)
        }
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
    if let failed = options.failed, options.input == nil, analysis.retryRows > 0, !options.quiet {
        // The template may need fields the report does not hold; `send --input` would name the missing ones.
        let fields = [retry?.targetField ?? "token", "input_line"] + analysis.keptFields
        Output.standardError("apnsctl: note: \(failed) holds \(fields.joined(separator: ", ")); to retry with every "
            + "field the template needs, add --input with the campaign's input\n")
    }
    return analysis.summary.exitStatus
}
