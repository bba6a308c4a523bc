/// Builds the HTTP/2 request for one notification (apns-protocol.md §3). Pure.
///
/// Per-request values (`:path`, `authorization`, `apns-id`, `apns-collapse-id`) are marked sensitive so
/// HPACK never indexes them; the rest repeat across a campaign and compress well.
public enum APNsRequest {
    static func headers(for notification: PushNotification, authority: String, authorization: String?) -> [HeaderField] {
        var headers: [HeaderField] = []
        headers.reserveCapacity(11)
        headers.append(HeaderField(":method", "POST"))
        headers.append(HeaderField(":scheme", "https"))
        headers.append(HeaderField(":authority", authority))
        headers.append(HeaderField(":path", "/3/device/" + notification.token, sensitive: true))
        if let authorization { headers.append(HeaderField("authorization", authorization, sensitive: true)) }
        if let topic = notification.topic { headers.append(HeaderField("apns-topic", topic)) }
        if let pushType = notification.pushType { headers.append(HeaderField("apns-push-type", pushType.rawValue)) }
        if let priority = notification.priority { headers.append(HeaderField("apns-priority", String(priority))) }
        if let expiration = notification.expiration { headers.append(HeaderField("apns-expiration", String(expiration))) }
        if let collapseID = notification.collapseID {
            headers.append(HeaderField("apns-collapse-id", collapseID, sensitive: true))
        }
        if let apnsID = notification.apnsID { headers.append(HeaderField("apns-id", apnsID, sensitive: true)) }
        headers.append(HeaderField("content-type", "application/json"))
        return headers
    }
}
