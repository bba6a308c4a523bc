/// The reading half of every run, shared by `Campaign` and `DryRun`: reads records until the input ends
/// or the run stops, plans each one, settles what the plan settles and hands the rest to `send`.
enum RowFeeder {
    /// Returns the fatal input error, if reading failed. `send` returns false when the run was aborted.
    /// `onRecord` is called for every record read (the progress line's rows-read count).
    static func feed(reader: inout some RecordReader, planner: inout RowPlanner, control: RunControl,
                     sink: ReportSink, onRecord: () -> Void = {},
                     send: (consuming PushNotification) -> Bool) -> String? {
        var planned: [PlannedRow] = []
        var ended = false
        while !control.isStopping && !ended {
            let record: InputRecord?
            do {
                record = try reader.next()
            } catch {
                return String(describing: error)
            }
            do {
                if let record {
                    onRecord()
                    try planner.plan(record, into: &planned)
                } else {
                    try planner.finish(into: &planned)
                    ended = true
                }
            } catch {
                return "cannot resume: \(error.message)"
            }
            // Rows are moved out (popLast after reversing) rather than copied and released with the array.
            planned.reverse()
            while let row = planned.popLast() {
                switch consume row {
                case .send(let notification, let kept):
                    if !kept.isEmpty { sink.remember(line: notification.line, kept: kept) }
                    if !send(notification) { return nil }
                case .settle(let row):
                    sink.settleUnsent([row])
                }
            }
        }
        return nil
    }
}
