import Synchronization

/// The push type of a payload that names none, and the rules Apple documents per push type beyond the background
/// rules of `NotificationRules.checkPayload` (apns-protocol.md §3.2, §5, §10).
///
/// | the payload's `aps` has | inferred push type |
/// |---|---|
/// | `event` | liveactivity |
/// | `alert`, `sound` or `badge` | alert |
/// | `content-available` (and none of the above) | background (sent with priority 5 unless one is given) |
/// | none of these | none: the row is invalid (`untyped`), and a template that fits none stops the run before it starts (`InputFieldCheck`) |
///
/// | push type | rule |
/// |---|---|
/// | location | token authentication; priority 5 or 10 |
/// | liveactivity | priority 5 or 10, and `LiveActivityRules` |
/// | widgets, controls | `"content-changed": true` in `aps` |
///
/// Inference reads the payload's keys only (`PayloadShape`), so for a template it happens once, not per row.
public enum PushTypeRules {
    public static func inferred(from shape: PayloadShape) -> PushType? {
        if shape.apsHas("event") { return .liveactivity }
        if shape.apsHas("alert") || shape.apsHas("sound") || shape.apsHas("badge") { return .alert }
        if shape.apsHas("content-available") { return .background }
        return nil
    }

    /// Why a payload that fits no push type is refused, and what to do: `label` names the payload (the template's
    /// file, `field 'payload'`).
    public static func untyped(_ label: String) -> String {
        "\(label) fits no push type ('aps' has no alert, sound, badge, content-available or event): set --push-type "
            + "(\(PushType.known.map(\.rawValue).joined(separator: ", "))) or give the rows a 'push_type' field"
    }

    /// True for the push types with rules of their own (location, liveactivity, widgets, controls): the others
    /// skip `check`, `checkContentChanged` and `LiveActivityRules`.
    public static func hasRules(_ type: PushType) -> Bool {
        type == .location || type == .liveactivity || type == .widgets || type == .controls
    }

    /// Checks the rules of `type` that need no payload values (location).
    public static func check(_ type: PushType, priority: Int?, usesTokenAuth: Bool) throws(RowError) {
        guard type == .location else { return }
        if !usesTokenAuth {
            throw RowError("push type location needs token authentication (--key, --key-id, --team-id); APNs refuses "
                + "it over a certificate")
        }
        if let priority, priority != 5 && priority != 10 {
            throw RowError("push type location takes priority 5 or 10, found \(priority); set --priority 5 or 10 or the "
                + "row's priority field")
        }
    }

    /// widgets and controls: `aps` must hold `"content-changed": true` (read from the payload bytes).
    public static func checkContentChanged(_ type: PushType, payload: [UInt8], shape: PayloadShape) throws(RowError) {
        guard type == .widgets || type == .controls else { return }
        let problem = "push type \(type.rawValue) needs \"content-changed\": true in the 'aps' dictionary"
        guard shape.apsHas("content-changed") else { throw RowError(problem) }
        guard case .object(let object)? = try? JSONParser.parse(payload), case .object(let aps)? = object["aps"],
              let value = aps["content-changed"] else { throw RowError(problem) }
        if value != .bool(true) { throw RowError(problem + ", found \(LiveActivityRules.shown(value))") }
    }
}

/// Counts, across a run, what deserves one warning at its end rather than one per row.
public final class PreparationNotes: Sendable {
    private let endsWithoutContentState = Atomic<Int>(0)

    public init() {}

    func record(_ findings: LiveActivityRules.Findings) {
        if findings.endWithoutContentState { endsWithoutContentState.add(1, ordering: .relaxed) }
    }

    /// The warnings to print once, at the end of the run (none when every row was fine).
    public var warnings: [String] {
        var warnings: [String] = []
        let ends = endsWithoutContentState.load(ordering: .relaxed)
        if ends > 0 {
            warnings.append("\(ends) Live Activity end event\(ends == 1 ? " has" : "s have") no content-state: the "
                + "activity keeps showing its last state until it is dismissed (give the final content-state with the end event)")
        }
        return warnings
    }
}
