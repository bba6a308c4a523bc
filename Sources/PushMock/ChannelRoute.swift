import PushCore

/// The broadcast reasons APNs documents (apns-protocol.md §9.3) that device pushes never see. Kept here, not on
/// `Reason`, so that the mock does not depend on which of them the client names.
public enum ChannelReason {
    public static let featureNotEnabled = Reason(rawValue: "FeatureNotEnabled")
    public static let missingChannelId = Reason(rawValue: "MissingChannelId")
    public static let badChannelId = Reason(rawValue: "BadChannelId")
    public static let channelNotRegistered = Reason(rawValue: "ChannelNotRegistered")
    public static let badRequestPayload = Reason(rawValue: "BadRequestPayload")
    public static let missingPushType = Reason(rawValue: "MissingPushType")
    public static let cannotCreateChannelConfig = Reason(rawValue: "CannotCreateChannelConfig")
}

/// What a request to the broadcast paths asks for.
public enum ChannelOperation: String, Sendable, Equatable, CaseIterable {
    /// `POST /1/apps/<bundle>/channels` (management port).
    case create
    /// `GET /1/apps/<bundle>/channels` with `apns-channel-id` (management port).
    case read
    /// `DELETE /1/apps/<bundle>/channels` with `apns-channel-id` (management port).
    case delete
    /// `GET /1/apps/<bundle>/all-channels` (management port).
    case list
    /// `POST /4/broadcasts/apps/<bundle>` (push port).
    case broadcast

    /// The operations of the management port, the OP of `--respond-manage OP=…`.
    public static let management: [ChannelOperation] = [.create, .read, .delete, .list]
}

/// Which port a request arrived on.
public enum MockPort: Sendable, Equatable {
    /// The push port (`--listen`): device pushes and `/4/broadcasts`.
    case push
    /// The channel-management port (`--manage-listen`).
    case management
}

/// Where a broadcast or management request goes: its operation and bundle id, or the 404/405 APNs answers.
///
/// | port | `:path` | method | operation |
/// |---|---|---|---|
/// | push | `/4/broadcasts/apps/<bundle>` | POST | broadcast |
/// | management | `/1/apps/<bundle>/channels` | POST / GET / DELETE | create / read / delete |
/// | management | `/1/apps/<bundle>/all-channels` | GET | list |
/// | either | a path above | another method | 405 MethodNotAllowed |
/// | either | any other path (an empty bundle id, a query, a trailing slash) | any | 404 BadPath |
public struct ChannelRoute: Sendable, Equatable {
    public var operation: ChannelOperation
    public var bundle: String

    public init(operation: ChannelOperation, bundle: String) {
        self.operation = operation
        self.bundle = bundle
    }

    /// True when a push-port request goes to the broadcast paths rather than the device ones.
    public static func isBroadcastPath(_ path: String) -> Bool {
        path.utf8.starts(with: "/4/".utf8)
    }

    /// The route, or the refusal (status, reason).
    public static func resolve(method: String, path: String, port: MockPort) -> Result<ChannelRoute, ChannelRefusal> {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        // "/a/b" splits into "", "a", "b".
        guard parts.count >= 2, parts[0].isEmpty, !path.contains("?") else { return .failure(.notFound) }
        let segments = Array(parts.dropFirst())
        switch port {
        case .push:
            guard segments.count == 4, segments[0] == "4", segments[1] == "broadcasts", segments[2] == "apps",
                  !segments[3].isEmpty else { return .failure(.notFound) }
            guard method == "POST" else { return .failure(.methodNotAllowed) }
            return .success(ChannelRoute(operation: .broadcast, bundle: String(segments[3])))
        case .management:
            guard segments.count == 4, segments[0] == "1", segments[1] == "apps", !segments[2].isEmpty else {
                return .failure(.notFound)
            }
            let bundle = String(segments[2])
            let operation: ChannelOperation?
            switch segments[3] {
            case "channels":
                operation = method == "POST" ? .create : method == "GET" ? .read : method == "DELETE" ? .delete : nil
            case "all-channels":
                operation = method == "GET" ? .list : nil
            default:
                return .failure(.notFound)
            }
            guard let operation else { return .failure(.methodNotAllowed) }
            return .success(ChannelRoute(operation: operation, bundle: bundle))
        }
    }
}

/// A refusal of a broadcast or management request: the status and reason APNs would answer.
public struct ChannelRefusal: Error, Sendable, Equatable {
    public var status: Int
    public var reason: Reason

    public init(_ status: Int, _ reason: Reason) {
        self.status = status
        self.reason = reason
    }

    public static let notFound = ChannelRefusal(404, .badPath)
    public static let methodNotAllowed = ChannelRefusal(405, .methodNotAllowed)
}

/// Channel ids: APNs makes them base64; the mock refuses (BadChannelId) what is not standard base64 text.
public enum ChannelID {
    /// Longer ids are refused (APNs' are 24 characters; a bound keeps the store's keys small).
    public static let maxLength = 256

    /// Standard base64 (`A–Z a–z 0–9 + /`), a multiple of 4 characters, `=` padding (at most two) only at the end.
    public static func isValid(_ text: some StringProtocol) -> Bool {
        let utf8 = text.utf8
        guard !utf8.isEmpty, utf8.count % 4 == 0, utf8.count <= maxLength else { return false }
        var padding = 0
        for byte in utf8 {
            if byte == UInt8(ascii: "=") {
                padding += 1
                continue
            }
            guard padding == 0 else { return false }   // data after padding
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "/"): continue
            default: return false
            }
        }
        return padding <= 2 && padding < utf8.count
    }
}
