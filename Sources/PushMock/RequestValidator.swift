import PushCore

/// The mock's answer to one request.
public struct MockDecision: Sendable, Equatable {
    public var status: Int
    /// nil for 200.
    public var reason: Reason?
    /// The request's `apns-id` when it was a valid UUID, else a fresh lowercase UUID.
    public var apnsID: String
    /// `apns-unique-id`, on 200 only (real APNs sends it in the development environment).
    public var uniqueID: String?
    /// The 410 `timestamp`, milliseconds since the epoch.
    public var timestampMs: Int64?
    /// `--timestamp`: the body's `timestamp` as raw JSON text; wins over `timestampMs`.
    public var timestampText: String?

    public init(status: Int, reason: Reason? = nil, apnsID: String, uniqueID: String? = nil, timestampMs: Int64? = nil) {
        self.status = status
        self.reason = reason
        self.apnsID = apnsID
        self.uniqueID = uniqueID
        self.timestampMs = timestampMs
    }

    /// Broadcast and channel-management answers: what differs from a device push's answer. nil for device pushes.
    public var channel: ChannelAnswer?

    /// 2xx: 200 for pushes, 201 and 204 on the management port.
    public var isAccepted: Bool { (200...299).contains(status) }
}

/// Non-JSON bodies: APNs does not document its answer. The mock says 400 with this reason (not an APNs reason).
extension Reason {
    public static let mockBadPayload = Reason(rawValue: "BadPayload")
}

/// Decides how APNs would answer a request, checking in APNs' order (apns-protocol.md §3–§5). Pure: the clock and
/// the id source are parameters.
///
/// | # | check | answer |
/// |---|---|---|
/// | 1 | `:method` is POST | 405 MethodNotAllowed |
/// | 2 | `:path` is `/3/device/<token>` | 404 BadPath |
/// | 3 | token not empty | 400 MissingDeviceToken |
/// | 4 | token is even-length hex | 400 BadDeviceToken |
/// | 5 | no header name repeats | 400 DuplicateHeaders |
/// | 6 | `authorization: bearer <JWT>` (token auth) | 403 MissingProviderToken / InvalidProviderToken / verifier's reason |
/// | 6a | with `expireProviderTokenOnce`: the first use of the first JWT the server saw | 403 ExpiredProviderToken |
/// | 7 | `apns-topic` present | 400 MissingTopic |
/// | 8 | `apns-push-type`, if present, is known | 400 InvalidPushType |
/// | 9 | `apns-priority`, if present, is 10, 5 or 1 | 400 BadPriority |
/// | 10 | not background with priority 10 | 400 BadPriority |
/// | 11 | `apns-id`, if present, is a UUID | 400 BadMessageId |
/// | 12 | `apns-expiration`, if present, is an integer | 400 BadExpirationDate |
/// | 13 | `apns-collapse-id` ≤ 64 bytes | 400 BadCollapseId |
/// | 14 | body not empty | 400 PayloadEmpty |
/// | 15 | body within the push type's limit | 413 PayloadTooLarge |
/// | 16 | body is a JSON object | 400 BadPayload (mock only) |
/// | 16a | the token is all zeros (never a device; what `apnsctl check --connect` sends) | 400 BadDeviceToken |
/// | 17 | longest matching response rule, if it applies to this attempt (`:K`) | its status and reason (410 adds `timestamp`; a matching `--timestamp` rule sets its text) |
/// | 18 | `failureRate` draws a failure for (token, attempt) | 500 InternalServerError |
/// | 19 | otherwise | 200 with `apns-id` and `apns-unique-id` |
public struct RequestValidator: Sendable {
    public var requireProviderToken: Bool
    public var tokenVerifier: (@Sendable (String) -> Reason?)?
    public var responseRules: [MockResponseRule]
    public var failureRate: FailureRate?
    public var expireProviderTokenOnce: Bool
    public var timestampRules: [MockTimestampRule]

    public init(requireProviderToken: Bool = true, tokenVerifier: (@Sendable (String) -> Reason?)? = nil,
                responseRules: [MockResponseRule] = [], failureRate: FailureRate? = nil,
                expireProviderTokenOnce: Bool = false, timestampRules: [MockTimestampRule] = []) {
        self.requireProviderToken = requireProviderToken
        self.tokenVerifier = tokenVerifier
        self.responseRules = responseRules
        self.failureRate = failureRate
        self.expireProviderTokenOnce = expireProviderTokenOnce
        self.timestampRules = timestampRules
    }

    public init(configuration: MockConfiguration) {
        self.init(requireProviderToken: configuration.requireProviderToken,
                  tokenVerifier: configuration.tokenVerifier, responseRules: configuration.responseRules,
                  failureRate: configuration.failureRate,
                  expireProviderTokenOnce: configuration.expireProviderTokenOnce,
                  timestampRules: configuration.timestampRules)
    }

