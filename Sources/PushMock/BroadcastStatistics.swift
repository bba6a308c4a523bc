import PushCore

/// What the mock did with broadcast channels, part of `MockStatistics` (`--stats`: the `broadcast` object).
public struct BroadcastStatistics: Sendable, Equatable {
    /// Connections accepted on the management port (not counted in `MockStatistics.connections`).
    public var manageConnections = 0
    public var channelsCreated = 0
    public var channelsRead = 0
    public var channelsDeleted = 0
    public var channelsListed = 0
    /// Management requests answered with an error, by reason (404/405 ones included).
    public var managementRejectedByReason: [String: Int] = [:]
    public var broadcastsAccepted = 0
    /// Broadcasts answered with an error, by reason (404/405 on `/4/…` paths included).
    public var broadcastsRejectedByReason: [String: Int] = [:]

    public init() {}

    public var managementRejected: Int { managementRejectedByReason.values.reduce(0, +) }
    public var broadcastsRejected: Int { broadcastsRejectedByReason.values.reduce(0, +) }

    /// Counts one answer (a request refused before routing on the management port has no operation).
    mutating func record(_ answer: ChannelAnswer, status: Int, reason: Reason?) {
        let accepted = (200...299).contains(status)
        let key = reason?.rawValue ?? ""
        switch answer.operation {
        case .broadcast?:
            if accepted { broadcastsAccepted += 1 } else { broadcastsRejectedByReason[key, default: 0] += 1 }
        case _ where !accepted:
            managementRejectedByReason[key, default: 0] += 1
        case .create?: channelsCreated += 1
        case .read?: channelsRead += 1
        case .delete?: channelsDeleted += 1
        case .list?, nil: channelsListed += 1
        }
    }

    /// `{"manage_connections":…,"channels_created":…,"channels_read":…,"channels_deleted":…,"channels_listed":…,`
    /// `"management_rejected":…,"management_rejected_by_reason":{…},"broadcasts_accepted":…,`
    /// `"broadcasts_rejected":…,"broadcasts_rejected_by_reason":{…}}` (reasons sorted).
    public var json: JSONValue {
        func number(_ value: Int) -> JSONValue { .number(String(value)) }
        func reasons(_ counts: [String: Int]) -> JSONValue {
            .object(JSONObject(counts.keys.sorted().map { JSONObject.Member(key: $0, value: number(counts[$0]!)) }))
        }
        return .object(JSONObject([
            "manage_connections": number(manageConnections),
            "channels_created": number(channelsCreated),
            "channels_read": number(channelsRead),
            "channels_deleted": number(channelsDeleted),
            "channels_listed": number(channelsListed),
            "management_rejected": number(managementRejected),
            "management_rejected_by_reason": reasons(managementRejectedByReason),
            "broadcasts_accepted": number(broadcastsAccepted),
            "broadcasts_rejected": number(broadcastsRejected),
            "broadcasts_rejected_by_reason": reasons(broadcastsRejectedByReason),
        ]))
    }
}
