/// `apnsctl check` and `send --dry-run`: reads every row, renders every payload, applies every rule and
/// writes the same report as a real run, each row `valid` or `invalid`. Opens no connection.
public final class DryRun: @unchecked Sendable {
    public let control = RunControl()
    private let sink: ReportSink

    package init(report: ReportWriter, summary: RunSummary) {
        var summary = summary
        summary.isDryRun = true
        summary.endpoint = nil
        self.sink = ReportSink(writer: report, summary: summary, control: control)
    }

    /// Stops reading (SIGINT/SIGTERM); the rows checked so far stay in the report.
    public func interrupt() {
        control.requestStop()
    }

    /// Checks every row of `reader`. Blocks the calling thread.
    public func run(reader: inout some RecordReader, planner: RowPlanner) -> CampaignResult {
        var planner = planner
        precondition(planner.plan.dryRun, "a dry run needs a dry-run plan")
        var rowsRead = 0, inputEnded = false
        let inputError = RowFeeder.feed(reader: &reader, planner: &planner, control: control, sink: sink,
                                        onRecord: { rowsRead += 1 }, onEnd: { inputEnded = true }) { _ in
            preconditionFailure("a dry-run plan never sends")
        }
        sink.close()
        if let inputError { control.fail(inputError) }
        var summary = sink.finalSummary
        if planner.isResuming { summary.resumedRows = planner.alreadySettled }
        return CampaignResult(summary: summary, fatal: control.fatal?.description, rowsRead: rowsRead,
                              inputEnded: inputEnded && inputError == nil, outsideShard: planner.outsideShard)
    }
}
