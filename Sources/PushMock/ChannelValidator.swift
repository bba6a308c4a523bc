import PushCore

/// Decides how APNs would answer a broadcast (`POST /4/broadcasts/apps/<bundle>` on the push port), checking in
/// the order of apns-protocol.md §9.2–9.3. Pure: the channel store is read through a parameter, and the answer's
/// ids are the caller's business. Management requests: `ChannelValidator+Management.swift`.
///
/// | # | check | answer |
/// |---|---|---|
/// | 1 | `:path` / `:method` (`ChannelRoute`) | 404 BadPath / 405 MethodNotAllowed |
/// | 2 | the provider token (token auth, as for device pushes) | 403 MissingProviderToken / InvalidProviderToken / … |
/// | 3 | broadcast enabled (`--broadcast-disabled`) | 400 FeatureNotEnabled |
/// | 4 | `apns-channel-id` present | 400 MissingChannelId |
/// | 5 | `apns-channel-id` is base64 (`ChannelID.isValid`) | 400 BadChannelId |
/// | 6 | the longest `--respond-channel` prefix of the id, if it applies to this attempt (`:K`) | its status and reason |
/// | 7 | the channel is registered for the bundle | 400 ChannelNotRegistered |
/// | 8 | `apns-push-type` present | 400 MissingPushType |
/// | 9 | `apns-push-type` is `liveactivity` (any case) | 400 InvalidPushType |
/// | 10 | `apns-priority` present and 10, 5 or 1 | 400 BadPriority |
/// | 11 | `apns-expiration` present, an integer, and 0 on a no-storage channel (policy 0) | 400 BadExpirationDate |
/// | 12 | no `apns-topic`, or exactly the bundle id (a `.push-type.…` suffix or any other topic) | 400 TopicDisallowed |
/// | 13 | `apns-request-id`, if present, is a UUID | 400 BadMessageId |
/// | 14 | body ≤ 5120 bytes | 413 PayloadTooLarge |
/// | 15 | body not empty | 400 PayloadEmpty |
/// | 16 | body is a JSON object | 400 BadRequestPayload |
/// | 17 | otherwise | 200 with `apns-request-id` and `apns-unique-id` |
///
/// The canned answer (6) comes before the registration check so that a client test can get any reason for a
/// made-up channel id without creating it; from attempt K+1 on, the checks go on as if no rule matched.
public struct ChannelValidator: Sendable {
    /// Broadcast payloads are limited like Live Activity pushes.
    public static let broadcastPayloadLimit = 5120
    /// Bodies of create requests larger than this are refused (BadRequestPayload); APNs' are about 60 bytes.
    public static let createBodyLimit = 4096

    /// The provider-token rules of the push port.
    public var authentication: RequestValidator
    public var broadcast: MockBroadcastConfiguration

    public init(authentication: RequestValidator, broadcast: MockBroadcastConfiguration) {
        self.authentication = authentication
        self.broadcast = broadcast
    }

    /// Checks 2 and 3, shared with the management port.
    func refusalBeforeChannel(_ request: MockRequest,
                              providerTokenUses: (Substring) -> Int) -> ChannelRefusal? {
        if let refusal = authentication.providerTokenRefusal(request, providerTokenUses: providerTokenUses) {
            return ChannelRefusal(refusal.status, refusal.reason)
        }
        if broadcast.disabled { return ChannelRefusal(400, ChannelReason.featureNotEnabled) }
        return nil
    }

    /// The answer to a broadcast for `bundle` (already routed): nil accepts it.
    /// - Parameters:
    ///   - attempt: requests to this channel id the server has seen, this one included (for `:K` rules).
    ///   - policy: the `message-storage-policy` of a channel id registered for the bundle, nil for others.
    public func checkBroadcast(_ request: MockRequest, bundle: String, attempt: Int = 1,
                               providerTokenUses: (Substring) -> Int = { _ in 1 },
                               policy: (String) -> Int?) -> ChannelRefusal? {
        if let refusal = refusalBeforeChannel(request, providerTokenUses: providerTokenUses) { return refusal }
        guard let channelID = request.header("apns-channel-id"), !channelID.isEmpty else {
            return ChannelRefusal(400, ChannelReason.missingChannelId)
        }
        guard ChannelID.isValid(channelID) else { return ChannelRefusal(400, ChannelReason.badChannelId) }
        if let rule = MockResponseRule.bestMatch(in: broadcast.channelRules, channelID: channelID),
           rule.status != 200, rule.applies(toAttempt: attempt) {
            return ChannelRefusal(rule.status, Reason(rawValue: rule.reason))
        }
        guard let storagePolicy = policy(channelID) else {
            return ChannelRefusal(400, ChannelReason.channelNotRegistered)
        }

        guard let pushType = request.header("apns-push-type"), !pushType.isEmpty else {
            return ChannelRefusal(400, ChannelReason.missingPushType)
        }
        guard ASCII.lowercased(pushType) == PushType.liveactivity.rawValue else {
            return ChannelRefusal(400, .invalidPushType)
        }
        guard let priority = request.header("apns-priority"), priority == "10" || priority == "5" || priority == "1"
        else { return ChannelRefusal(400, .badPriority) }
        guard let expiration = request.header("apns-expiration"), RequestValidator.isInteger(expiration),
              storagePolicy != 0 || expiration.utf8.allSatisfy({ $0 == UInt8(ascii: "0") }) else {
            return ChannelRefusal(400, .badExpirationDate)
        }
        if let topic = request.header("apns-topic"), topic != bundle { return ChannelRefusal(400, .topicDisallowed) }
        if let requestID = request.header("apns-request-id"), !RequestValidator.isUUID(requestID) {
            return ChannelRefusal(400, .badMessageId)
        }

        guard request.bodyLength <= Self.broadcastPayloadLimit else { return ChannelRefusal(413, .payloadTooLarge) }
        guard request.bodyLength > 0 else { return ChannelRefusal(400, .payloadEmpty) }
        guard JSONSyntax.isObject(request.body) else { return ChannelRefusal(400, ChannelReason.badRequestPayload) }
        return nil
    }
}
