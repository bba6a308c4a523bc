/// The reasons of broadcast and channel-management answers (apns-protocol.md §9.3), and which of them are
/// configuration: the same answer would come for every request, so the run stops with what to change where.
extension Reason {
    public static let featureNotEnabled = Reason(rawValue: "FeatureNotEnabled")
    public static let missingChannelId = Reason(rawValue: "MissingChannelId")
    public static let badChannelId = Reason(rawValue: "BadChannelId")
    public static let channelNotRegistered = Reason(rawValue: "ChannelNotRegistered")
    public static let badRequestParams = Reason(rawValue: "BadRequestParams")
    public static let badRequestPayload = Reason(rawValue: "BadRequestPayload")
    public static let missingPushType = Reason(rawValue: "MissingPushType")
    /// The app has as many channels as APNs allows (10,000 per app and environment).
    public static let cannotCreateChannelConfig = Reason(rawValue: "CannotCreateChannelConfig")
    public static let topicMismatch = Reason(rawValue: "TopicMismatch")

    /// Broadcast push is not enabled for the app, or the bundle id does not match the credentials: every request
    /// of the run would get the same answer.
    public var isBroadcastConfigurationFailure: Bool {
        self == .featureNotEnabled || self == .topicMismatch
    }

    /// The message that stops a run on an answer `RetryPolicy` classifies as `credentials`.
    public var stopRunMessage: String {
        let what = isBroadcastConfigurationFailure ? "the request" : "the credentials"
        return "APNs refused \(what) (\(rawValue)): \(credentialHint)"
    }

    /// What to change for a broadcast configuration reason; nil for the others.
    var broadcastHint: String? {
        switch self {
        case .featureNotEnabled:
            return "broadcast push is not enabled for this app: turn on the Broadcast Capability for the App ID "
                + "at developer.apple.com (Certificates, Identifiers & Profiles > Identifiers), then run again"
        case .topicMismatch:
            return "the bundle id does not belong to the credentials' team or certificate: check --bundle-id "
                + "(a bare bundle id, no push-type suffix) and the key or certificate"
        default:
            return nil
        }
    }
}
