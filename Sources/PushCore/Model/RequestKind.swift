/// Which APNs request a `PushNotification` is: the method, the path, the header set and how its answer is read.
/// One engine sends all of them (the same connections, retries, deadlines and report rows); only the request's
/// shape differs (apns-protocol.md §3, §9).
///
/// | kind           | method + path                          | headers besides `authorization`                       | success |
/// |----------------|----------------------------------------|-------------------------------------------------------|---------|
/// | device         | POST /3/device/<token>                 | apns-topic, -push-type, -priority, -expiration, -id…  | 200     |
/// | broadcast      | POST /4/broadcasts/apps/<bundle>       | apns-channel-id, apns-push-type: liveactivity, apns-priority, apns-expiration, apns-request-id | 200 |
/// | createChannel  | POST /1/apps/<bundle>/channels         | apns-request-id; body {"message-storage-policy":N,"push-type":"LiveActivity"} | 201 + apns-channel-id |
/// | readChannel    | GET /1/apps/<bundle>/channels          | apns-channel-id, apns-request-id                      | 200 + body |
/// | deleteChannel  | DELETE /1/apps/<bundle>/channels       | apns-channel-id, apns-request-id                      | 204     |
/// | listChannels   | GET /1/apps/<bundle>/all-channels      | apns-request-id                                       | 200 + {"channels":[…]} |
///
/// For every kind but `device`, `PushNotification.token` holds the channel id (empty for create and list),
/// `topic` the bundle id and `apnsID` the `apns-request-id`.
public enum RequestKind: UInt8, Sendable, Equatable, CaseIterable {
    case device, broadcast, createChannel, readChannel, deleteChannel, listChannels

    /// A channel-management operation (sent to the management host, not the push host).
    public var isManagement: Bool {
        switch self {
        case .device, .broadcast: return false
        case .createChannel, .readChannel, .deleteChannel, .listChannels: return true
        }
    }

    public var method: StaticString {
        switch self {
        case .device, .broadcast, .createChannel: return "POST"
        case .readChannel, .listChannels: return "GET"
        case .deleteChannel: return "DELETE"
        }
    }

    /// The path before the bundle id (or the device token), and after it.
    var pathParts: (prefix: StaticString, suffix: StaticString) {
        switch self {
        case .device: return ("/3/device/", "")
        case .broadcast: return ("/4/broadcasts/apps/", "")
        case .createChannel, .readChannel, .deleteChannel: return ("/1/apps/", "/channels")
        case .listChannels: return ("/1/apps/", "/all-channels")
        }
    }

    /// The request names one channel in `apns-channel-id`.
    public var sendsChannelID: Bool {
        self == .broadcast || self == .readChannel || self == .deleteChannel
    }

    /// The answer's body is wanted (read and list), not only its reason.
    public var keepsAnswerBody: Bool {
        self == .readChannel || self == .listChannels
    }

    /// Largest answer body kept: a list of 10,000 channels runs to a few hundred kilobytes.
    public var maxAnswerBodyBytes: Int {
        self == .listChannels ? 4 << 20 : APNsResponse.maxBodyBytes
    }
}
