/// The rules of a Live Activity payload (push type `liveactivity`), checked before a row is sent: APNs answers 200
/// to most mistakes and the device drops the push silently (apns-protocol.md §5, §10).
///
/// | key of `aps` | rule |
/// |---|---|
/// | `event` | `start`, `update` or `end`; `start` refused for a broadcast (a channel cannot start an activity) |
/// | `timestamp` | required, an integer (UNIX seconds) |
/// | `content-state` | an object; required for start and update; missing on end is a `Findings` note (a warning) |
/// | `alert`, `attributes-type`, `attributes` | required for start (a string and an object for the last two) |
/// | `input-push-token` | start only, `1`; not together with `input-push-channel` (a string) |
/// | `stale-date`, `dismissal-date` | integers |
/// | `relevance-score` | a number |
/// | priority | 5 or 10 (nil: APNs' default 10) |
/// | `content-state` against `schema` | each key the app's `ContentState` declares, of its JSON type |
///
/// Every failure is a `RowError` whose message starts with the payload's `label` ("update.json", "field 'payload'")
/// and names the key: "update.json: aps.timestamp: '\"soon\"' is not an integer (UNIX seconds)".
public struct LiveActivityRules: Sendable, Equatable {
    /// Where the push goes: a device token (`POST /3/device`) or a broadcast channel (`POST /4/broadcasts`).
    public enum Context: Sendable, Equatable {
        case device
        case broadcast
    }

    /// What a payload that passed still deserves a word about, once per run (not per row).
    public struct Findings: Sendable, Equatable {
        /// An `end` event without `content-state`: the activity shows its last state until dismissed.
        public var endWithoutContentState = false
        public init(endWithoutContentState: Bool = false) { self.endWithoutContentState = endWithoutContentState }
    }

    /// The three `event` values.
    public static let events = ["start", "update", "end"]

    public var context: Context
    /// `--content-state-schema`: checked against each payload's `content-state`, when set.
    public var schema: ContentStateSchema?

    public init(context: Context = .device, schema: ContentStateSchema? = nil) {
        self.context = context
        self.schema = schema
    }

    /// Checks the payload bytes (parsed here). `label` starts every message.
    public func check(payload: some Collection<UInt8>, priority: Int?, label: String) throws(RowError) -> Findings {
        let value: JSONValue
        do {
            value = try JSONParser.parse(payload)
        } catch {
            throw RowError("\(label): not valid JSON: \(error.description)")
        }
        guard case .object(let object) = value else {
            throw RowError("\(label): must be a JSON object, found \(value.kindDescription)")
        }
        return try check(payload: object, priority: priority, label: label)
    }

    /// Checks a parsed payload. `label` starts every message.
    public func check(payload: JSONObject, priority: Int?, label: String) throws(RowError) -> Findings {
        func fail(_ key: String, _ problem: String) -> RowError { RowError("\(label): aps.\(key): \(problem)") }

        if let priority, priority != 5 && priority != 10 {
            throw RowError("push type liveactivity takes priority 5 or 10, found \(priority); set --priority 5 or 10 "
                + "or the row's priority field")
        }
        guard case .object(let aps)? = payload["aps"] else {
            throw RowError("\(label): a Live Activity payload needs an 'aps' dictionary with 'event', 'timestamp' and 'content-state'")
        }
        guard let eventValue = aps["event"] else { throw fail("event", "missing (start, update or end)") }
        guard case .string(let event) = eventValue, Self.events.contains(event) else {
            throw fail("event", "\(Self.shown(eventValue)) is not start, update or end")
        }
        if context == .broadcast && event == "start" {
            throw fail("event", "'start' cannot be broadcast (a channel updates or ends an activity; start one with its push-to-start token)")
        }
        guard let timestamp = aps["timestamp"] else {
            throw fail("timestamp", "missing (UNIX seconds of this update; {{$now}} fills it in when the push is sent)")
        }
        try integer(timestamp, "timestamp", fail)
        for key in ["stale-date", "dismissal-date"] {
            if let value = aps[key] { try integer(value, key, fail) }
        }
        if let score = aps["relevance-score"], !Self.isNumber(score) {
            throw fail("relevance-score", "\(Self.shown(score)) is not a number")
        }

        var findings = Findings()
        switch aps["content-state"] {
        case .object(let state)?:
            if let schema { try schema.check(state, label: "\(label): aps.content-state") }
        case let other?:
            throw fail("content-state", "must be an object (the app's ContentState), found \(other.kindDescription)")
        case nil:
            if event == "end" {
                findings.endWithoutContentState = true
            } else {
                throw fail("content-state", "missing; \(event) needs the activity's ContentState as an object")
            }
        }

        if event == "start" {
            try checkStart(aps, fail)
        } else {
            for key in ["attributes-type", "attributes", "input-push-token", "input-push-channel"] where aps[key] != nil {
                throw fail(key, "only a start event carries it (this is \(event))")
            }
        }
        return findings
    }

    private func checkStart(_ aps: JSONObject, _ fail: (String, String) -> RowError) throws(RowError) {
        guard aps["alert"] != nil else { throw fail("alert", "missing; a start event must carry an alert") }
        switch aps["attributes-type"] {
        case .string(let name)? where !name.isEmpty: break
        case nil: throw fail("attributes-type", "missing; a start event names its ActivityAttributes type")
        case let other?: throw fail("attributes-type", "must be the ActivityAttributes type's name, found \(Self.shown(other))")
        }
        switch aps["attributes"] {
        case .object?: break
        case nil: throw fail("attributes", "missing; a start event carries the activity's attributes as an object")
        case let other?: throw fail("attributes", "must be an object, found \(other.kindDescription)")
        }
        let token = aps["input-push-token"], channel = aps["input-push-channel"]
        if token != nil && channel != nil {
            throw fail("input-push-token", "give input-push-token or input-push-channel, not both")
        }
        if let token, token != .number("1") {
            throw fail("input-push-token", "\(Self.shown(token)) is not 1 (1 asks for the activity's update token)")
        }
        if let channel {
            guard case .string(let id) = channel, !id.isEmpty else {
                throw fail("input-push-channel", "\(Self.shown(channel)) is not a channel id")
            }
        }
    }

    private func integer(_ value: JSONValue, _ key: String, _ fail: (String, String) -> RowError) throws(RowError) {
        guard case .number(let text) = value, Self.isInteger(text) else {
            throw fail(key, "\(Self.shown(value)) is not an integer (UNIX seconds)")
        }
    }

    static func isNumber(_ value: JSONValue) -> Bool {
        if case .number = value { return true }
        return false
    }

    /// `-?[0-9]+`: a JSON number with no fraction or exponent.
    static func isInteger(_ text: String) -> Bool {
        let digits = text.utf8.drop { $0 == UInt8(ascii: "-") }
        return !digits.isEmpty && digits.count >= text.utf8.count - 1
            && digits.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    /// A value for messages: its JSON text, shortened.
    static func shown(_ value: JSONValue) -> String {
        quoted(String(decoding: JSONWriter.serialize(value), as: UTF8.self))
    }
}
