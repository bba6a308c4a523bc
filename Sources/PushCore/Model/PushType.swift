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

    public var description: String { rawValue }
}
