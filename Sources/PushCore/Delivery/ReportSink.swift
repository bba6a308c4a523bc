import Foundation

/// Where every settled row goes: the report writer, the prune list and the summary, behind one lock
/// (connection threads settle a batch per loop pass; the reader thread settles rows it never sends).
///
/// Crash safety: rows that were sent are written out (`write(2)`) in the same call that settles them, so a
/// `kill -9` loses only requests still in flight, never an answered row; invalid and skipped rows, which
/// cost nothing to redo, are written out with the buffer. The files are fsynced every `syncIntervalMs`
/// and at the end.
final class ReportSink: RowSink, @unchecked Sendable {
    /// How often the report and the prune list are synced to disk while rows settle.
    static let syncIntervalMs: UInt64 = 1000

    private let lock = NSLock()
    private let writer: ReportWriter
    private let pruneList: PruneListWriter?
    // `@exclusivity(unchecked)`: only touched with `lock` held; dynamic checks cost ~75 instructions per access.
    @exclusivity(unchecked) private var summary: RunSummary
    @exclusivity(unchecked) private var campaignGuard: CampaignGuard?
    private let control: RunControl
    @exclusivity(unchecked) private var lastSyncNs = Clock.monotonicNanoseconds()
    var onFatal: (@Sendable () -> Void)?
    private var readerWentAway = false
    private var writeFailed = false
    /// Rows handed to the writer but still in its buffer: counted into `summary` once written out.
    @exclusivity(unchecked) private var unflushed = RunSummary(startedAtMs: 0)
    /// Answers held back until the guard decides what they mean (at most its sample, 50 rows).
    @exclusivity(unchecked) private var held: [ReportRow] = []

    /// Kept values (`--keep`) of rows handed to the connections, by line, until they settle. Holds at most
    /// the queue plus the requests in flight.
    @exclusivity(unchecked) private var keptByLine: [Int: [KeptValue?]] = [:]

    init(writer: ReportWriter, pruneList: PruneListWriter? = nil, summary: RunSummary, control: RunControl,
         guard campaignGuard: CampaignGuard? = nil) {
        self.writer = writer
        self.pruneList = pruneList
        self.summary = summary
        self.control = control
        self.campaignGuard = campaignGuard
    }

    /// Remembers the kept values of a row about to be sent; `settle` puts them on its report row.
    func remember(line: Int, kept: [KeptValue?]) {
        lock.lock()
        defer { lock.unlock() }
        keptByLine[line] = kept
    }

    /// Rows that were sent (connection threads): written out before returning.
    func settle(_ rows: [ReportRow]) {
        record(rows, writeOut: true)
    }

    /// Rows that were never sent (invalid, valid in a dry run, skipped): buffered.
    func settleUnsent(_ rows: [ReportRow]) {
        record(rows, writeOut: false)
    }

    private func record(_ rows: [ReportRow], writeOut: Bool) {
        // fsync can take milliseconds: it runs after the lock is released, so other threads keep settling.
        var syncDue = false
        defer {
            if syncDue {
                do {
                    try writer.syncWritten()
                    try pruneList?.syncWritten()
                } catch {
                    lock.withLock { failWriting(error) }
                }
            }
        }
        lock.lock()
        defer { lock.unlock() }
        // After a write failure nothing more is written or counted: the summary holds what the report holds.
        guard !writeFailed else { return }
        var rows = rows
        if !keptByLine.isEmpty {
            for index in rows.indices {
                if let kept = keptByLine.removeValue(forKey: rows[index].line) { rows[index].kept = kept }
            }
        }
        if writeOut, let stop = campaignGuard?.record(rows) {
            control.fail(stop)
            onFatal?()
        }
        if writeOut && (!held.isEmpty || rows.contains(where: { $0.status != nil && $0.status != 200 })) {
            rows = sortAnswers(rows)
        }
        do {
            try writer.write(rows)
            let now = Clock.monotonicNanoseconds()
            if now - lastSyncNs >= Self.syncIntervalMs * 1_000_000 {
                lastSyncNs = now
                syncDue = true
                try writer.flush()
            } else if writeOut {
                try writer.flush()
            }
            // Counted once written out (held in `unflushed` until then): a row the report does not hold is never
            // in the summary.
            if writeOut || syncDue {
                summary.record(rows)
            } else {
                unflushed.record(rows)
            }
            if writer.bufferedRows == 0 && unflushed.total > 0 {
                summary.merge(unflushed)
                unflushed = RunSummary(startedAtMs: 0)
            }
            pruneList?.add(rows)
            if writeOut || syncDue { try pruneList?.flush() }
        } catch let error as FileIOError where error.isBrokenPipe {
            // `--report - | head`: not an error; stop sending, as for an interruption.
            readerWentAway = true
            control.requestStop()
            onFatal?()
        } catch {
            failWriting(error)
        }
    }

    /// A write failed (a full disk, an I/O error): sending stops at once; nothing more is written or counted.
    /// Called with `lock` held.
    private func failWriting(_ error: any Error) {
        writeFailed = true
        control.fail("cannot write the report: \(error)")
        onFatal?()
    }

    /// Answers that stop the run stay out of the report (counted `stopped`); answers whose meaning waits on the
    /// guard are held back until it decides (see `CampaignGuard`). Returns the rows to write now.
    private func sortAnswers(_ rows: [ReportRow]) -> [ReportRow] {
        var write: [ReportRow] = []
        write.reserveCapacity(rows.count)
        for row in rows { place(row, into: &write) }
        if !held.isEmpty {
            let waiting = held
            held.removeAll()
            for row in waiting { place(row, into: &write) }
        }
        return write
    }

    private func place(_ row: ReportRow, into write: inout [ReportRow]) {
        let disposition: CampaignGuard.Disposition
        if let campaignGuard {
            disposition = campaignGuard.disposition(status: row.status, reason: row.reason)
        } else {
            disposition = row.status != nil && row.reason.map(CampaignGuard.stopsRun(reason:)) == true ? .stopped : .write
        }
        switch disposition {
        case .write: write.append(row)
        case .hold: held.append(row)
        case .stopped: summary.stopped += 1
        }
    }

    func close() {
        lock.lock()
        defer { lock.unlock() }
        // Rows still held when the run ends: too few answers for the guard to decide, so they are final.
        if !held.isEmpty && !writeFailed {
            do {
                try writer.write(held)
                unflushed.record(held)
                pruneList?.add(held)
            } catch {
                writeFailed = true
                control.fail("cannot write the report: \(error)")
            }
            held.removeAll()
        }
        do {
            try writer.close(sync: true)
            try pruneList?.close(sync: true)
            if !writeFailed { summary.merge(unflushed) }
        } catch let error as FileIOError where error.isBrokenPipe {
            readerWentAway = true
        } catch {
            if !writeFailed { control.fail("cannot write the report: \(error)") }
        }
        unflushed = RunSummary(startedAtMs: 0)
        summary.endedAtMs = Clock.wallMilliseconds()
        summary.prunedTokens = pruneList?.tokensWritten
    }

    /// True once a write found the report's pipe closed by its reader.
    var readerGone: Bool {
        lock.lock()
        defer { lock.unlock() }
        return readerWentAway
    }

    var finalSummary: RunSummary {
        lock.lock()
        defer { lock.unlock() }
        return summary
    }
}
