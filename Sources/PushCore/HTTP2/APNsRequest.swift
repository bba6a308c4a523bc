/// Builds the HTTP/2 request headers for one notification (apns-protocol.md §3). Pure.
///
/// Per-request values (`:path`, `authorization`, `apns-id`, `apns-collapse-id`) are marked sensitive so
/// HPACK never indexes them; the rest repeat across a campaign and compress well.
package enum APNsRequest {
    package static func headers(for notification: PushNotification, authority: String, authorization: String?,
                                into block: inout HeaderBlock) {
        block.removeAll()
        block.add(":method", "POST")
        block.add(":scheme", "https")
        block.add(":authority", authority)
        block.add(":path", prefix: "/3/device/", notification.token, sensitive: true)
        if let authorization { block.add("authorization", authorization, sensitive: true) }
        if let topic = notification.topic { block.add("apns-topic", topic) }
        if let pushType = notification.pushType { block.add("apns-push-type", pushType.rawValue) }
        if let priority = notification.priority { block.add("apns-priority", priority) }
        if let expiration = notification.expiration { block.add("apns-expiration", expiration) }
        if let collapseID = notification.collapseID { block.add("apns-collapse-id", collapseID, sensitive: true) }
        if let apnsID = notification.apnsID { block.add("apns-id", apnsID, sensitive: true) }
        block.add("content-type", "application/json")
    }
}
