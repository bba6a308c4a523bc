/// What to do with one input row, decided before anything is sent.
public enum PlannedRow: Sendable, Equatable {
    /// Send it, and report it with these kept values (`--keep`). Never produced in a dry run (the row is
    /// settled `valid` instead).
    case send(PushNotification, kept: [KeptValue?])
    /// Write this row to the report now: an invalid row, a dry run's valid row, a skipped duplicate.
    case settle(ReportRow)
}

/// How rows are chosen and prepared: the per-run settings of `RowPlanner`.
public struct RowPlan: Sendable {
    public var preparer: RowPreparer
    /// `apnsctl check` / `send --dry-run`: every row is settled `valid` or `invalid`, nothing is sent.
    public var dryRun: Bool
    /// `--keep`: input fields copied into every report row, in this order.
    public var keep: [String]
    /// `--shard K/N`: only rows whose token is in this shard; the others are not this run's.
    public var shard: Shard?
    /// `--dedupe`: a token already seen on an earlier line is reported `skipped`, not pushed again.
    public var dedupe: Bool

    public init(preparer: RowPreparer, dryRun: Bool = false, keep: [String] = [], shard: Shard? = nil,
                dedupe: Bool = false) {
        self.preparer = preparer
        self.dryRun = dryRun
        self.keep = keep
        self.shard = shard
        self.dedupe = dedupe
    }
}

/// Turns input records into `PlannedRow`s: prepares each row and applies the run's selection rules.
/// Pure logic over values (no I/O), driven by `Campaign.run` and `DryRun.run`.
public struct RowPlanner: Sendable {
    public let plan: RowPlan
    /// Rows left to the other shards.
    public private(set) var outsideShard = 0
    private var duplicates = DuplicateTokens()
    /// The fields the preparer reads and the `--keep` fields, resolved once per CSV header (`FieldSlots`).
    private var preparerSlots: FieldSlots
    private var keepSlots: FieldSlots

    private var resume: ResumeMatcher?
    /// With `--resume`, rows to send or report are held back until every row of the report has been matched
    /// with the input: an input that does not match is refused before anything is sent or written. Holds
    /// the rows missing from the report between its lines (those in flight or queued when the earlier run
    /// stopped): a few thousand at most.
    private var held: [PlannedRow] = []

    /// `resume`: the rows of the report being resumed; each input row the report already settled is left out.
    public init(plan: RowPlan, resume: ResumeIndex? = nil) {
        self.plan = plan
        self.resume = resume.map(ResumeMatcher.init(index:))
        self.preparerSlots = plan.preparer.makeSlots()
        self.keepSlots = FieldSlots(names: plan.keep)
    }

    /// Input rows the report being resumed had already settled (left out of this run).
    public var alreadySettled: Int { resume?.alreadySettled ?? 0 }
    public var isResuming: Bool { resume != nil }

    /// Plans one record, appending what to do with it to `out` (nothing when the row is not this run's).
    /// Throws when the input does not match the report being resumed; nothing was planned to send then.
    public mutating func plan(_ record: InputRecord, into out: inout [PlannedRow]) throws(ResumeError) {
        let prepared = plan.preparer.prepare(record, slots: &preparerSlots)
        let token = Self.token(of: prepared)
        let inThisRun = plan.shard?.contains(token: token) ?? true
        if resume != nil, try resume!.match(line: record.line, token: token, inThisRun: inThisRun) == .settled {
            if plan.dedupe, case .notification(let n) = prepared { _ = duplicates.firstLine(of: n.token, line: n.line) }
            if resume!.isVerified { release(into: &out) }
            return
        }
        guard inThisRun else {
            outsideShard += 1
            return
        }
        if let resume, !resume.isVerified {
            var pending: [PlannedRow] = []
            swap(&pending, &held)
            decide(prepared, record: record, into: &pending)
            swap(&pending, &held)
        } else {
            release(into: &out)
            decide(prepared, record: record, into: &out)
        }
    }

    /// The input has ended: appends anything still held back. Throws when the report has rows the input
    /// does not have.
    public mutating func finish(into out: inout [PlannedRow]) throws(ResumeError) {
        try resume?.finish()
        release(into: &out)
    }

    private mutating func release(into out: inout [PlannedRow]) {
        guard !held.isEmpty else { return }
        out.append(contentsOf: held)
        held.removeAll()
    }

    /// `prepared` is consumed: the notification moves into `out` without a copy of the whole struct.
    private mutating func decide(_ prepared: consuming Prepared, record: InputRecord, into out: inout [PlannedRow]) {
        let kept = keptValues(record)
        switch consume prepared {
        case .invalid(let line, let token, let message):
            var row = ReportRow(line: line, token: token, outcome: .invalid, reason: message, finishedAtMs: Clock.wallMilliseconds())
            row.kept = kept
            out.append(.settle(row))
        case .notification(let notification):
            if plan.dedupe, let first = duplicates.firstLine(of: notification.token, line: notification.line) {
                var row = ReportRow(line: notification.line, token: notification.token, outcome: .skipped,
                                    reason: "duplicate token: first seen on line \(first)", finishedAtMs: Clock.wallMilliseconds(),
                                    pushType: notification.pushType)
                row.kept = kept
                out.append(.settle(row))
            } else if plan.dryRun {
                var row = ReportRow(line: notification.line, token: notification.token, outcome: .valid,
                                    apnsID: notification.apnsID, finishedAtMs: Clock.wallMilliseconds(),
                                    pushType: notification.pushType)
                row.kept = kept
                out.append(.settle(row))
            } else {
                out.append(.send(notification, kept: kept))
            }
        }
    }

    /// The token a row is reported (and sharded) under: normalised for a notification, as given for an
    /// invalid row, empty for a line that could not be read.
    static func token(of prepared: Prepared) -> String {
        switch prepared {
        case .notification(let notification): return notification.token
        case .invalid(_, let token, _): return token
        }
    }

    /// The `--keep` fields of a record (all nil for a row that could not be read).
    private mutating func keptValues(_ record: InputRecord) -> [KeptValue?] {
        guard !plan.keep.isEmpty else { return [] }
        guard let fields = record.fields else { return plan.keep.map { _ in nil } }
        let reader = keepSlots.reader(for: fields)
        return plan.keep.indices.map { KeptValue(reader.value($0)) }
    }

}
