/// Stops a campaign early when the answers so far say that every remaining row would fail the same way,
/// instead of marking a million rows rejected. Pure: fed every settled row, it says when to stop.
///
/// | trip wire | condition (over answered rows) | likely cause |
/// |---|---|---|
/// | wrong environment | ≥ `minimumSample` answers, ≥ 95 % of them 400 BadDeviceToken | tokens from the other environment |
/// | forbidden | ≥ 20 answers, all 403 Forbidden | the key or certificate may not push to this topic |
/// | topic | ≥ 20 answers, all TopicDisallowed, BadTopic or DeviceTokenNotForTopic | the topic (or the auth for it) is wrong |
///
/// Credential reasons (InvalidProviderToken, …) stop the run at the first answer (RetryPolicy.stopRun).
///
/// An answer that stops the run says nothing about its row: the row is not settled. `disposition` sorts
/// each answered row (after `record`):
///
/// | answer | disposition |
/// |---|---|
/// | a credential reason, or ExpiredProviderToken settled (the clock is wrong) | `stopped` |
/// | BadDeviceToken (Forbidden, a topic reason) while its trip wire is undecided | `hold` until it is decided |
/// | BadDeviceToken (Forbidden, a topic reason) once its trip wire stopped the run | `stopped` |
/// | anything else, or once the trip wire can no longer trip | `write` |
///
/// `stopped` rows stay out of the report, like rows never sent, so `--resume` sends them after the fix.
public struct CampaignGuard: Sendable, Equatable {
    public var minimumSample: Int
    public var badTokenShare: Double
    /// Shown in the message: the flag that chose the environment the run used, e.g. `--sandbox`.
    public var environmentFlag: String?
    public private(set) var answered = 0
    public private(set) var badDeviceTokens = 0
    public private(set) var forbidden = 0
    /// Answers TopicDisallowed, BadTopic or DeviceTokenNotForTopic, by reason.
    public private(set) var topicRejections: [String: Int] = [:]
    /// Named in the topic trip wire's message: the topic the run sends to (with its push type suffix).
    public var topic: String?
    /// How many answers the forbidden and topic trip wires wait for.
    public static let configurationSample = 20

    public enum Trip: Sendable, Equatable { case wrongEnvironment, forbidden, topic }
    /// The trip wire that stopped the run, once one did.
    public private(set) var trip: Trip?

    public enum Disposition: Sendable, Equatable {
        /// A final answer about the row: into the report.
        case write
        /// Its meaning waits on a trip wire still undecided: keep it back, ask again after the next rows.
        case hold
        /// Answered so because of a run-level problem: not settled, left out of the report.
        case stopped
    }

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
        if let reason, Self.isTopicReason(reason) { topicRejections[reason, default: 0] += 1 }
        if answered == minimumSample, Double(badDeviceTokens) >= badTokenShare * Double(answered) {
            trip = trip ?? .wrongEnvironment
            let other = environmentFlag == "--production" ? "--sandbox" : environmentFlag == "--sandbox" ? "--production" : nil
            return "stopped early: \(badDeviceTokens) of the first \(answered) answers were BadDeviceToken; the tokens "
                + "probably belong to the other APNs environment"
                + (other.map { " (this run used \(environmentFlag!); try \($0))" } ?? " (try --sandbox or --production)")
        }
        if answered == Self.configurationSample, topicRejections.values.reduce(0, +) == answered {
            trip = trip ?? .topic
            return topicMessage()
        }
        if answered == 20, forbidden == answered {
            trip = trip ?? .forbidden
            return "stopped early: APNs answered 403 Forbidden to each of the first 20 requests; check that the key "
                + "or certificate may push to this topic (--topic)"
        }
        return nil
    }

    /// Where a row answered `status`/`reason` goes, given what was recorded so far (see the table above).
    public func disposition(status: Int?, reason: String?) -> Disposition {
        guard let status, status != 200, let reason else { return .write }
        if Self.stopsRun(reason: reason) { return .stopped }
        if reason == Reason.badDeviceToken.rawValue {
            if trip == .wrongEnvironment { return .stopped }
            if answered < minimumSample { return .hold }
        } else if status == 403 && reason == Reason.forbidden.rawValue {
            if trip == .forbidden { return .stopped }
            if answered < 20 && forbidden == answered { return .hold }
        } else if Self.isTopicReason(reason) {
            if trip == .topic { return .stopped }
            if answered < Self.configurationSample && topicRejections.values.reduce(0, +) == answered { return .hold }
        }
        return .write
    }

    /// TopicDisallowed, BadTopic, DeviceTokenNotForTopic: about the run's topic more often than about one row.
    static func isTopicReason(_ reason: String) -> Bool {
        reason == Reason.topicDisallowed.rawValue || reason == Reason.badTopic.rawValue
            || reason == Reason.deviceTokenNotForTopic.rawValue
    }

    /// The topic trip wire's message: the reasons seen, the topic, and the likely fix for the most frequent reason.
    private func topicMessage() -> String {
        let counts = topicRejections.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        let seen = counts.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        let topicText = topic.map { "topic '\($0)'" } ?? "the topic"
        let fix: String
        switch counts.first?.key {
        case Reason.topicDisallowed.rawValue?:
            fix = "the key or certificate may not push to \(topicText): a certificate covers only the topics it lists "
                + "(use a .p8 key, --key, for Live Activities and location pushes), and the App ID needs the capability"
        case Reason.badTopic.rawValue?:
            fix = "\(topicText) is not one APNs knows: give the app's bundle ID as --topic (apnsctl adds the push "
                + "type's suffix)"
        default:
            fix = "the tokens were not issued for \(topicText): check that --topic is the bundle ID of the app that "
                + "registered them, and the push type (a Live Activity token needs --push-type liveactivity)"
        }
        return "stopped early: APNs refused each of the first \(answered) requests (\(seen)); \(fix)"
    }

    /// A settled answer that stops the run whatever the guard counts: refused credentials, or a provider token
    /// refused as expired moments after it was minted (the clock).
    public static func stopsRun(reason: String) -> Bool {
        reason == Reason.expiredProviderToken.rawValue || Reason(rawValue: reason).isCredentialFailure
    }
}
