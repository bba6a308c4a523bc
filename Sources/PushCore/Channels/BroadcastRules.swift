/// What a broadcast must be before it is sent (apns-protocol.md §9.2): rules checked on each row, so that a
/// mistake costs an `invalid` row, not a request APNs refuses.
///
/// | rule                                                        | source                                |
/// |-------------------------------------------------------------|---------------------------------------|
/// | channel id: not empty, printable ASCII (base64; any length) | A-BCAST (no size to assume)           |
/// | bundle id without a push-type suffix                        | A-BERR `TopicDisallowed`              |
/// | push type liveactivity (priority 5 or 10: the LA rules)     | A-BCAST, A-LA                         |
/// | expiration 0 on a No Message Stored channel (policy 0)      | A-BCAST; the row's `storage_policy`, else `--channels` |
/// | with `--channels`: the channel is live in that file         | a channel read or create's output     |
/// | payload at most 5120 bytes                                  | A-BCAST                               |
/// | the Live Activity payload rules; no `event: start`          | A-LA (`LiveActivityRules.broadcast`)  |
public enum BroadcastRules {
    public static let payloadLimit = 5120
    /// Sent when neither the option nor the row gives one (Apple requires the header).
    public static let defaultPriority = 10
    /// Sent when neither the option nor the row gives one: 0 is valid on both kinds of channel.
    public static let defaultExpiration = 0

    /// A channel id as APNs hands it out (base64): no hex check and no length assumption, only what a header
    /// value cannot hold is refused.
    public static func channelID(_ text: String, label: String) throws(RowError) -> String {
        if text.isEmpty { throw RowError("\(label) is empty") }
        guard text.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw RowError("\(label): \(quoted(text)) is not a channel id (base64 text)")
        }
        return text
    }

    /// The bundle id of a broadcast path: a push-type suffix (`.push-type.liveactivity`, `.voip`…) is refused
    /// (APNs answers TopicDisallowed).
    public static func bundleID(_ text: String, label: String) throws(RowError) -> String {
        let topic = try NotificationRules.topic(text, label: label)
        if let type = PushType.suffixed.first(where: { topic.hasSuffix($0.topicSuffix!) }) {
            throw RowError("\(label): \(quoted(topic)) ends in the push-type suffix "
                + "\(type.topicSuffix!); a broadcast names the bare bundle id")
        }
        return topic
    }

    /// `0` (No Message Stored) or `1` (Most Recent Message Stored), as `apnsctl channel create` writes it.
    public static func storagePolicy(_ text: String, label: String) throws(RowError) -> Int {
        switch text {
        case "0": return 0
        case "1": return 1
        default: throw RowError("\(label): \(quoted(text)) is not a storage policy (0 or 1)")
        }
    }

    /// `expiresAfter`: a duration from the send (`--expiration 1h`), which is never 0.
    public static func checkExpiration(_ expiration: Int?, expiresAfter: Int?, storagePolicy: Int?) throws(RowError) {
        guard storagePolicy == 0 else { return }
        if let expiresAfter {
            throw RowError("expiration of \(expiresAfter) s after the send on a channel with storage policy 0 (No Message "
                + "Stored): APNs accepts only expiration 0 there")
        }
        if let expiration, expiration != 0 {
            throw RowError("expiration \(expiration) on a channel with storage policy 0 (No Message Stored): "
                + "APNs accepts only expiration 0 there")
        }
    }

    public static func checkPayloadSize(_ count: Int) throws(RowError) {
        guard count <= payloadLimit else {
            throw RowError("payload is \(count) bytes; a broadcast allows at most \(payloadLimit)")
        }
    }
}

extension RowPreparer {
    /// A preparer for `apnsctl broadcast`: rows name a channel in `channelField` (instead of a device token), may
    /// override `priority`, `expiration` and `apns_request_id`, and may say the channel's `storage_policy` (as
    /// `apnsctl channel create` writes it), else `channels` says it. The bundle id is `defaults.topic`, or a row's
    /// `topic`.
    public static func broadcast(template: PayloadTemplate?, defaults: NotificationDefaults,
                                 channelField: String = "channel_id", channels: ChannelPolicies? = nil) -> RowPreparer {
        var preparer = RowPreparer(template: template, defaults: defaults, tokenField: channelField)
        preparer.isBroadcast = true
        preparer.channelPolicies = channels
        preparer.liveActivityRules = LiveActivityRules(context: .broadcast, schema: defaults.contentStateSchema)
        preparer.fieldNames[Slot.collapseID] = "storage_policy"
        preparer.fieldNames[Slot.apnsID] = "apns_request_id"
        return preparer
    }

    @inline(never)   // kept out of the device rows' `build`, which only tests for it
    func buildBroadcast(_ fields: Fields, _ reader: SlotReader, line: Int, channel raw: String) throws(RowError) -> PushNotification {
        let channel = try BroadcastRules.channelID(raw, label: "field '\(tokenField)'")
        var bundleID = defaults.topic, label = "--bundle-id"
        if let row = try overrideText(reader, Slot.topic) { (bundleID, label) = (row, "field 'topic'") }
        guard let bundleID else { throw RowError("no bundle id: give --bundle-id or a 'topic' field") }
        let bundle = try BroadcastRules.bundleID(bundleID, label: label)
        if let type = try overrideText(reader, Slot.pushType), type != PushType.liveactivity.rawValue {
            throw RowError("field 'push_type': a broadcast is a Live Activity push (liveactivity), not \(type)")
        }
        // 5 or 10, as for every Live Activity: `liveActivityRules` checks it with the payload.
        var priority = defaults.priority ?? BroadcastRules.defaultPriority
        if let text = try overrideText(reader, Slot.priority) {
            priority = try NotificationRules.priority(text, label: "field 'priority'")
        }
        var expiration = defaults.expiration, expiresAfter = defaults.expiresAfter
        if let text = try overrideText(reader, Slot.expiration) {
            switch try ExpirationValue.parse(text, nowSeconds: Clock.wallSeconds(), label: "field 'expiration'") {
            case .at(let time): (expiration, expiresAfter) = (time, nil)
            case .after(let seconds): (expiration, expiresAfter) = (nil, seconds)
            }
        }
        if expiration == nil && expiresAfter == nil { expiration = BroadcastRules.defaultExpiration }
        var policy = try overrideText(reader, Slot.collapseID).map { (text) throws(RowError) in
            try BroadcastRules.storagePolicy(text, label: "field 'storage_policy'")
        }
        if policy == nil, let channelPolicies { policy = try channelPolicies.policy(of: channel) }
        try BroadcastRules.checkExpiration(expiration, expiresAfter: expiresAfter, storagePolicy: policy)
        let requestID = try overrideText(reader, Slot.apnsID).map { (text) throws(RowError) in
            try NotificationRules.apnsID(text, label: "field 'apns_request_id'")
        }

        var patches: [SendTimeFields.Patch] = []
        let (payload, shape, payloadLabel, _) = try payloadSource(fields, reader, patches: &patches)
        try BroadcastRules.checkPayloadSize(payload.count)
        try NotificationRules.checkPayload(shape, pushType: .liveactivity, priority: priority)
        notes.record(try liveActivityRules.check(payload: payload, priority: priority, label: payloadLabel))
        var notification = PushNotification(line: line, token: channel, payload: payload, topic: bundle,
                                            pushType: .liveactivity, priority: priority, expiration: expiration,
                                            apnsID: requestID, kind: .broadcast)
        if !patches.isEmpty || expiresAfter != nil {
            notification.sendTime = SendTimeFields(patches: patches, expiresAfter: expiresAfter)
        }
        return notification
    }
}
