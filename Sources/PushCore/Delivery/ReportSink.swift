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
                    control.fail("cannot write the report: \(error)")
                    onFatal?()
                }
            }
        }
        lock.lock()
        defer { lock.unlock() }
        var rows = rows
        if !keptByLine.isEmpty {
            for index in rows.indices {
                if let kept = keptByLine.removeValue(forKey: rows[index].line) { rows[index].kept = kept }
            }
        }
        summary.record(rows)
        if let stop = campaignGuard?.record(rows) {
            control.fail(stop)
            onFatal?()
        }
        do {
            try writer.write(rows)
            pruneList?.add(rows)
            let now = Clock.monotonicNanoseconds()
            if now - lastSyncNs >= Self.syncIntervalMs * 1_000_000 {
                lastSyncNs = now
                syncDue = true
                try writer.flush()
                try pruneList?.flush()
            } else if writeOut {
                try writer.flush()
                try pruneList?.flush()
            }
        } catch let error as FileIOError where error.isBrokenPipe {
            // `--report - | head`: not an error; stop sending, as for an interruption.
            readerWentAway = true
            control.requestStop()
            onFatal?()
        } catch {
            control.fail("cannot write the report: \(error)")
            onFatal?()
        }
    }

    func close() {
        lock.lock()
        defer { lock.unlock() }
        do {
            try writer.close(sync: true)
            try pruneList?.close(sync: true)
        } catch let error as FileIOError where error.isBrokenPipe {
            readerWentAway = true
        } catch {
            control.fail("cannot write the report: \(error)")
        }
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
