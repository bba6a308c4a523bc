import PushCore

/// What a broadcast or channel-management answer adds to a `MockDecision` (whose `apnsID` then holds the
/// `apns-request-id`: these answers carry it instead of `apns-id`, apns-protocol.md §9).
public struct ChannelAnswer: Sendable, Equatable {
    /// nil when the request was refused before its operation was known (404 BadPath, 405 MethodNotAllowed).
    public var operation: ChannelOperation?
    /// The channel the request was about: the one created, or the request's `apns-channel-id`.
    public var channelID: String?
    /// A success body: the channel's configuration (read) or the list of ids (list).
    public var body: [UInt8]?

    public init(operation: ChannelOperation?, channelID: String? = nil, body: [UInt8]? = nil) {
        self.operation = operation
        self.channelID = channelID
        self.body = body
    }

    /// `{"message-storage-policy":1,"push-type":"LiveActivity"}`: a read's body.
    public static func configurationBody(policy: Int) -> [UInt8] {
        var body = Array(#"{"message-storage-policy":"#.utf8)
        JSONText.appendInteger(policy, to: &body)
        body.append(contentsOf: #","push-type":"LiveActivity"}"#.utf8)
        return body
    }

    /// `{"channels":["…","…"]}`: a list's body.
    public static func listBody(ids: [String]) -> [UInt8] {
        var body = Array(#"{"channels":["#.utf8)
        for (index, id) in ids.enumerated() {
            if index > 0 { body.append(UInt8(ascii: ",")) }
            JSONText.appendString(id, to: &body)
        }
        body.append(contentsOf: "]}".utf8)
        return body
    }

    /// The response headers (besides `:status`) of a decision with a channel answer: `apns-request-id` always,
    /// `apns-channel-id` on a create, `apns-unique-id` on an accepted broadcast, `content-type` when a body follows.
    static func headers(for decision: MockDecision, _ answer: ChannelAnswer, into fields: inout [HTTP2HeaderField]) {
        fields.removeAll(keepingCapacity: true)
        fields.append(HTTP2HeaderField(name: "apns-request-id", value: decision.apnsID, neverIndex: true))
        if decision.isAccepted {
            if answer.operation == .create, let id = answer.channelID {
                fields.append(HTTP2HeaderField(name: "apns-channel-id", value: id, neverIndex: true))
            }
            if let uniqueID = decision.uniqueID {
                fields.append(HTTP2HeaderField(name: "apns-unique-id", value: uniqueID, neverIndex: true))
            }
        }
        if !decision.isAccepted || answer.body != nil {
            fields.append(HTTP2HeaderField(name: "content-type", value: "application/json"))
        }
        fields.append(HTTP2HeaderField(name: "server", value: MockIdentity.serverName))
    }
}
