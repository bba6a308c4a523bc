/// What to do with one input row, decided before anything is sent.
public enum PlannedRow: Sendable, Equatable {
    /// Send it (or, in a dry run, never produced: the row is settled `valid` instead).
    case send(PushNotification)
    /// Write this row to the report now: an invalid row, a dry run's valid row, a skipped duplicate.
    case settle(ReportRow)
}

/// How rows are chosen and prepared: the per-run settings of `RowPlanner`.
public struct RowPlan: Sendable {
    public var preparer: RowPreparer
    /// `apnsctl check` / `send --dry-run`: every row is settled `valid` or `invalid`, nothing is sent.
    public var dryRun: Bool

    public init(preparer: RowPreparer, dryRun: Bool = false) {
        self.preparer = preparer
        self.dryRun = dryRun
    }
}

/// Turns input records into `PlannedRow`s: prepares each row and applies the run's selection rules.
/// Pure logic over values (no I/O), driven by `Campaign.run` and `DryRun.run`.
public struct RowPlanner: Sendable {
    public let plan: RowPlan

    public init(plan: RowPlan) {
        self.plan = plan
    }

    /// Plans one record, appending what to do with it to `out` (nothing when the row is not this run's).
    public mutating func plan(_ record: InputRecord, into out: inout [PlannedRow]) {
        switch plan.preparer.prepare(record) {
        case .invalid(let line, let token, let message):
            out.append(.settle(ReportRow(line: line, token: token, outcome: .invalid, reason: message,
                                         finishedAtMs: Clock.wallMilliseconds())))
        case .notification(let notification):
            if plan.dryRun {
                out.append(.settle(ReportRow(line: notification.line, token: notification.token, outcome: .valid,
                                             apnsID: notification.apnsID, finishedAtMs: Clock.wallMilliseconds())))
            } else {
                out.append(.send(notification))
            }
        }
    }

    /// The input has ended: appends anything still held back.
    public mutating func finish(into out: inout [PlannedRow]) {}
}
