import Foundation

/// The report writer and the summary behind one lock: connection threads settle a batch per loop pass.
final class ReportSink: RowSink, @unchecked Sendable {
    private let lock = NSLock()
    private let writer: ReportWriter
    private var summary: RunSummary
    private let control: RunControl
    var onFatal: (@Sendable () -> Void)?

    init(writer: ReportWriter, summary: RunSummary, control: RunControl) {
        self.writer = writer
        self.summary = summary
        self.control = control
    }

    func settle(_ rows: [ReportRow]) {
        lock.lock()
        defer { lock.unlock() }
        for row in rows { summary.record(row) }
        do {
            try writer.write(rows)
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
        } catch {
            control.fail("cannot write the report: \(error)")
        }
        summary.endedAtMs = Clock.wallMilliseconds()
    }

    var finalSummary: RunSummary {
        lock.lock()
        defer { lock.unlock() }
        return summary
    }
}
