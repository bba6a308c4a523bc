import Foundation

/// How an `apnsctl channel` run ended.
public struct ChannelRunResult: Sendable {
    /// Every settled request, in the order the answers came.
    public var answers: [ReportRow]
    /// Why the run stopped early (exit status 3): refused credentials, broadcast not enabled, no connection.
    public var fatal: String?
    /// A create was refused with CannotCreateChannelConfig: the app has as many channels as APNs allows, and the
    /// creates not sent yet were dropped.
    public var channelLimitReached = false
}

/// Channel-management requests sent through the push engine: the same connections, stream limits, retries,
/// deadlines and credential handling as a campaign, to the management host. Batch reads and deletes go out
/// `concurrency` at a time.
public final class ChannelRun: @unchecked Sendable {
    private let settings: CampaignSettings
    private let tlsContext: TLSContext
    private let auth: AuthorizationSource
    private let log: EventLog?

    package init(settings: CampaignSettings, tlsContext: TLSContext, auth: AuthorizationSource, log: EventLog?) {
        self.settings = settings
        self.tlsContext = tlsContext
        self.auth = auth
        self.log = log
    }

    /// Sends `requests` and waits for every answer (or the run's end). Blocks the calling thread.
    public func run(_ requests: [PushNotification]) -> ChannelRunResult {
        guard !requests.isEmpty else { return ChannelRunResult(answers: []) }
        let control = RunControl(warn: settings.warn)
        let queue = WorkQueue(capacity: max(64, settings.concurrency * 2))
        let sink = AnswerSink(queue: queue)
        let finished = DispatchGroup()
        ConnectionPool.start(settings, connection: ConnectionPool.connectionSettings(settings, circuitBreaker: nil),
                             tlsContext: tlsContext, queue: queue, sink: sink, auth: auth, control: control,
                             rateLimiter: settings.ratePerSecond.map { SharedRateLimiter(ratePerSecond: $0) },
                             log: log, finished: finished)
        for request in requests where !queue.push(request) { break }
        queue.finish()
        finished.wait()
        let (answers, limit) = sink.result
        return ChannelRunResult(answers: answers, fatal: control.fatal?.description, channelLimitReached: limit)
    }
}

/// Collects the answers; the channel limit stops the creates not sent yet.
private final class AnswerSink: RowSink, @unchecked Sendable {
    private let lock = NSLock()
    private let queue: WorkQueue
    private var answers: [ReportRow] = []
    private var limitReached = false

    init(queue: WorkQueue) { self.queue = queue }

    func settle(_ rows: [ReportRow]) {
        let limit = rows.contains { $0.reason == Reason.cannotCreateChannelConfig.rawValue }
        lock.withLock {
            answers.append(contentsOf: rows)
            if limit { limitReached = true }
        }
        if limit { queue.abort() }
    }

    var result: ([ReportRow], Bool) { lock.withLock { (answers, limitReached) } }
}
