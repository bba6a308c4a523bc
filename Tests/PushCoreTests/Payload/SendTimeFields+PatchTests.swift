import Testing
@testable import PushCore

@Suite("Send-time values: {{$now}} rendered once, patched in place when sent; expirations as durations or times")
struct SendTimeFieldsPatchTests {
    @Test("Placeholder names: $now and its offsets in s, m, h, d; anything else is refused when compiling")
    func names() {
        #expect(SendTimeFields.nowOffset(placeholder: "$now") == 0)
        #expect(SendTimeFields.nowOffset(placeholder: "$now+15m") == 900)
        #expect(SendTimeFields.nowOffset(placeholder: "$now-30s") == -30)
        #expect(SendTimeFields.nowOffset(placeholder: "$now+2d") == 172_800)
        #expect(SendTimeFields.nowOffset(placeholder: "$now+400d") == nil)
        #expect(SendTimeFields.nowOffset(placeholder: "$now+1.5h") == nil)
        #expect(SendTimeFields.nowOffset(placeholder: "$today") == nil)
        #expect(throws: TemplateError.self) { try PayloadTemplate(text: #"{"a":{{$today}}}"#) }
        #expect(throws: TemplateError.self) { try PayloadTemplate(text: #"{"a":{{a+b}}}"#) }
    }

    @Test("The template renders 10 digits per $now, records where, and apply() rewrites them for the send time")
    func renderAndPatch() throws {
        let template = try PayloadTemplate(text: #"{"aps":{"timestamp":{{$now}},"alert":"{{name}}","stale-date":{{$now+15m}}}}"#)
        #expect(template.fieldNames == ["name"])
        #expect(template.hasSendTime)
        var patches: [SendTimeFields.Patch] = []
        let before = Clock.wallSeconds()
        let payload = try template.render(SlotReader(names: ["name"], fields: Fields(columns: ["name"], values: ["Zoë \"Z\""])),
                                          firstSlot: 0, patches: &patches)
        let after = Clock.wallSeconds()
        #expect(patches.map(\.delta) == [0, 900])
        guard case .object(let rendered)? = try? JSONParser.parse(payload), case .object(let aps)? = rendered["aps"],
              case .number(let stamp)? = aps["timestamp"], let renderedAt = Int64(stamp) else {
            Issue.record("not the expected payload: \(String(decoding: payload, as: UTF8.self))")
            return
        }
        #expect(renderedAt >= before && renderedAt <= after)

        var notification = PushNotification(line: 1, token: "aa", payload: payload)
        SendTimeFields(patches: patches, expiresAfter: 3600).apply(to: &notification, nowSeconds: 1_900_000_000)
        #expect(String(decoding: notification.payload, as: UTF8.self)
            == #"{"aps":{"timestamp":1900000000,"alert":"Zoë \"Z\"","stale-date":1900000900}}"#)
        #expect(notification.expiration == 1_900_003_600)
        // A retry later: the same digits again, the later time.
        SendTimeFields(patches: patches).apply(to: &notification, nowSeconds: 1_900_000_042)
        #expect(String(decoding: notification.payload, as: UTF8.self)
            == #"{"aps":{"timestamp":1900000042,"alert":"Zoë \"Z\"","stale-date":1900000942}}"#)
    }

    @Test("A template without $now renders no patches and the preparer attaches no send-time values")
    func noSendTime() throws {
        let preparer = RowPreparer(template: try PayloadTemplate(text: #"{"aps":{"alert":"{{m}}"}}"#), defaults: NotificationDefaults())
        guard case .notification(let n) = preparer.prepare(csvRecord(["token": "aa", "m": "x"])) else {
            Issue.record("expected a notification")
            return
        }
        #expect(n.sendTime == nil)
    }

    @Test("Expiration: 0, a UNIX time, a duration or RFC 3339; the past and small numbers are refused")
    func expiration() throws {
        let now: Int64 = 1_800_000_000
        #expect(try ExpirationValue.parse("0", nowSeconds: now, label: "e") == .at(0))
        #expect(try ExpirationValue.parse("1800003600", nowSeconds: now, label: "e") == .at(1_800_003_600))
        #expect(try ExpirationValue.parse("1h", nowSeconds: now, label: "e") == .after(3600))
        #expect(try ExpirationValue.parse("30s", nowSeconds: now, label: "e") == .after(30))
        #expect(try ExpirationValue.parse("2027-01-15T08:00:00Z", nowSeconds: now, label: "e") == .at(1_800_000_000))
        #expect(throws: RowError.self) { try ExpirationValue.parse("3600", nowSeconds: now, label: "e") }
        #expect(throws: RowError.self) { try ExpirationValue.parse("1700000000", nowSeconds: now, label: "e") }
        #expect(throws: RowError.self) { try ExpirationValue.parse("400d", nowSeconds: now, label: "e") }
        #expect(throws: RowError.self) { try ExpirationValue.parse("soon", nowSeconds: now, label: "e") }
    }

    @Test("Push types inferred from the payload's keys, and per-type rules")
    func pushTypes() throws {
        func type(_ json: String) throws -> PushType? { PushTypeRules.inferred(from: try PayloadTemplate(text: json).shape) }
        #expect(try type(#"{"aps":{"alert":"a"}}"#) == .alert)
        #expect(try type(#"{"aps":{"sound":"default"}}"#) == .alert)
        #expect(try type(#"{"aps":{"badge":1,"content-available":1}}"#) == .alert)
        #expect(try type(#"{"aps":{"content-available":1},"x":1}"#) == .background)
        #expect(try type(#"{"aps":{"event":"update","alert":"a"}}"#) == .liveactivity)
        #expect(try type(#"{"aps":{},"x":1}"#) == nil)
        #expect(throws: RowError.self) { try PushTypeRules.check(.location, priority: 10, usesTokenAuth: false) }
        #expect(throws: RowError.self) { try PushTypeRules.check(.location, priority: 1, usesTokenAuth: true) }
        try PushTypeRules.check(.location, priority: 5, usesTokenAuth: true)
        let widgets = Array(#"{"aps":{"content-changed":true}}"#.utf8)
        try PushTypeRules.checkContentChanged(.widgets, payload: widgets, shape: PayloadShape(aps: .object(keys: ["content-changed"]), customKeys: []))
        #expect(throws: RowError("push type controls needs \"content-changed\": true in the 'aps' dictionary, found '1'")) {
            try PushTypeRules.checkContentChanged(.controls, payload: Array(#"{"aps":{"content-changed":1}}"#.utf8),
                                                  shape: PayloadShape(aps: .object(keys: ["content-changed"]), customKeys: []))
        }
    }
}
