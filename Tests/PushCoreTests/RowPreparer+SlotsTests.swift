import Testing
@testable import PushCore

@Suite("RowPreparer: reading through resolved column positions gives the same rows as lookup by name")
struct RowPreparerSlotsTests {
    static let preparer = RowPreparer(
        template: try! PayloadTemplate(text: #"{"aps":{"alert":"Hi {{name}}","badge":{{badge}}},"o":"{{order}}"}"#),
        defaults: NotificationDefaults(topic: "com.example.app", priority: 10), tokenField: "device")

    /// The same records prepared one way and the other, with one `FieldSlots` kept across all of them (as
    /// `RowPlanner` keeps it), so positions resolved for one header are reused or replaced for the next.
    static func bothWays(_ records: [InputRecord]) -> (bySlots: [Prepared], byName: [Prepared]) {
        var slots = preparer.makeSlots()
        return (records.map { preparer.prepare($0, slots: &slots) }, records.map { preparer.prepare($0) })
    }

    @Test("CSV rows: valid, overrides, missing fields, a second header with other positions")
    func csvRows() {
        let index = ColumnIndex(names: ["name", "device", "badge", "order"])
        let other = ColumnIndex(names: ["device", "priority", "order", "badge", "name", "apns_id", "topic"])
        let records = [
            InputRecord(line: 2, content: .fields(Fields(index: index, values: ["Ann", "AB01", "3", "A-1"]))),
            InputRecord(line: 3, content: .fields(Fields(index: index, values: ["Bo", "", "1", "A-2"]))),
            InputRecord(line: 4, content: .fields(Fields(index: index, values: ["Cy", "cd02", "many", "A-3"]))),
            InputRecord(line: 5, content: .malformed("expected 4 fields, found 2")),
            InputRecord(line: 2, content: .fields(Fields(index: other, values: [
                "ef03", "5", "B-1", "null", "Di \"D\"", "123E4567-E89B-12D3-A456-426614174000", "com.other"]))),
            InputRecord(line: 3, content: .fields(Fields(index: other, values: ["ab04", "7", "B-2", "2", "Ed", "", ""]))),
            InputRecord(line: 4, content: .fields(Fields(index: index, values: ["Fay", "ab05", "0", "A-4"]))),
        ]
        let (bySlots, byName) = Self.bothWays(records)
        #expect(bySlots == byName)
        #expect(bySlots[0] == .notification(PushNotification(
            line: 2, token: "ab01", payload: Array(#"{"aps":{"alert":"Hi Ann","badge":3},"o":"A-1"}"#.utf8),
            topic: "com.example.app", pushType: .alert, priority: 10)))
        #expect(bySlots[1] == .invalid(line: 3, token: "", message: "field 'device' is empty"))
        #expect(bySlots[2] == .invalid(line: 4, token: "cd02",
                                       message: "template field 'badge' must be a JSON number, true, false or null (found 'many')"))
        #expect(bySlots[3] == .invalid(line: 5, token: "", message: "expected 4 fields, found 2"))
        #expect(bySlots[4] == .notification(PushNotification(
            line: 2, token: "ef03", payload: Array(#"{"aps":{"alert":"Hi Di \"D\"","badge":null},"o":"B-1"}"#.utf8),
            topic: "com.other", pushType: .alert, priority: 5, apnsID: "123e4567-e89b-12d3-a456-426614174000")))
        #expect(bySlots[5] == .invalid(line: 3, token: "ab04", message: "field 'priority': '7' is not 10, 5 or 1"))
        #expect(bySlots[6] == .notification(PushNotification(
            line: 4, token: "ab05", payload: Array(#"{"aps":{"alert":"Hi Fay","badge":0},"o":"A-4"}"#.utf8),
            topic: "com.example.app", pushType: .alert, priority: 10)))
    }

    @Test("A header without the token or a template field: every row says which field is missing")
    func missingColumns() {
        let noToken = ColumnIndex(names: ["name", "badge", "order"])
        let noOrder = ColumnIndex(names: ["device", "name", "badge"])
        let records = [
            InputRecord(line: 2, content: .fields(Fields(index: noToken, values: ["Ann", "1", "A-1"]))),
            InputRecord(line: 2, content: .fields(Fields(index: noOrder, values: ["aa", "Bo", "1"]))),
        ]
        let (bySlots, byName) = Self.bothWays(records)
        #expect(bySlots == byName)
        #expect(bySlots == [
            .invalid(line: 2, token: "", message: "field 'device' is missing"),
            .invalid(line: 2, token: "aa", message: "template field 'order' is missing"),
        ])
    }

    @Test("JSONL rows (between CSV rows) are read by name: typed values, dotted fields, own payloads")
    func jsonlRows() throws {
        let dotted = RowPreparer(template: try PayloadTemplate(text: #"{"aps":{"alert":"{{user.name}}"}}"#),
                                 defaults: NotificationDefaults())
        let records = [
            csvRecord(["token": "aa", "user.name": "flat"]),
            try jsonlRow(#"{"token":"BB","user":{"name":"nested"},"priority":5}"#),
            try jsonlRow(#"{"token":"cc","user":{"name":7},"payload":{"aps":{"badge":2}}}"#),
            try jsonlRow(#"{"token":"dd","user":{"name":[1]}}"#),
        ]
        var slots = dotted.makeSlots()
        let bySlots = records.map { dotted.prepare($0, slots: &slots) }
        #expect(bySlots == records.map { dotted.prepare($0) })
        #expect(bySlots == [
            .notification(PushNotification(line: 2, token: "aa", payload: Array(#"{"aps":{"alert":"flat"}}"#.utf8), pushType: .alert)),
            .notification(PushNotification(line: 1, token: "bb", payload: Array(#"{"aps":{"alert":"nested"}}"#.utf8), pushType: .alert,
                                           priority: 5)),
            .notification(PushNotification(line: 1, token: "cc", payload: Array(#"{"aps":{"badge":2}}"#.utf8), pushType: .alert)),
            .invalid(line: 1, token: "dd", message:
                "template field 'user.name' is an array; a placeholder inside a string needs text, a number or a boolean"),
        ])
    }
}
