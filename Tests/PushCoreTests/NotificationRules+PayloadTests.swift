import Testing
@testable import PushCore

@Suite("Notification rules: payload structure and background pushes")
struct NotificationRulesPayloadTests {
    func shape(_ json: String) throws -> PayloadShape {
        try PayloadTemplate(text: json).shape
    }

    func problem(_ json: String, _ type: PushType? = nil, priority: Int? = nil) throws -> String? {
        do {
            try NotificationRules.checkPayload(try shape(json), pushType: type, priority: priority)
            return nil
        } catch let error as RowError {
            return error.message
        }
    }

    @Test("A template's shape is known without rendering: keys never depend on a row")
    func templateShape() throws {
        let template = try PayloadTemplate(text: #"{"aps":{"alert":"{{m}}","badge":{{b}}},"deep":"{{link}}"}"#)
        #expect(template.shape == PayloadShape(aps: .object(keys: ["alert", "badge"]), customKeys: ["deep"]))
        #expect(try shape(#"{"aps":"x","a":1,"a":2}"#) == PayloadShape(aps: .notObject("a string"), customKeys: ["a"]))
        #expect(try shape(#"{"data":{"aps":{}}}"#) == PayloadShape(aps: .absent, customKeys: ["data"]))
    }

    @Test("aps must be a dictionary; custom keys alone are fine; an empty object is not")
    func structure() throws {
        #expect(try problem(#"{"aps":{"alert":"hi"}}"#) == nil)
        #expect(try problem(#"{"order":"A-1"}"#) == nil)
        #expect(try problem(#"{"aps":["alert"]}"#) == "payload: 'aps' must be a dictionary, found an array")
        #expect(try problem(#"{}"#) ==
            "payload: empty object; give an 'aps' dictionary (alert, badge, sound...) or custom keys beside it")
    }

    @Test("background needs priority 5 and content-available, and no alert, badge or sound")
    func background() throws {
        let silent = #"{"aps":{"content-available":1},"sync":"inbox"}"#
        #expect(try problem(silent, .background, priority: 5) == nil)
        #expect(try problem(silent, .background, priority: 10) ==
            "push type background needs priority 5, found priority 10; set --priority 5 or the row's priority field")
        #expect(try problem(silent, .background) ==
            "push type background needs priority 5, found no priority (APNs then uses 10); set --priority 5 or the row's priority field")
        #expect(try problem(#"{"aps":{}}"#, .background, priority: 5) ==
            #"push type background needs "content-available": 1 in the 'aps' dictionary"#)
        #expect(try problem(#"{"aps":{"content-available":1,"sound":"x","badge":{{n}}}}"#, .background, priority: 5) ==
            "push type background must not carry 'badge', 'sound' in 'aps' (a background update is silent; use push type alert)")
        // The same payloads are fine for an alert.
        #expect(try problem(#"{"aps":{"content-available":1,"sound":"x"}}"#, .alert, priority: 10) == nil)
    }

    @Test("Rows are checked with their own payload and push type")
    func rowPayloads() throws {
        let preparer = RowPreparer(template: nil, defaults: NotificationDefaults(pushType: .background, priority: 5))
        let good = try jsonlRow(#"{"token":"aa","payload":{"aps":{"content-available":1}}}"#)
        #expect(invalidMessage(preparer.prepare(good)) == nil)
        let loud = try jsonlRow(#"{"token":"aa","payload":{"aps":{"content-available":1,"alert":"x"}}}"#)
        #expect(invalidMessage(preparer.prepare(loud)) ==
            "push type background must not carry 'alert' in 'aps' (a background update is silent; use push type alert)")
        let csv = csvRecord(["token": "aa", "payload": #"{"aps":{"content-available":1}}"#, "priority": "10"])
        #expect(invalidMessage(preparer.prepare(csv)) ==
            "push type background needs priority 5, found priority 10; set --priority 5 or the row's priority field")
        let empty = csvRecord(["token": "aa", "payload": "{}", "push_type": "alert"])
        #expect(invalidMessage(preparer.prepare(empty)) ==
            "payload: empty object; give an 'aps' dictionary (alert, badge, sound...) or custom keys beside it")
    }
}
