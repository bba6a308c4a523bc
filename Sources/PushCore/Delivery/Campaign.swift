import Foundation
import Synchronization

/// How a campaign sends: where, how many connections, how much in flight.
public struct CampaignSettings: Sendable {
    public var endpoint: Endpoint
    /// Most requests in flight in total; each connection gets an equal share (at least 1).
    public var concurrency: Int
    public var connections: Int
    public var requestTimeoutMs: Int
    public var connectTimeoutMs: Int
    public var retryPolicy: RetryPolicy
    /// Most notifications per second over the whole run (`--rate`); nil: no limit.
    public var ratePerSecond: Int?
    /// PING a connection after this long without a byte from the server (see ConnectionSettings).
    public var pingAfterMs = 60_000
    /// Stops the run when the answers say the tokens belong to the other environment (see CampaignGuard).
    public var campaignGuard: CampaignGuard?
    /// Connections open one after the other (Apple asks providers not to open them all at once): each waits
    /// for the earlier ones to be up, or at most this long.
    public var connectionStaggerMs: Int
    /// Tunnel through this HTTP proxy (`--proxy`, `HTTPS_PROXY`); nil connects directly.
    public var proxy: HTTPProxy? = nil
    /// The client certificate (certificate authentication), named when the server refuses it.
    public var clientCertificate: CertificateInfo? = nil
    /// The longest cool-down of the circuit breaker (`--pause-max`).
    public var maxPauseMs = CircuitBreaker.defaultMaxPauseMs
    /// `-vv`: each request's headers and each answer (nil: not traced).
    public var trace: EventLog? = nil
    /// Shows a warning to the user during the run (each distinct one once).
    public var warn: (@Sendable (String) -> Void)? = nil

    public init(endpoint: Endpoint, concurrency: Int, connections: Int,
                requestTimeoutMs: Int = 30_000, connectTimeoutMs: Int = 10_000,
                retryPolicy: RetryPolicy = RetryPolicy(), ratePerSecond: Int? = nil, connectionStaggerMs: Int = 2000,
                campaignGuard: CampaignGuard? = CampaignGuard()) {
        self.endpoint = endpoint
        self.concurrency = max(1, concurrency)
        self.connections = max(1, connections)
        self.requestTimeoutMs = requestTimeoutMs
        self.connectTimeoutMs = connectTimeoutMs
        self.retryPolicy = retryPolicy
        self.ratePerSecond = ratePerSecond
        self.connectionStaggerMs = max(0, connectionStaggerMs)
        self.campaignGuard = campaignGuard
    }

    /// Our stream cap per connection.
    public var streamsPerConnection: Int { max(1, (concurrency + connections - 1) / connections) }
}

/// How a campaign ended.
public struct CampaignResult: Sendable {
    public var summary: RunSummary
    /// Why the run stopped early, if it did (exit status 3).
    public var fatal: String?
    /// The report went to a pipe whose reader closed it (`--report - | head`): sending stopped there.
    public var reportReaderGone = false
    /// Records read from the input, and whether it was read to its end.
    public var rowsRead = 0
    public var inputEnded = false
    /// Rows read but left to the other shards (`--shard`).
    public var outsideShard = 0
    public var exitStatus: Int32 { fatal != nil ? 3 : summary.exitStatus }

    /// False when the run stopped because the input does not match the report being resumed: running the same
    /// command again will not help.
    public var canContinue: Bool { !(fatal?.hasPrefix(RowFeeder.resumeRefusal) ?? false) }

    /// Rows read in this run that are neither in the report nor left to another shard: queued or in flight
    /// when the run stopped, or answered while it stopped (`summary.stopped`). `--resume` sends them.
    public var rowsNotSettled: Int {
        Swift.max(0, rowsRead - summary.total - (summary.resumedRows ?? 0) - outsideShard)
    }
}

