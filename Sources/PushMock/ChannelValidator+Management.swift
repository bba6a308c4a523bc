import PushCore

/// What the management port does with a request (apns-protocol.md §9.1), decided by
/// `ChannelValidator.checkManagement`; the engine applies it to the channel store.
public enum ManagementStep: Sendable, Equatable {
    case refuse(ChannelRefusal)
    /// Create a channel with this `message-storage-policy` (the store may still be full).
    case create(policy: Int)
    /// Answer 200 with the channel's configuration.
    case read(channelID: String, policy: Int)
    /// Delete the channel and answer 204.
    case delete(channelID: String)
    /// Answer 200 with the bundle's channel ids.
    case list
}

/// Management requests, after routing (`ChannelRoute`: 404 BadPath, 405 MethodNotAllowed):
///
/// | # | operation | check | answer |
/// |---|---|---|---|
/// | 1 | all | the provider token (token auth, as on the push port) | 403 MissingProviderToken / … |
/// | 2 | all | broadcast enabled (`--broadcast-disabled`) | 400 FeatureNotEnabled |
/// | 3 | all | `apns-request-id`, if present, is a UUID | 400 BadMessageId |
/// | 4 | all | the `--respond-manage` rule of the operation, if it applies to this attempt (`:K`) | its status and reason |
/// | 5 | create | body is a JSON object with `message-storage-policy` 0 or 1 and `push-type` `LiveActivity` (any case) | 400 BadRequestPayload |
/// | 6 | create | the bundle has fewer channels than the limit (applied by the engine) | 400 CannotCreateChannelConfig |
/// | 5 | read, delete | `apns-channel-id` present | 400 MissingChannelId |
/// | 6 | read, delete | `apns-channel-id` is base64 | 400 BadChannelId |
/// | 7 | read, delete | the channel is registered for the bundle | 400 ChannelNotRegistered |
/// | 8 | all | otherwise | 201 + `apns-channel-id` (create), 200 + configuration (read), 204 (delete), 200 + `{"channels":[…]}` (list) |
extension ChannelValidator {
    /// - Parameters:
    ///   - attempt: requests for this operation the server has seen, this one included (for `:K` rules).
    ///   - policy: the `message-storage-policy` of a channel id registered for the bundle, nil for others.
    public func checkManagement(_ request: MockRequest, route: ChannelRoute, attempt: Int = 1,
                                providerTokenUses: (Substring) -> Int = { _ in 1 },
                                policy: (String) -> Int?) -> ManagementStep {
        if let refusal = refusalBeforeChannel(request, providerTokenUses: providerTokenUses) {
            return .refuse(refusal)
        }
        if let requestID = request.header("apns-request-id"), !RequestValidator.isUUID(requestID) {
            return .refuse(ChannelRefusal(400, .badMessageId))
        }
        if let rule = MockResponseRule.rule(in: broadcast.manageRules, for: route.operation), rule.status != 200,
           rule.applies(toAttempt: attempt) {
            return .refuse(ChannelRefusal(rule.status, Reason(rawValue: rule.reason)))
        }
        switch route.operation {
        case .create:
            guard let storagePolicy = Self.createdPolicy(request) else {
                return .refuse(ChannelRefusal(400, ChannelReason.badRequestPayload))
            }
            return .create(policy: storagePolicy)
        case .read, .delete:
            guard let channelID = request.header("apns-channel-id"), !channelID.isEmpty else {
                return .refuse(ChannelRefusal(400, ChannelReason.missingChannelId))
            }
            guard ChannelID.isValid(channelID) else { return .refuse(ChannelRefusal(400, ChannelReason.badChannelId)) }
            guard let storagePolicy = policy(channelID) else {
                return .refuse(ChannelRefusal(400, ChannelReason.channelNotRegistered))
            }
            return route.operation == .read ? .read(channelID: channelID, policy: storagePolicy)
                : .delete(channelID: channelID)
        case .list:
            return .list
        case .broadcast:
            return .refuse(.notFound)   // not a management operation
        }
    }

    /// The `message-storage-policy` of a create request's body, nil when the body is not
    /// `{"message-storage-policy":0|1,"push-type":"LiveActivity"}` (other keys are ignored).
    static func createdPolicy(_ request: MockRequest) -> Int? {
        guard request.bodyLength <= createBodyLimit,
              case .object(let body)? = try? JSONParser.parse(request.body),
              case .string(let pushType)? = body["push-type"],
              ASCII.lowercased(pushType) == PushType.liveactivity.rawValue,
              case .number(let text)? = body["message-storage-policy"] else { return nil }
        switch text {
        case "0": return 0
        case "1": return 1
        default: return nil
        }
    }
}
