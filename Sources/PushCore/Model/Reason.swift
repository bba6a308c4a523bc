/// An APNs error `reason` string. A struct so that reasons APNs adds later still reach the report.
/// Local reasons (outcomes apnsctl decides without an APNs answer) are listed at the end.
public struct Reason: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    // 400
    public static let badCollapseId = Reason(rawValue: "BadCollapseId")
    public static let badDeviceToken = Reason(rawValue: "BadDeviceToken")
    public static let badExpirationDate = Reason(rawValue: "BadExpirationDate")
    public static let badMessageId = Reason(rawValue: "BadMessageId")
    public static let badPriority = Reason(rawValue: "BadPriority")
    public static let badTopic = Reason(rawValue: "BadTopic")
    public static let deviceTokenNotForTopic = Reason(rawValue: "DeviceTokenNotForTopic")
    public static let duplicateHeaders = Reason(rawValue: "DuplicateHeaders")
    public static let idleTimeout = Reason(rawValue: "IdleTimeout")
    public static let invalidPushType = Reason(rawValue: "InvalidPushType")
    public static let missingDeviceToken = Reason(rawValue: "MissingDeviceToken")
    public static let missingTopic = Reason(rawValue: "MissingTopic")
    public static let payloadEmpty = Reason(rawValue: "PayloadEmpty")
    public static let topicDisallowed = Reason(rawValue: "TopicDisallowed")
    // 403
    public static let badCertificate = Reason(rawValue: "BadCertificate")
    public static let badCertificateEnvironment = Reason(rawValue: "BadCertificateEnvironment")
    public static let expiredProviderToken = Reason(rawValue: "ExpiredProviderToken")
    public static let forbidden = Reason(rawValue: "Forbidden")
    public static let invalidProviderToken = Reason(rawValue: "InvalidProviderToken")
    public static let missingProviderToken = Reason(rawValue: "MissingProviderToken")
    public static let unrelatedKeyIdInToken = Reason(rawValue: "UnrelatedKeyIdInToken")
    public static let badEnvironmentKeyIdInToken = Reason(rawValue: "BadEnvironmentKeyIdInToken")
    /// The spelling observed on the wire (apns-protocol.md §4.2): treated like the documented one.
    public static let badEnvironmentKeyInToken = Reason(rawValue: "BadEnvironmentKeyInToken")
    // 404, 405
    public static let badPath = Reason(rawValue: "BadPath")
    public static let methodNotAllowed = Reason(rawValue: "MethodNotAllowed")
    // 410
    public static let expiredToken = Reason(rawValue: "ExpiredToken")
    public static let unregistered = Reason(rawValue: "Unregistered")
    // 413
    public static let payloadTooLarge = Reason(rawValue: "PayloadTooLarge")
    // 429
    public static let tooManyProviderTokenUpdates = Reason(rawValue: "TooManyProviderTokenUpdates")
    public static let tooManyRequests = Reason(rawValue: "TooManyRequests")
    // 500, 503
    public static let internalServerError = Reason(rawValue: "InternalServerError")
    public static let serviceUnavailable = Reason(rawValue: "ServiceUnavailable")
    public static let shutdown = Reason(rawValue: "Shutdown")

    // Local outcomes, decided by apnsctl (never sent by APNs).
    /// The connection failed or closed before this request was answered.
    public static let connectionLost = Reason(rawValue: "ConnectionLost")
    /// No response arrived before the per-request deadline.
    public static let timeout = Reason(rawValue: "Timeout")
    /// The server's answer could not be used (a malformed or missing `:status`).
    public static let protocolError = Reason(rawValue: "ProtocolError")
}

extension Reason {
    /// Reasons that mean the credentials (key, team, certificate, environment) are refused for every
    /// request: continuing would only mark every remaining row rejected.
    /// APNs' final word about the token itself: gone (410 Unregistered, ExpiredToken) or not this environment's
    /// or topic's (400 BadDeviceToken, DeviceTokenNotForTopic). Such a row is settled: the prune list's business,
    /// not a failure of the run.
    public static func isTokenVerdict(_ text: String) -> Bool {
        text == unregistered.rawValue || text == expiredToken.rawValue || text == badDeviceToken.rawValue
            || text == deviceTokenNotForTopic.rawValue
    }

    public var isCredentialFailure: Bool {
        switch self {
        case .invalidProviderToken, .missingProviderToken, .badCertificate, .badCertificateEnvironment,
             .badEnvironmentKeyIdInToken, .badEnvironmentKeyInToken:
            return true
        default:
            return false
        }
    }

    /// What the user should check when APNs refuses the credentials with this reason.
    public var credentialHint: String {
        if let broadcastHint { return broadcastHint }
        switch self {
        case .invalidProviderToken:
            return "check that --key-id is the key's id, --team-id your team id, and that the .p8 key has not been revoked"
        case .missingProviderToken:
            return "the request carried no provider token: pass --key, --key-id and --team-id"
        case .badEnvironmentKeyIdInToken, .badEnvironmentKeyInToken:
            return "this key is limited to the other environment: try --production or --sandbox"
        case .badCertificateEnvironment:
            return "the certificate is for the other environment: try --production or --sandbox"
        case .badCertificate:
            return "the certificate is not valid for APNs"
        default:
            return "check the credentials"
        }
    }
}
