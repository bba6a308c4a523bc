/// Settings for every notification of a run; rows may override them (see `RowPreparer`).
public struct NotificationDefaults: Sendable, Equatable {
    public var topic: String?
    public var pushType: PushType?
    public var priority: Int?
    public var expiration: Int?
    public var collapseID: String?
    /// `--expiration 1h`: `apns-expiration` is the send time plus this many seconds (`expiration` is then nil).
    public var expiresAfter: Int?
    /// False under certificate authentication (push type location needs a provider token).
    public var usesTokenAuth: Bool
    /// `--content-state-schema`: what a Live Activity's `content-state` must decode as.
    public var contentStateSchema: ContentStateSchema?

    public init(topic: String? = nil, pushType: PushType? = nil, priority: Int? = nil,
                expiration: Int? = nil, collapseID: String? = nil, expiresAfter: Int? = nil,
                usesTokenAuth: Bool = true, contentStateSchema: ContentStateSchema? = nil) {
        self.topic = topic
        self.pushType = pushType
        self.priority = priority
        self.expiration = expiration
        self.collapseID = collapseID
        self.expiresAfter = expiresAfter
        self.usesTokenAuth = usesTokenAuth
        self.contentStateSchema = contentStateSchema
    }
}

/// One input row after preparation: a notification ready to send, or the reason it cannot be sent.
public enum Prepared: Sendable, Equatable {
    case notification(PushNotification)
    /// `token` is the row's raw token text (possibly empty); `message` names the field at fault.
    case invalid(line: Int, token: String, message: String)
}

/// Turns input records into notifications.
///
/// - Token: field `tokenField`, hex with an even number of digits, normalised to lowercase.
/// - Per-row overrides of the defaults: fields `topic`, `push_type`, `priority`, `expiration`,
///   `collapse_id`, and `apns_id`; text or JSON numbers are accepted; an empty value or
///   null means "not given".
/// - Payload: the row's own `payload` field (a JSONL object, sent as its original bytes, or a
///   CSV cell holding a JSON object) **wins over the template** when both exist; otherwise the
///   template is rendered; a row with neither is invalid. The payload must be a JSON object within
///   the push type's limit (the alert limit when no push type is set), with an `aps` dictionary or
///   custom keys; push type background also needs priority 5 and a silent `aps` (`NotificationRules`).
/// - Push type: the row's, else `--push-type`, else inferred from the payload's keys (`PushTypeRules`: once per
///   template); a payload that fits no type is invalid (`PushTypeRules.untyped`: the message asks for `--push-type`).
///   Per-type rules follow, and for liveactivity the
///   `LiveActivityRules` (the payload is parsed for those rows only).
/// - Expiration: a UNIX time, or a duration from the send (`SendTimeFields`), like `{{$now}}` in the template.
/// - Topic: the push type's suffix is appended to a bare bundle ID; a contradicting suffix is refused.
public struct RowPreparer: Sendable {
    public let template: PayloadTemplate?
    public let defaults: NotificationDefaults
    public let tokenField: String

    /// The defaults' topic with the suffix of `defaultType`, worked out once (most rows override neither);
    /// nil when there is no default topic or the two contradict (every such row is then reported invalid).
    private let defaultTopic: String?
    /// `--push-type`, else the type inferred from the template (nil when neither says).
    public let defaultType: PushType?
    /// The type inferred from the template's keys, once.
    private let templateType: PushType?
    var liveActivityRules: LiveActivityRules
    /// `defaultType` has checks of its own (`PushTypeRules.hasRules`); worked out once, not per row.
    private let defaultTypeHasRules: Bool
    /// The template's keys make it a background push and `--push-type` says nothing: priority 5 by default.
    private let defaultIsInferredBackground: Bool
    /// What the rows deserve a word about once, at the end of the run.
    public let notes = PreparationNotes()

    /// The names of the fields a row is read for, in slot order (`FieldSlots`): see `Slot`.
    public internal(set) var fieldNames: [String]
    /// Rows are broadcasts on channels (`apnsctl broadcast`, `RowPreparer.broadcast`), not device pushes.
    public internal(set) var isBroadcast = false
    /// `broadcast --channels`: each channel's storage policy, for rows that do not give theirs.
    public internal(set) var channelPolicies: ChannelPolicies?
    /// "field 'token'": the token's label in messages, built once (not per row).
    private let tokenLabel: String

    /// The slot of each field `build` reads; the template's placeholders follow, in `template.fieldNames` order.
    enum Slot {
        static let token = 0, topic = 1, pushType = 2, priority = 3, expiration = 4, collapseID = 5, apnsID = 6
        static let payload = 7, firstTemplateField = 8
    }

