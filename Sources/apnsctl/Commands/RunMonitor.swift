import Foundation
import PushCore

/// Watches a running campaign from its own thread: redraws the progress line about four times a second and
/// rewrites the metrics file every ten seconds. `stop()` ends the thread and erases the line.
final class RunMonitor: @unchecked Sendable {
    struct Configuration {
        /// Where the progress line goes; nil when it is off.
        var statusLine: StatusLine?
        var width: @Sendable () -> Int
        var total: ProgressTotal
        var bytesRead: ByteCounter?
        var metrics: MetricsWriter?
        var tickMs = 250
        var metricsIntervalMs = MonitoringDefaults.metricsIntervalSeconds * 1000
    }

    private let waker = Waker()
    private let finished = DispatchSemaphore(value: 0)
    private let configuration: Configuration
    private let campaign: Campaign
    private let startedAt = Clock.monotonicNanoseconds()

    init(campaign: Campaign, configuration: Configuration) {
        self.campaign = campaign
        self.configuration = configuration
        guard configuration.statusLine != nil || configuration.metrics != nil else {
            finished.signal()
            return
        }
        let thread = Thread { [self] in
            loop()
            finished.signal()
        }
        thread.name = "apnsctl-progress"
        thread.start()
    }

    /// The current numbers, as the ticker sees them.
    func sample() -> ProgressSample {
        ProgressSample(progress: campaign.progress(), elapsedNanoseconds: Clock.monotonicNanoseconds() - startedAt,
                       bytesRead: configuration.bytesRead?.value)
    }

    private func loop() {
        var history: [ProgressSample] = []
        var lastMetrics = Clock.monotonicNanoseconds()
        var pollSet = PollSet(capacity: 1)
        pollSet.add(waker.readFD, .readable)
        while true {
            // Woken (the run ended) or a tick passed; an interrupted wait counts as a tick.
            if pollSet.wait(timeoutMs: Int32(configuration.tickMs)) > 0 { return }
            let current = sample()
            if let line = configuration.statusLine {
                // The rate is measured over the last second or so (the oldest of the last four samples).
                let text = ProgressLine.render(current: current, previous: history.first, total: configuration.total,
                                               width: configuration.width())
                line.draw(text)
                history.append(current)
                if history.count > 4 { history.removeFirst() }
            }
            let now = Clock.monotonicNanoseconds()
            if let metrics = configuration.metrics,
               now - lastMetrics >= UInt64(configuration.metricsIntervalMs) * 1_000_000 {
                lastMetrics = now
                metrics.write(current.progress, finished: false, exitStatus: nil)
            }
        }
    }

    /// Stops the ticker and erases the progress line. Call once, after the run.
    func stop() {
        waker.wake()
        finished.wait()
        configuration.statusLine?.clear()
    }
}

/// `--metrics-file`: renders `PrometheusMetrics` and replaces the file atomically. A write that fails during
/// the run is reported once and retried at the next interval; the final write's failure is returned.
final class MetricsWriter: @unchecked Sendable {
    let path: String
    let campaign: String
    /// Permissions of the file when it is created (`--file-mode`).
    let fileMode: UInt32
    /// The last-success time an earlier run left in the file, kept when this run does not succeed.
    let previousLastSuccessMs: Int64?
    private let lock = NSLock()
    private var warned = false

    init(path: String, campaign: String, fileMode: UInt32 = FileIO.privateMode) {
        self.path = path
        self.fileMode = fileMode
        self.campaign = campaign
        if case .text(let old) = Files.read(path) {
            previousLastSuccessMs = PrometheusMetrics.lastSuccess(in: old, campaign: campaign)
        } else {
            previousLastSuccessMs = nil
        }
    }

    /// Periodic write; failures are reported once on stderr.
    func write(_ progress: CampaignProgress, finished: Bool, exitStatus: Int32?) {
        do {
            try writeFinal(progress, exitStatus: exitStatus, succeeded: false, finished: finished)
        } catch {
            let first = lock.withLock { () -> Bool in
                defer { warned = true }
                return !warned
            }
            if first { Output.standardError("apnsctl: --metrics-file: \(error) (will retry)\n") }
        }
    }

    /// The write at the end (or at the start, to check the path before anything is sent).
    func writeFinal(_ progress: CampaignProgress, exitStatus: Int32?, succeeded: Bool,
                    finished: Bool = true, campaignTotals: RunSummary? = nil) throws(FileIOError) {
        let now = Clock.wallMilliseconds()
        var metrics = PrometheusMetrics(
            campaign: campaign, summary: progress.summary, rowsRead: progress.rowsRead, inFlight: progress.inFlight,
            finished: finished, exitStatus: exitStatus,
            lastSuccessMs: succeeded ? (progress.summary.endedAtMs ?? now) : previousLastSuccessMs, nowMs: now)
        metrics.campaignTotals = campaignTotals
        metrics.paused = progress.paused
        try Files.replace(path, with: metrics.render(), mode: fileMode)
    }
}
