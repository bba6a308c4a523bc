/// Stops a campaign early when the answers so far say that every remaining row would fail the same way,
/// instead of marking a million rows rejected. Pure: fed every settled row, it says when to stop.
///
/// | trip wire | condition (over answered rows) | likely cause |
/// |---|---|---|
/// | wrong environment | ≥ `minimumSample` answers, ≥ 95 % of them 400 BadDeviceToken | tokens from the other environment |
/// | forbidden | ≥ 20 answers, all 403 Forbidden | the key or certificate may not push to this topic |
///
/// Credential reasons (InvalidProviderToken, …) stop the run at the first answer (RetryPolicy.stopRun).
public struct CampaignGuard: Sendable, Equatable {
    public var minimumSample: Int
    public var badTokenShare: Double
    /// Shown in the message: the flag that chose the environment the run used, e.g. `--sandbox`.
    public var environmentFlag: String?
    public private(set) var answered = 0
    public private(set) var badDeviceTokens = 0
    public private(set) var forbidden = 0

    public init(minimumSample: Int = 50, badTokenShare: Double = 0.95, environmentFlag: String? = nil) {
        self.minimumSample = minimumSample
        self.badTokenShare = badTokenShare
        self.environmentFlag = environmentFlag
    }

    /// Records one settled row; returns why the run should stop, once, when a trip wire is crossed.
    /// Records every row (read in place, see `RunSummary.record(_:)`); returns the first reason to stop, if any.
    public mutating func record(_ rows: [ReportRow]) -> String? {
        rows.withUnsafeBufferPointer { (rows: UnsafeBufferPointer<ReportRow>) -> String? in
            guard let first = rows.baseAddress else { return nil }
            var stop: String?
            for row in first..<(first + rows.count) {   // fields read in place (see RunSummary.record(_:))
                if let reason = record(status: row.pointee.status, reason: row.pointee.reason), stop == nil { stop = reason }
            }
            return stop
        }
    }

    public mutating func record(_ row: ReportRow) -> String? {
        record(status: row.status, reason: row.reason)
    }

    mutating func record(status: Int?, reason: String?) -> String? {
        guard status != nil else { return nil }
        answered += 1
        if reason == Reason.badDeviceToken.rawValue { badDeviceTokens += 1 }
        if status == 403 && reason == Reason.forbidden.rawValue { forbidden += 1 }
        if answered == minimumSample, Double(badDeviceTokens) >= badTokenShare * Double(answered) {
            let other = environmentFlag == "--production" ? "--sandbox" : environmentFlag == "--sandbox" ? "--production" : nil
            return "stopped early: \(badDeviceTokens) of the first \(answered) answers were BadDeviceToken; the tokens "
                + "probably belong to the other APNs environment"
                + (other.map { " (this run used \(environmentFlag!); try \($0))" } ?? " (try --sandbox or --production)")
        }
        if answered == 20, forbidden == answered {
            return "stopped early: APNs answered 403 Forbidden to each of the first 20 requests; check that the key "
                + "or certificate may push to this topic (--topic)"
        }
        return nil
    }
}
