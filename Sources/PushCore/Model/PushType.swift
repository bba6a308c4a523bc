/// The `apns-push-type` header value. A struct rather than an enum so that a value APNs adds
/// later still passes through (the mock and the validator only know the listed ones).
public struct PushType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let alert = PushType(rawValue: "alert")
    public static let background = PushType(rawValue: "background")
    public static let complication = PushType(rawValue: "complication")
    public static let controls = PushType(rawValue: "controls")
    public static let fileprovider = PushType(rawValue: "fileprovider")
    public static let liveactivity = PushType(rawValue: "liveactivity")
    public static let location = PushType(rawValue: "location")
    public static let mdm = PushType(rawValue: "mdm")
    public static let pushtotalk = PushType(rawValue: "pushtotalk")
    public static let voip = PushType(rawValue: "voip")
    public static let widgets = PushType(rawValue: "widgets")

    /// Every push type APNs documents (apns-protocol.md §3.2).
    public static let known: [PushType] = [
        .alert, .background, .complication, .controls, .fileprovider, .liveactivity,
        .location, .mdm, .pushtotalk, .voip, .widgets,
    ]

    public var isKnown: Bool { PushType.known.contains(self) }

    /// Largest payload APNs accepts for this push type, in bytes (apns-protocol.md §5).
    public var payloadLimit: Int { self == .voip ? 5120 : 4096 }

    /// What APNs expects after the bundle ID in `apns-topic` for this push type (apns-protocol.md §3.2):
    /// `.voip` for voip, `.push-type.liveactivity` for liveactivity...; nil when the topic is the bare bundle
    /// ID (alert, background) or has no fixed shape (mdm, unknown types).
    public var topicSuffix: String? {
        switch self {
        case .voip: return ".voip"
        case .liveactivity: return ".push-type.liveactivity"
        case .complication: return ".complication"
        case .fileprovider: return ".pushkit.fileprovider"
        case .location: return ".location-query"
        case .pushtotalk: return ".voip-ptt"
        case .widgets: return ".push-type.widgets"
        case .controls: return ".push-type.controls"
        default: return nil
        }
    }

    /// Push types whose topic carries a suffix, longest suffix first (so `.voip-ptt` is not taken for `.voip`).
    public static let suffixed: [PushType] = known.filter { $0.topicSuffix != nil }
        .sorted { ($0.topicSuffix?.count ?? 0) > ($1.topicSuffix?.count ?? 0) }

    public var description: String { rawValue }
}