/// A whole `apnsctl send` run: reader → preparer → bounded queue → connection threads → report.
///
/// The calling thread reads and prepares rows (invalid rows are settled at once, never sent) and pushes
/// notifications into the queue, blocking while it is full; `connections` threads each own one HTTP/2
/// connection and pull from the queue up to their free stream capacity. Rows are written to the report as
/// they settle, so the report is not in input order.
public final class Campaign: @unchecked Sendable {
    private let settings: CampaignSettings
    private let tlsContext: TLSContext
    private let auth: AuthorizationSource
    private let log: EventLog?
    private let sink: ReportSink
    public let control: RunControl
    private let queueLock = NSLock()
    private var queue: WorkQueue?
    private let rowsRead = Atomic<Int>(0)
    private let circuitBreaker: SharedCircuitBreaker

    package init(settings: CampaignSettings, tlsContext: TLSContext, auth: AuthorizationSource,
                 report: ReportWriter, pruneList: PruneListWriter? = nil, summary: RunSummary, log: EventLog?) {
        self.settings = settings
        self.tlsContext = tlsContext
        self.auth = auth
        self.log = log
        self.control = RunControl(warn: settings.warn)
        self.circuitBreaker = SharedCircuitBreaker(CircuitBreaker(maxPauseMs: settings.maxPauseMs), log: log)
        self.sink = ReportSink(writer: report, pruneList: pruneList, summary: summary, control: control,
                               guard: settings.campaignGuard)
    }

    /// Stops the run gracefully (SIGINT/SIGTERM): no new rows are read or sent, requests in flight finish and
    /// are reported, queued rows are left out of the report (never sent). Safe from any thread.
    /// After `graceMs`, requests still in flight are abandoned (left out of the report) and the run ends.
    public func interrupt(graceMs: Int = 10_000) {
        control.requestStop()
        queueLock.withLock { queue }?.abort()
        let control = self.control
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(max(0, graceMs))) {
            control.abandonInFlight()
        }
    }

    /// Live numbers for a progress line or metrics, safe from any thread while `run` goes on.
    public func progress() -> CampaignProgress {
        var summary = sink.finalSummary
        summary.connectionsOpened = control.connectionsOpened
        summary.goAways = control.goAways
        summary.reconnects = control.reconnects
        let breaker = circuitBreaker.snapshot
        summary.circuitOpenings = breaker.openings
        var progress = CampaignProgress(rowsRead: rowsRead.load(ordering: .relaxed),
                                        queued: queueLock.withLock { queue }?.count ?? 0, summary: summary)
        progress.paused = breaker.isTripped
        return progress
    }

    /// Runs to the end of `reader`, or until a fatal error. Blocks the calling thread.
    public func run(reader: inout some RecordReader, planner: RowPlanner) -> CampaignResult {
        precondition(!planner.plan.dryRun, "a dry-run plan goes to DryRun")
        let queue = WorkQueue(capacity: max(64, settings.concurrency * 2), payloadBuffers: planner.plan.preparer.template?.buffers)
        queueLock.withLock { self.queue = queue }
        sink.onFatal = { queue.abort() }
        let connectionSettings = ConnectionPool.connectionSettings(settings, circuitBreaker: circuitBreaker)
        let rateLimiter = settings.ratePerSecond.map { SharedRateLimiter(ratePerSecond: $0) }
        let finished = DispatchGroup()
        ConnectionPool.start(settings, connection: connectionSettings, tlsContext: tlsContext, queue: queue, sink: sink,
                             auth: auth, control: control, rateLimiter: rateLimiter, log: log, finished: finished)

        var planner = planner
        var inputEnded = false
        let inputError = RowFeeder.feed(reader: &reader, planner: &planner, control: control, sink: sink,
                                        onRecord: { self.rowsRead.add(1, ordering: .relaxed) },
                                        onEnd: { inputEnded = true }) { batch in
            queue.push(batch: &batch)
        }
        queue.finish()
        finished.wait()
        sink.close()
        if let inputError { control.fail(inputError) }
        var summary = sink.finalSummary
        summary.connectionsOpened = control.connectionsOpened
        summary.goAways = control.goAways
        summary.reconnects = control.reconnects
        summary.circuitOpenings = circuitBreaker.snapshot.openings
        if planner.isResuming { summary.resumedRows = planner.alreadySettled }
        return CampaignResult(summary: summary, fatal: control.fatal?.description, reportReaderGone: sink.readerGone,
                              rowsRead: rowsRead.load(ordering: .relaxed), inputEnded: inputEnded && inputError == nil,
                              outsideShard: planner.outsideShard)
    }
}
