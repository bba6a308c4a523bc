/// One push request, ready to send: a device token, the rendered payload bytes and the headers.
/// Built from one input row (or one `--device`); `line` ties it back to that row in the report.
public struct PushNotification: Sendable, Equatable {
    /// Input line where the row starts (1-based; for `--device` tokens, the token's position).
    public var line: Int
    /// Lowercase hex device token.
    public var token: String
    /// The JSON payload, exactly as it goes on the wire.
    public var payload: [UInt8]
    public var topic: String?
    public var pushType: PushType?
    /// 10, 5 or 1; nil leaves the header out (APNs' default is 10).
    public var priority: Int?
    /// Which request this is (`RequestKind`): a device push unless a broadcast or channel command made it.
    /// Declared here, after a field that leaves padding, so that it takes no room: a notification stays 128 bytes,
    /// the size up to which copying it is cheapest.
    public var kind: RequestKind = .device
    /// UNIX seconds; nil leaves the header out.
    public var expiration: Int?
    public var collapseID: String?
    /// Canonical lowercase UUID; nil lets APNs assign one.
    public var apnsID: String?
    /// Values set when the request is sent (`{{$now}}` digits, an expiration from the send); nil for most rows.
    public var sendTime: SendTimeFields?

    public init(line: Int, token: String, payload: [UInt8], topic: String? = nil,
                pushType: PushType? = nil, priority: Int? = nil, expiration: Int? = nil,
                collapseID: String? = nil, apnsID: String? = nil, kind: RequestKind = .device) {
        self.line = line
        self.token = token
        self.payload = payload
        self.topic = topic
        self.pushType = pushType
        self.priority = priority
        self.expiration = expiration
        self.collapseID = collapseID
        self.apnsID = apnsID
        self.kind = kind
    }
}