    /// - Parameters:
    ///   - attempt: how many requests for this device token the server has seen, this one included (1-based);
    ///     read by rules with `:K` and by the failure rate.
    ///   - providerTokenUses: with `expireProviderTokenOnce`, called once for a JWT that passed the verifier;
    ///     records this use and returns how many uses of that JWT there have been, this one included.
    ///   - nowMs: milliseconds since the epoch; only read for a 410.
    ///   - newID: a fresh lowercase UUID; called for a missing/invalid `apns-id` and for `apns-unique-id`.
    public func decide(_ request: MockRequest, attempt: Int = 1, providerTokenUses: (Substring) -> Int = { _ in 1 },
                       nowMs: () -> Int64, newID: () -> String) -> MockDecision {
        let requestID = request.header("apns-id")
        let apnsID = requestID.flatMap { Self.isUUID($0) ? $0 : nil } ?? newID()
        func reject(_ status: Int, _ reason: Reason) -> MockDecision {
            MockDecision(status: status, reason: reason, apnsID: apnsID)
        }

        guard request.method == "POST" else { return reject(405, .methodNotAllowed) }
        guard let token = request.deviceToken else { return reject(404, .badPath) }
        guard !token.isEmpty else { return reject(400, .missingDeviceToken) }
        guard token.utf8.count % 2 == 0, token.utf8.allSatisfy(ASCII.isHex) else { return reject(400, .badDeviceToken) }
        guard !request.hasDuplicateHeaders else { return reject(400, .duplicateHeaders) }

        if let refusal = providerTokenRefusal(request, providerTokenUses: providerTokenUses) {
            return reject(refusal.status, refusal.reason)
        }

        guard let topic = request.header("apns-topic"), !topic.isEmpty else { return reject(400, .missingTopic) }
        var pushType: PushType?
        if let value = request.header("apns-push-type") {
            let type = PushType(rawValue: value)
            guard type.isKnown else { return reject(400, .invalidPushType) }
            pushType = type
        }
        if let priority = request.header("apns-priority") {
            guard priority == "10" || priority == "5" || priority == "1" else { return reject(400, .badPriority) }
            // Background pushes must use priority 5 (A-SEND); only an explicit 10 is refused here.
            if pushType == .background && priority == "10" { return reject(400, .badPriority) }
        }
        if let requestID, !Self.isUUID(requestID) { return reject(400, .badMessageId) }
        if let expiration = request.header("apns-expiration") {
            guard Self.isInteger(expiration) else { return reject(400, .badExpirationDate) }
        }
        if let collapseID = request.header("apns-collapse-id"), collapseID.utf8.count > 64 {
            return reject(400, .badCollapseId)
        }

        guard request.bodyLength > 0 else { return reject(400, .payloadEmpty) }
        guard request.bodyLength <= (pushType ?? .alert).payloadLimit else { return reject(413, .payloadTooLarge) }
        let isObject = request.body.withUnsafeBytes { JSONSyntax.isObject($0) }
        guard isObject else { return reject(400, .mockBadPayload) }
        // Like APNs: a well-formed request with valid credentials for the all-zero token is a BadDeviceToken.
        if token.utf8.allSatisfy({ $0 == UInt8(ascii: "0") }) { return reject(400, .badDeviceToken) }

        if let rule = MockResponseRule.bestMatch(in: responseRules, token: token), rule.status != 200,
           rule.applies(toAttempt: attempt) {
            var decision = reject(rule.status, Reason(rawValue: rule.reason))
            if let text = MockTimestampRule.text(in: timestampRules, token: token) {
                decision.timestampText = text
            } else if rule.status == 410 {
                decision.timestampMs = nowMs()
            }
            return decision
        }
        if let failureRate, failureRate.fails(token: token, attempt: attempt) {
            return reject(500, .internalServerError)
        }
        return MockDecision(status: 200, apnsID: apnsID, uniqueID: newID())
    }

    /// 429 for TooManyProviderTokenUpdates and TooManyRequests, 403 for every other provider-token reason.
    public static func status(forProviderTokenReason reason: Reason) -> Int {
        reason == .tooManyProviderTokenUpdates || reason == .tooManyRequests ? 429 : 403
    }

    /// The JWT of `bearer <JWT>` (scheme case-insensitive, spaces around trimmed), nil for another scheme.
    static func bearerToken(_ authorization: String) -> Substring? {
        let utf8 = authorization.utf8
        let space = UInt8(ascii: " ")
        var start = utf8.startIndex
        while start < utf8.endIndex, utf8[start] == space { start = utf8.index(after: start) }
        guard ASCII.hasPrefixIgnoringCase(utf8[start...], "bearer".utf8) else { return nil }
        start = utf8.index(start, offsetBy: 6)
        guard start < utf8.endIndex else { return "" }
        guard utf8[start] == space else { return nil }
        while start < utf8.endIndex, utf8[start] == space { start = utf8.index(after: start) }
        var end = utf8.endIndex
        while end > start, utf8[utf8.index(before: end)] == space { end = utf8.index(before: end) }
        return authorization[start..<end]
    }

    /// `8-4-4-4-12` hex digits (either case).
    static func isUUID(_ text: String) -> Bool {
        var count = 0
        for byte in text.utf8 {
            switch count {
            case 8, 13, 18, 23: guard byte == UInt8(ascii: "-") else { return false }
            default: guard ASCII.isHex(byte) else { return false }
            }
            count += 1
        }
        return count == 36
    }

    /// Decimal digits only (UNIX seconds; 0 means "try once").
    static func isInteger(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 19 && text.utf8.allSatisfy(ASCII.isDigit)
    }
}
