/// What the rules need to know about a payload's structure: whether it has an `aps` dictionary, which
/// keys that dictionary holds, and how many custom keys sit beside it.
///
/// Computed once per template (from the template with its placeholders filled by dummies: a placeholder
/// can only ever be a scalar, so keys never depend on the row) and per row only for a row's own payload,
/// which is parsed anyway. Sending never re-parses a rendered payload.
public struct PayloadShape: Sendable, Equatable {
    public enum APS: Sendable, Equatable {
        case absent
        /// `aps` is there but is not an object; the kind ("a string") for messages.
        case notObject(String)
        /// The `aps` dictionary's keys, in order.
        case object(keys: [String])
    }

    public var aps: APS
    /// Top-level keys other than `aps`.
    public var customKeys: [String]

    public init(aps: APS, customKeys: [String]) {
        self.aps = aps
        self.customKeys = customKeys
    }

    /// The shape of a payload object.
    public init(_ object: JSONObject) {
        var aps = APS.absent
        var custom: [String] = []
        var seen = Set<String>()   // a payload with many keys stays linear
        for member in object.members {
            guard member.key == "aps" else {
                if seen.insert(member.key).inserted { custom.append(member.key) }
                continue
            }
            if case .object(let dictionary) = member.value {
                aps = .object(keys: dictionary.keys)
            } else {
                aps = .notObject(member.value.kindDescription)
            }
        }
        self.aps = aps
        self.customKeys = custom
    }

    /// True when `aps` is a dictionary holding `key`.
    public func apsHas(_ key: String) -> Bool {
        if case .object(let keys) = aps { return keys.contains(key) }
        return false
    }
}
