/// The HTTP/2 request headers of one notification after another (apns-protocol.md §3), in one reusable block.
///
/// Values that vary per request or per row (`:path`, `authorization`, `apns-id`, `apns-collapse-id`,
/// `apns-expiration`) are marked sensitive so HPACK never indexes them (they would only churn its table); the rest repeat across a campaign and compress well. The fields that repeat (method,
/// scheme, authority, authorization, topic, push type, priority, expiration, content type) are written once and
/// kept while they stay the same: each request then only writes its path and its own ids.
package struct APNsRequestHeaders {
    /// The current request's fields; valid until the next `update`.
    package internal(set) var block = HeaderBlock()
    /// What the repeating part of `block` was built from; nil before the first request.
    var stable: Stable?

    struct Stable {
        var authority: String
        var authorization: String?
        var topic: String?
        var pushType: PushType?
        var priority: Int?
        var expiration: Int?

        /// Compared field by field (no `Stable` built per request: that would retain its strings).
        func matches(_ notification: PushNotification, authority: String, authorization: String?) -> Bool {
            self.authority == authority && self.authorization == authorization && topic == notification.topic
                && pushType == notification.pushType && priority == notification.priority
                && expiration == notification.expiration
        }
    }

    /// Index of `:path` in `block.spans` (after the other pseudo-headers, which HTTP/2 requires first).
    private static let pathIndex = 3

    package init() {}

    /// The current request's headers for `-vv`, one `name: value` per line, like `curl -v` (`> ` before each).
    /// The provider token shows only its last 6 characters (`bearer …abcdef`): enough to tell tokens apart.
    package var trace: String {
        var lines: [String] = []
        for index in block.spans.indices {
            let (name, value, _) = block.field(index)
            lines.append("> \(name): \(name == "authorization" ? Self.redacted(value) : value)")
        }
        return lines.joined(separator: "\n")
    }

    static func redacted(_ authorization: String) -> String {
        let scheme = authorization.prefix { $0 != " " }
        return "\(scheme) …\(authorization.suffix(6))"
    }

    /// Submits `notification` on `session` with these headers (made the notification's first with `update`); returns
    /// the stream id. Through `self`, not `block` passed along: the block's arrays are not retained for the call.
    package mutating func submit(_ notification: PushNotification, on session: HTTP2ClientSession, tag: Int) throws(HTTP2Error) -> Int32 {
        try session.submitRequest(headers: block, body: notification.payload, tag: tag)
    }

    /// Makes `block` the headers of `notification`.
    package mutating func update(for notification: PushNotification, authority: String, authorization: String?) {
        guard notification.kind == .device else {
            return updateChannelRequest(for: notification, authority: authority, authorization: authorization)
        }
        if stable?.matches(notification, authority: authority, authorization: authorization) != true {
            block.removeAll()
            block.add(":method", "POST")
            block.add(":scheme", "https")
            block.add(":authority", authority)
            block.add(":path", "", sensitive: true)   // each request's own value, set below with setValue(ofField:)
            if let authorization { block.add("authorization", authorization, sensitive: true) }
            if let topic = notification.topic { block.add("apns-topic", topic) }
            if let pushType = notification.pushType { block.add("apns-push-type", pushType.rawValue) }
            if let priority = notification.priority { block.add("apns-priority", priority) }
            if let expiration = notification.expiration { block.add("apns-expiration", expiration, sensitive: true) }
            block.add("content-type", "application/json")
            block.markStable()
            stable = Stable(authority: authority, authorization: authorization, topic: notification.topic,
                            pushType: notification.pushType, priority: notification.priority,
                            expiration: notification.expiration)
        } else {
            block.rewindToStable()
        }
        block.setValue(ofField: Self.pathIndex, prefix: "/3/device/", notification.token)
        if let collapseID = notification.collapseID { block.add("apns-collapse-id", collapseID, sensitive: true) }
        if let apnsID = notification.apnsID { block.add("apns-id", apnsID, sensitive: true) }
    }
}
