import Testing
@testable import PushCore

@Suite struct RowPreparerOverrideTests {
    let defaults = NotificationDefaults(topic: "com.example.app", pushType: .alert, priority: 10,
                                        expiration: 0, collapseID: "default-group")
    var preparer: RowPreparer {
        RowPreparer(template: try! PayloadTemplate(text: #"{"aps":{"alert":"{{msg}}"}}"#), defaults: defaults)
    }

    func notification(_ record: InputRecord) -> PushNotification? {
        if case .notification(let n) = preparer.prepare(record) { return n }
        return nil
    }

    @Test func defaultsApplyWhenTheRowGivesNothing() throws {
        let n = try #require(notification(csvRecord(["token": "aa", "msg": "m", "priority": "", "topic": ""])))
        #expect(n == PushNotification(line: 2, token: "aa", payload: Array(#"{"aps":{"alert":"m"}}"#.utf8),
                                  topic: "com.example.app", pushType: .alert, priority: 10, expiration: 0,
                                  collapseID: "default-group", apnsID: nil))
    }

    @Test func csvOverrides() throws {
        let record = csvRecord(["token": "aa", "msg": "m", "topic": "com.example.app.voip", "push_type": "voip",
                                "priority": "5", "expiration": "2000000000", "collapse_id": "g2",
                                "apns_id": "123E4567-E89B-12D3-A456-426614174000"])
        let n = try #require(notification(record))
        #expect(n.topic == "com.example.app.voip")
        #expect(n.pushType == .voip)
        #expect(n.priority == 5)
        #expect(n.expiration == 2_000_000_000)
        #expect(n.collapseID == "g2")
        #expect(n.apnsID == "123e4567-e89b-12d3-a456-426614174000")
    }

    @Test func jsonlOverridesAcceptNumbersStringsAndNull() throws {
        let row = try jsonlRow(#"{"token":"aa","msg":"m","priority":1,"expiration":"0","push_type":"alert","collapse_id":null,"topic":""}"#)
        let n = try #require(notification(row))
        #expect(n.priority == 1)
        #expect(n.expiration == 0)
        #expect(n.pushType == .alert)
        #expect(n.collapseID == "default-group")
        #expect(n.topic == "com.example.app")
    }

    @Test(arguments: [
        ("priority", "7", "field 'priority': '7' is not 10, 5 or 1"),
        ("priority", "high", "field 'priority': 'high' is not 10, 5 or 1"),
        ("priority", "10.0", "field 'priority': '10.0' is not 10, 5 or 1"),
        ("expiration", "-5", "field 'expiration': '-5' is not 0, a UNIX time, a duration (30s, 15m, 1h, 2d) or an RFC 3339 time"),
        ("expiration", "1.5", "field 'expiration': '1.5' is not 0, a UNIX time, a duration (30s, 15m, 1h, 2d) or an RFC 3339 time"),
        ("expiration", "99999999999999999999999", "field 'expiration': '99999999999999999999999' is not 0, a UNIX time, a duration (30s, 15m, 1h, 2d) or an RFC 3339 time"),
        ("expiration", "3600", "field 'expiration': '3600' looks like a number of seconds, but apns-expiration is a UNIX time; write a duration such as 1h (from when the push is sent), an RFC 3339 time or a UNIX time"),
        ("expiration", "2020-01-01T00:00:00Z", "field 'expiration': '2020-01-01T00:00:00Z' is in the past (2020-01-01T00:00:00.000Z); APNs would not store it: give a later time, a duration such as 1h, or 0 to try once"),
        ("apns_id", "not-a-uuid", "field 'apns_id': 'not-a-uuid' is not a UUID (8-4-4-4-12 hex digits, e.g. 123e4567-e89b-12d3-a456-426614174000)"),
        ("apns_id", "123e4567e89b12d3a456426614174000", "field 'apns_id': '123e4567e89b12d3a456426614174000' is not a UUID (8-4-4-4-12 hex digits, e.g. 123e4567-e89b-12d3-a456-426614174000)"),
        ("apns_id", "123e4567-e89b-12d3-a456-42661417400g", "field 'apns_id': '123e4567-e89b-12d3-a456-42661417400g' is not a UUID (8-4-4-4-12 hex digits, e.g. 123e4567-e89b-12d3-a456-426614174000)"),
        ("collapse_id", String(repeating: "c", count: 65), "field 'collapse_id': 65 bytes, over the 64-byte limit"),
        ("collapse_id", String(repeating: "é", count: 33), "field 'collapse_id': 66 bytes, over the 64-byte limit"),
        ("collapse_id", "a\nb", "field 'collapse_id': contains control characters"),
        ("push_type", "Alert", "field 'push_type': 'Alert' is not a push type APNs knows (alert, background, complication, controls, fileprovider, liveactivity, location, mdm, pushtotalk, voip, widgets)"),
        ("topic", "com.example app", "field 'topic': 'com.example app' contains spaces or control characters"),
    ])
    func invalidOverridesNameTheField(field: String, value: String, message: String) {
        let record = Fields(columns: ["token", "msg", field], values: ["AA", "m", value])
        let prepared = preparer.prepare(InputRecord(line: 4, content: .fields(record)))
        #expect(prepared == .invalid(line: 4, token: "AA", message: message))
    }

    @Test func collapseIDAtTheLimitIsAccepted() throws {
        let id = String(repeating: "c", count: 64)
        #expect(try #require(notification(csvRecord(["token": "aa", "msg": "m", "collapse_id": id]))).collapseID == id)
    }

    @Test func objectOverrideIsInvalid() throws {
        let row = try jsonlRow(#"{"token":"aa","msg":"m","priority":{"v":10}}"#)
        #expect(preparer.prepare(row) == .invalid(line: 1, token: "aa", message: "field 'priority' must be text or a number, found an object"))
    }

    @Test func rulesAreUsableWithOtherLabels() throws {
        #expect(throws: RowError("--priority: '3' is not 10, 5 or 1")) { try NotificationRules.priority("3", label: "--priority") }
        #expect(try NotificationRules.token("ABCD", label: "--device") == "abcd")
        #expect(try NotificationRules.pushType("liveactivity") == .liveactivity)
    }
}
