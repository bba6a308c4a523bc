/// Checks and normalisations for the values of one notification. Each throws a `RowError` whose
/// message starts with `label` ("field 'priority'", "--priority") followed by the problem:
/// "field 'priority': '7' is not 10, 5 or 1".
public enum NotificationRules {
    /// Longest `apns-collapse-id`, in bytes.
    public static let maxCollapseIDBytes = 64

    /// A device token as lowercase hex. Rejects (with a hint) tokens with spaces or angle brackets
    /// (`<abcd ef01>`), base64 tokens, other non-hex characters and an odd number of digits.
    public static func token(_ raw: String, label: String = "token") throws(RowError) -> String {
        if let token = normalizedHexToken(raw) { return token }   // the common case: one pass
        if raw.isEmpty { throw RowError("\(label): empty") }
        let utf8 = raw.utf8
        if utf8.contains(where: { $0 == 0x20 || $0 == 0x09 || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">") }) {
            throw RowError("\(label): contains spaces or angle brackets; give only the hex digits (e.g. 'abcdef01', not '<abcd ef01>')")
        }
        if let bad = utf8.firstIndex(where: { JSONScanner.hexValue($0) == nil }) {
            if looksLikeBase64(utf8) {
                throw RowError("\(label): looks like base64; device tokens are hex (hex-encode the token's bytes)")
            }
            let position = utf8.distance(from: utf8.startIndex, to: bad) + 1
            let character = raw[bad...].first.map { "'\($0)'" } ?? "a byte"
            throw RowError("\(label): \(character) at position \(position) is not a hex digit")
        }
        if utf8.count % 2 != 0 {
            throw RowError("\(label): odd number of hex digits (\(utf8.count)); a token is whole bytes, two digits each")
        }
        return raw.lowercased()   // only for text without contiguous UTF-8, which `normalizedHexToken` does not read
    }

    /// A non-empty, even-length run of hex digits as lowercase hex, from one pass over the contiguous UTF-8: `raw`
    /// itself when it is lowercase already (no new String); nil for anything else (`token` says what is wrong).
    static func normalizedHexToken(_ raw: String) -> String? {
        let classes = raw.utf8.withContiguousStorageIfAvailable { bytes -> UInt8 in
            guard !bytes.isEmpty, bytes.count % 2 == 0 else { return 0 }
            return hexClasses.withUnsafeBufferPointer { table in
                var all = isHex | isNotUppercase
                for byte in bytes { all &= table[Int(byte)] }   // one load and one `and` a byte, no branch
                return all
            }
        } ?? 0
        guard classes & isHex != 0 else { return nil }
        if classes & isNotUppercase != 0 { return raw }
        let utf8 = raw.utf8
        return String(unsafeUninitializedCapacity: utf8.count) { out in
            for (i, byte) in utf8.enumerated() { out[i] = hexClasses[Int(byte)] & isNotUppercase == 0 ? byte | 0x20 : byte }
            return utf8.count
        }
    }

    /// Bits of `hexClasses`: `isHex` is set for 0-9, a-f and A-F; `isNotUppercase` for every byte but A-F.
    private static let isHex: UInt8 = 1, isNotUppercase: UInt8 = 2

    /// The class bits of every byte value; the bits left after `&`-ing those of a token's bytes describe all of them.
    private static let hexClasses: [UInt8] = (0...255).map { (b: Int) -> UInt8 in
        switch UInt8(b) {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"): return isHex | isNotUppercase
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return isHex
        default: return isNotUppercase
        }
    }

    /// Base64 (or base64url) text of a token's bytes: only that alphabet, and either a `+`, `/` or `=` padding, or
    /// long enough to be a whole token (32 bytes are 43–44 characters). `not-a-token` is just not hex.
    private static func looksLikeBase64(_ utf8: String.UTF8View) -> Bool {
        var standardOnly = false
        for b in utf8 {
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"):
                continue
            case UInt8(ascii: "+"), UInt8(ascii: "/"), UInt8(ascii: "="):
                standardOnly = true
            default:
                return false
            }
        }
        return standardOnly || utf8.count >= 40
    }

    /// `apns-priority`: 10, 5 or 1.
    public static func priority(_ text: String, label: String = "priority") throws(RowError) -> Int {
        switch text {
        case "10": return 10
        case "5": return 5
        case "1": return 1
        default: throw RowError("\(label): \(quoted(text)) is not 10, 5 or 1")
        }
    }

    /// `apns-expiration`: a non-negative integer (UNIX seconds; 0 = do not store).
    public static func expiration(_ text: String, label: String = "expiration") throws(RowError) -> Int {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              let value = Int(text) else {
            throw RowError("\(label): \(quoted(text)) is not a non-negative integer (UNIX seconds)")
        }
        return value
    }

    /// `apns-id`: a UUID (8-4-4-4-12 hex digits), normalised to lowercase.
    public static func apnsID(_ text: String, label: String = "apns_id") throws(RowError) -> String {
        let utf8 = Array(text.utf8)
        let valid = utf8.count == 36 && utf8.indices.allSatisfy { i in
            [8, 13, 18, 23].contains(i) ? utf8[i] == UInt8(ascii: "-") : JSONScanner.hexValue(utf8[i]) != nil
        }
        guard valid else {
            throw RowError("\(label): \(quoted(text)) is not a UUID (8-4-4-4-12 hex digits, e.g. 123e4567-e89b-12d3-a456-426614174000)")
        }
        return text.lowercased()
    }

    /// `apns-collapse-id`: at most 64 bytes, no control characters.
    public static func collapseID(_ text: String, label: String = "collapse_id") throws(RowError) -> String {
        let count = text.utf8.count
        guard count <= maxCollapseIDBytes else {
            throw RowError("\(label): \(count) bytes, over the \(maxCollapseIDBytes)-byte limit")
        }
        guard !text.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) else {
            throw RowError("\(label): contains control characters")
        }
        return text
    }

    /// `apns-topic`: no spaces or control characters.
    public static func topic(_ text: String, label: String = "topic") throws(RowError) -> String {
        guard !text.utf8.contains(where: { $0 <= 0x20 || $0 == 0x7F }) else {
            throw RowError("\(label): \(quoted(text)) contains spaces or control characters")
        }
        return text
    }

    /// `apns-push-type`: one of `PushType.known`.
    public static func pushType(_ text: String, label: String = "push_type") throws(RowError) -> PushType {
        let type = PushType(rawValue: text)
        guard type.isKnown else {
            let names = PushType.known.map(\.rawValue).joined(separator: ", ")
            throw RowError("\(label): \(quoted(text)) is not a push type APNs knows (\(names))")
        }
        return type
    }

    /// The topic for `pushType`: the push type's suffix (`.voip`, `.push-type.liveactivity`...) is appended to
    /// a bare bundle ID; a topic that already ends with it is kept; a topic ending with another push type's
    /// suffix is refused. Push types without a suffix (alert, background) refuse a suffixed topic; mdm and
    /// unknown types, and a missing push type, take the topic as it is.
    public static func topic(_ topic: String, for pushType: PushType?, label: String = "topic") throws(RowError) -> String {
        guard let pushType, pushType.isKnown, pushType != .mdm else { return topic }
        let found = PushType.suffixed.first { topic.hasSuffix($0.topicSuffix!) }
        if let expected = pushType.topicSuffix {
            if topic.hasSuffix(expected) { return topic }
            if let found {
                throw RowError("\(label): \(quoted(topic)) ends in '\(found.topicSuffix!)', the suffix for push type "
                    + "\(found.rawValue); push type \(pushType.rawValue) needs '\(expected)' (give the bare bundle ID "
                    + "and apnsctl adds it)")
            }
            return topic + expected
        }
        if let found {
            throw RowError("\(label): \(quoted(topic)) ends in '\(found.topicSuffix!)', the suffix for push type "
                + "\(found.rawValue); push type \(pushType.rawValue) is sent to the bare bundle ID")
        }
        return topic
    }

    /// Structure rules for a payload: a JSON object with an `aps` dictionary or custom keys beside it; for
    /// push type background, priority 5 and `content-available` with no alert, badge or sound
    /// (apns-protocol.md §3.2, A-BG).
    public static func checkPayload(_ shape: PayloadShape, pushType: PushType?, priority: Int?) throws(RowError) {
        if case .notObject(let kind) = shape.aps {
            throw RowError("payload: 'aps' must be a dictionary, found \(kind)")
        }
        if shape.aps == .absent && shape.customKeys.isEmpty {
            throw RowError("payload: empty object; give an 'aps' dictionary (alert, badge, sound...) or custom keys beside it")
        }
        guard pushType == .background else { return }
        if priority != 5 {
            let given = priority.map { "priority \($0)" } ?? "no priority (APNs then uses 10)"
            throw RowError("push type background needs priority 5, found \(given); set --priority 5 or the row's priority field")
        }
        guard shape.apsHas("content-available") else {
            throw RowError("push type background needs \"content-available\": 1 in the 'aps' dictionary")
        }
        let visible = ["alert", "badge", "sound"].filter(shape.apsHas)
        if !visible.isEmpty {
            throw RowError("push type background must not carry \(visible.map { "'\($0)'" }.joined(separator: ", ")) "
                + "in 'aps' (a background update is silent; use push type alert)")
        }
    }

    /// The payload fits the limit for `pushType` (the alert limit when nil).
    public static func checkPayloadSize(_ byteCount: Int, pushType: PushType?) throws(RowError) {
        let type = pushType ?? .alert
        guard byteCount <= type.payloadLimit else {
            throw RowError("payload is \(byteCount) bytes, over the \(type.payloadLimit)-byte limit for \(type.rawValue)")
        }
    }
}