    public init(template: PayloadTemplate?, defaults: NotificationDefaults, tokenField: String = "token") {
        self.template = template
        self.defaults = defaults
        self.tokenField = tokenField
        self.templateType = template.flatMap { PushTypeRules.inferred(from: $0.shape) }
        self.defaultType = defaults.pushType ?? templateType
        self.liveActivityRules = LiveActivityRules(context: .device, schema: defaults.contentStateSchema)
        self.defaultTypeHasRules = defaultType.map(PushTypeRules.hasRules) ?? false
        self.defaultIsInferredBackground = defaults.pushType == nil && templateType == .background
        self.defaultTopic = defaults.topic.flatMap { [defaultType] in try? NotificationRules.topic($0, for: defaultType) }
        self.tokenLabel = "field '\(tokenField)'"
        self.fieldNames = [tokenField, "topic", "push_type", "priority", "expiration", "collapse_id", "apns_id", "payload"]
            + (template?.fieldNames ?? [])
    }

    /// The slots for this preparer's fields: keep one per run and pass it to every `prepare(_:slots:)`, so that a
    /// CSV file's column positions are resolved once.
    public func makeSlots() -> FieldSlots {
        FieldSlots(names: fieldNames)
    }

    /// Prepares one record, looking its fields up by name.
    public func prepare(_ record: InputRecord) -> Prepared {
        switch record.content {
        case .malformed(let message): return .invalid(line: record.line, token: "", message: message)
        case .fields(let fields): return prepare(line: record.line, fields, SlotReader(names: fieldNames, fields: fields))
        }
    }

    /// Prepares one record, reading its fields through `slots` (from this preparer's `makeSlots()`).
    public func prepare(_ record: InputRecord, slots: inout FieldSlots) -> Prepared {
        assert(slots.names == fieldNames, "slots from another preparer")
        switch record.content {
        case .malformed(let message): return .invalid(line: record.line, token: "", message: message)
        case .fields(let fields): return prepare(line: record.line, fields, slots.reader(for: fields))
        }
    }

    private func prepare(line: Int, _ fields: Fields, _ reader: SlotReader) -> Prepared {
        // A CSV cell is read as text directly (no `FieldValue` built and switched over: ~250 instructions a read).
        let tokenValue = reader.isColumns ? nil : reader.value(Slot.token)   // looked up once per row
        let rawToken = reader.isColumns ? reader.columnText(Slot.token) : RowPreparer.rawText(tokenValue)
        do throws(RowError) {
            if !reader.isColumns { try checkTokenType(tokenValue) }
            guard let rawToken else { throw RowError("field '\(tokenField)' is missing") }
            return .notification(try build(fields, reader, line: line, rawToken: rawToken))
        } catch {
            return .invalid(line: line, token: rawToken ?? "", message: error.message)
        }
    }

    /// A JSONL token must be a string.
    private func checkTokenType(_ tokenValue: FieldValue?) throws(RowError) {
        switch tokenValue {
        case nil, .json(.null)?:
            throw RowError("field '\(tokenField)' is missing")
        case .text?, .json(.string)?:
            break
        case .json(let other)?:
            throw RowError("field '\(tokenField)' must be a string, found \(other.kindDescription)")
        }
    }

