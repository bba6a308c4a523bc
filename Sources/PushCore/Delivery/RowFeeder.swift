/// The reading half of every run, shared by `Campaign` and `DryRun`: reads records until the input ends
/// or the run stops, plans each one, settles what the plan settles and hands the rest to `send`.
enum RowFeeder {
    /// Rows handed to `send` at once at most. While the input has more rows buffered, rows to send are collected
    /// into a batch (one lock and one wake-up of the connections per batch, not per row); a batch goes as soon as
    /// the reader would have to wait for its source, so a slow pipe's rows are not held back.
    static let batchSize = 64
    /// Opens the message of an input that does not match the report being resumed (nothing was sent for it).
    public static let resumeRefusal = "cannot resume: "

    /// Returns the fatal input error, if reading failed. `send` takes the batch's rows (emptying it) and returns
    /// false when the run was aborted. `onRecord` is called for every record read (the progress line's rows-read
    /// count), `onEnd` once the input was read to its end and matched the report being resumed.
    static func feed(reader: inout some RecordReader, planner: inout RowPlanner, control: RunControl,
                     sink: ReportSink, onRecord: () -> Void = {}, onEnd: () -> Void = {},
                     send: (inout [PushNotification]) -> Bool) -> String? {
        var planned: [PlannedRow] = []
        var batch: [PushNotification] = []
        batch.reserveCapacity(batchSize)
        var ended = false
        // An input error ends the loop: the rows read before it still go. After a stop they stay unsent, as the rows
        // still queued do (not in the report: `--resume` sends them).
        defer { if !batch.isEmpty && !control.isStopping { _ = send(&batch) } }
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
                    onEnd()
                }
            } catch {
                return resumeRefusal + error.message
            }
            // Rows are moved out (popLast after reversing) rather than copied and released with the array.
            planned.reverse()
            while let row = planned.popLast() {
                switch consume row {
                case .send(let notification, let kept):
                    if !kept.isEmpty { sink.remember(line: notification.line, kept: kept) }
                    batch.append(notification)
                case .settle(let row):
                    sink.settleUnsent([row])
                }
            }
            if !batch.isEmpty && (ended || batch.count >= batchSize || !reader.hasBufferedRecord) {
                if !send(&batch) { return nil }
            }
        }
        return nil
    }
}
