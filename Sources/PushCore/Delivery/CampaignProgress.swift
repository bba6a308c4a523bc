/// A snapshot of a running campaign (`Campaign.progress()`), for the progress line and periodic metrics.
public struct CampaignProgress: Sendable, Equatable {
    /// Input rows read so far (valid or not).
    public var rowsRead: Int
    /// Notifications waiting in the queue, not sent yet.
    public var queued: Int
    /// Rows settled so far, with connections opened and GOAWAYs seen.
    public var summary: RunSummary
    /// The circuit breaker holds rows back (server-wide trouble): sending is paused or probing.
    public var paused = false

    public init(rowsRead: Int, queued: Int, summary: RunSummary) {
        self.rowsRead = rowsRead
        self.queued = queued
        self.summary = summary
    }

    /// Rows settled (reported) so far.
    public var settled: Int { summary.total }

    /// Requests sent and not answered yet: read, not settled, not waiting in the queue. The counters are
    /// read one after the other while the run goes on, so this is clamped at 0.
    public var inFlight: Int { Swift.max(0, rowsRead - summary.total - queued) }
}