    private func build(_ fields: Fields, _ reader: SlotReader, line: Int, rawToken: String) throws(RowError) -> PushNotification {
        if isBroadcast { return try buildBroadcast(fields, reader, line: line, channel: rawToken) }
        if rawToken.isEmpty { throw RowError("field '\(tokenField)' is empty") }
        let token = try NotificationRules.token(rawToken, label: tokenLabel)

        // Settled in locals and put together into the notification once, at the end.
        var topic = defaults.topic, pushType = defaults.pushType, priority = defaults.priority
        var expiration = defaults.expiration, expiresAfter = defaults.expiresAfter, collapseID = defaults.collapseID
        var apnsID: String?, topicOverride: String?, typeOverride: String?
        if reader.mayHaveAny(Slot.topic...Slot.apnsID) {   // most CSV files have none of these columns
            topicOverride = try overrideText(reader, Slot.topic)
            if let t = topicOverride { topic = try NotificationRules.topic(t, label: "field 'topic'") }
            typeOverride = try overrideText(reader, Slot.pushType)
            if let t = typeOverride { pushType = try NotificationRules.pushType(t, label: "field 'push_type'") }
            if let t = try overrideText(reader, Slot.priority) { priority = try NotificationRules.priority(t, label: "field 'priority'") }
            if let t = try overrideText(reader, Slot.expiration) {
                switch try ExpirationValue.parse(t, nowSeconds: Clock.wallSeconds(), label: "field 'expiration'") {
                case .at(let time): (expiration, expiresAfter) = (time, nil)
                case .after(let seconds): (expiration, expiresAfter) = (nil, seconds)
                }
            }
            if let t = try overrideText(reader, Slot.collapseID) { collapseID = try NotificationRules.collapseID(t, label: "field 'collapse_id'") }
            if let t = try overrideText(reader, Slot.apnsID) { apnsID = try NotificationRules.apnsID(t, label: "field 'apns_id'") }
        }

        var patches: [SendTimeFields.Patch] = []
        let (payload, shape, payloadLabel, fromTemplate) = try payloadSource(fields, reader, patches: &patches)
        // True when the push type is the run's own (`defaultType`): its rules were looked up once, in `init`.
        var typeIsDefault = typeOverride == nil
        if pushType == nil {
            if fromTemplate {
                pushType = templateType
                if defaultIsInferredBackground && priority == nil { priority = 5 }
            } else {   // the row's own payload says which type it is
                typeIsDefault = false
                pushType = PushTypeRules.inferred(from: shape)
                if pushType == .background && priority == nil { priority = 5 }
            }
        }
        if pushType == nil { throw RowError(PushTypeRules.untyped(payloadLabel)) }

        if topicOverride == nil && typeIsDefault && defaultTopic != nil {
            topic = defaultTopic
        } else if let given = topic {
            topic = try NotificationRules.topic(given, for: pushType, label: topicOverride != nil ? "field 'topic'" : "--topic")
        }
        try NotificationRules.checkPayloadSize(payload.count, pushType: pushType)
        try NotificationRules.checkPayload(shape, pushType: pushType, priority: priority)
        if let pushType, typeIsDefault ? defaultTypeHasRules : PushTypeRules.hasRules(pushType) {
            try PushTypeRules.check(pushType, priority: priority, usesTokenAuth: defaults.usesTokenAuth)
            try PushTypeRules.checkContentChanged(pushType, payload: payload, shape: shape)
            if pushType == .liveactivity {
                notes.record(try liveActivityRules.check(payload: payload, priority: priority, label: payloadLabel))
            }
        }
        var notification = PushNotification(line: line, token: token, payload: payload, topic: topic, pushType: pushType,
                                            priority: priority, expiration: expiration, collapseID: collapseID, apnsID: apnsID)
        if !patches.isEmpty || expiresAfter != nil {
            notification.sendTime = SendTimeFields(patches: patches, expiresAfter: expiresAfter)
        }
        return notification
    }

    /// The row's payload: its own `payload` field (which wins), else the template rendered (its send-time values
    /// recorded in `patches`); with the label messages name it by, and whether it came from the template.
    func payloadSource(_ fields: Fields, _ reader: SlotReader, patches: inout [SendTimeFields.Patch])
        throws(RowError) -> (payload: [UInt8], shape: PayloadShape, label: String, fromTemplate: Bool) {
        if let own = try rowPayload(reader.value(Slot.payload), bytes: fields.payloadBytes) {
            return (own.0, own.1, "field 'payload'", false)
        }
        guard let template else { throw RowError("no payload: give --template/--payload or a 'payload' field") }
        let payload = try template.render(reader, firstSlot: Slot.firstTemplateField, patches: &patches)
        return (payload, template.shape, template.name, true)
    }

    /// The row's own payload bytes and their shape, nil when it has none. `bytes`: a JSONL row's original bytes of it.
    func rowPayload(_ value: FieldValue?, bytes: [UInt8]?) throws(RowError) -> ([UInt8], PayloadShape)? {
        switch value {
        case nil, .json(.null)?, .text("")?:
            return nil
        case .json(.object(let object))?:
            guard let bytes else { return (JSONWriter.serialize(.object(object)), PayloadShape(object)) }
            return (bytes, PayloadShape(object))
        case .json(let other)?:
            throw RowError("field 'payload' must be a JSON object, found \(other.kindDescription)")
        case .text(let text)?:
            let value: JSONValue
            do {
                value = try JSONParser.parse(text)
            } catch {
                throw RowError("field 'payload' is not valid JSON: \(error.description)")
            }
            guard case .object(let object) = value else {
                throw RowError("field 'payload' must be a JSON object, found \(value.kindDescription)")
            }
            return (Array(text.utf8), PayloadShape(object))
        }
    }

    /// A field's text for a header override; nil when absent, empty or null.
    func overrideText(_ reader: SlotReader, _ slot: Int) throws(RowError) -> String? {
        switch reader.value(slot) {
        case nil, .json(.null)?: return nil
        case .text(let s)?, .json(.string(let s))?: return s.isEmpty ? nil : s
        case .json(.number(let s))?: return s
        case .json(.bool(let b))?: return b ? "true" : "false"
        case .json(let other)?: throw RowError("field '\(fieldNames[slot])' must be text or a number, found \(other.kindDescription)")
        }
    }

    /// The text of a scalar value (token reporting); nil for missing, null, arrays and objects.
    static func rawText(_ value: FieldValue?) -> String? {
        switch value {
        case .text(let s)?, .json(.string(let s))?: return s
        case .json(.number(let s))?: return s
        case .json(.bool(let b))?: return b ? "true" : "false"
        default: return nil
        }
    }
}
