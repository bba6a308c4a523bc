/// The headers of the requests that are not device pushes (`RequestKind`): a broadcast on a channel and the
/// channel-management operations (apns-protocol.md §9). They are built whole for each request: they are rarer than
/// device pushes, and a broadcast's `apns-channel-id` changes from row to row anyway.
extension APNsRequestHeaders {
    mutating func updateChannelRequest(for notification: PushNotification, authority: String, authorization: String?) {
        let kind = notification.kind
        stable = nil   // the next device push rebuilds its repeating part
        block.removeAll()
        block.add(":method", kind.method.description)
        block.add(":scheme", "https")
        block.add(":authority", authority)
        let (prefix, suffix) = kind.pathParts
        block.add(":path", prefix.description + (notification.topic ?? "") + suffix.description, sensitive: true)
        if let authorization { block.add("authorization", authorization, sensitive: true) }
        if kind.sendsChannelID { block.add("apns-channel-id", notification.token, sensitive: true) }
        if kind == .broadcast {
            // Apple requires all three on a broadcast; the row preparer fills them in.
            block.add("apns-push-type", (notification.pushType ?? .liveactivity).rawValue)
            block.add("apns-priority", notification.priority ?? 10)
            block.add("apns-expiration", notification.expiration ?? 0)
        }
        if let requestID = notification.apnsID { block.add("apns-request-id", requestID, sensitive: true) }
        if kind == .broadcast || kind == .createChannel { block.add("content-type", "application/json") }
    }
}
