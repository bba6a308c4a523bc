import Foundation

/// The report writer and the summary behind one lock: connection threads settle a batch per loop pass.
final class ReportSink: RowSink, @unchecked Sendable {
    private let lock = NSLock()
    private let writer: ReportWriter
    private var summary: RunSummary
    private var campaignGuard: CampaignGuard?
    private let control: RunControl
    var onFatal: (@Sendable () -> Void)?
    private var readerWentAway = false

    init(writer: ReportWriter, summary: RunSummary, control: RunControl, guard campaignGuard: CampaignGuard? = nil) {
        self.writer = writer
        self.summary = summary
        self.control = control
        self.campaignGuard = campaignGuard
    }

    /// Kept values (`--keep`) of rows handed to the connections, by line, until they settle. Holds at most
    /// the queue plus the requests in flight.
    private var keptByLine: [Int: [KeptValue?]] = [:]

    /// Remembers the kept values of a row about to be sent; `settle` puts them on its report row.
    func remember(line: Int, kept: [KeptValue?]) {
        lock.lock()
        defer { lock.unlock() }
        keptByLine[line] = kept
    }

    func settle(_ rows: [ReportRow]) {
        lock.lock()
        defer { lock.unlock() }
        var rows = rows
        if !keptByLine.isEmpty {
            for index in rows.indices {
                if let kept = keptByLine.removeValue(forKey: rows[index].line) { rows[index].kept = kept }
            }
        }
        for row in rows {
            summary.record(row)
            if let stop = campaignGuard?.record(row) {
                control.fail(stop)
                onFatal?()
            }
        }
        do {
            try writer.write(rows)
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
            try writer.close()
        } catch let error as FileIOError where error.isBrokenPipe {
            readerWentAway = true
        } catch {
            control.fail("cannot write the report: \(error)")
        }
        summary.endedAtMs = Clock.wallMilliseconds()
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
