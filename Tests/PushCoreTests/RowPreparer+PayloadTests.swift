import Testing
@testable import PushCore

@Suite struct RowPreparerPayloadTests {
    let template = try! PayloadTemplate(text: #"{"aps":{"alert":"{{msg}}"}}"#)

    func payloadText(_ prepared: Prepared) -> String? {
        if case .notification(let n) = prepared { return String(decoding: n.payload, as: UTF8.self) }
        return nil
    }

    @Test func jsonlPayloadIsSentAsItsOriginalBytes() throws {
        let preparer = RowPreparer(template: nil, defaults: NotificationDefaults())
        let row = try jsonlRow(#"{"token":"aa","payload": {"aps":{"alert":"caf\u00e9"} , "n":1.0}}"#)
        #expect(payloadText(preparer.prepare(row)) == #"{"aps":{"alert":"caf\u00e9"} , "n":1.0}"#)
    }

    @Test func rowPayloadWinsOverTheTemplate() throws {
        let preparer = RowPreparer(template: template, defaults: NotificationDefaults())
        let row = try jsonlRow(#"{"token":"aa","msg":"from template","payload":{"aps":{"badge":1},"own":true}}"#)
        #expect(payloadText(preparer.prepare(row)) == #"{"aps":{"badge":1},"own":true}"#)
        let nullPayload = try jsonlRow(#"{"token":"aa","msg":"from template","payload":null}"#)
        #expect(payloadText(preparer.prepare(nullPayload)) == #"{"aps":{"alert":"from template"}}"#)
    }

    @Test func csvPayloadColumnHoldsJSON() {
        let preparer = RowPreparer(template: template, defaults: NotificationDefaults(pushType: .alert))
        #expect(payloadText(preparer.prepare(csvRecord(["token": "aa", "payload": #"{"x":1}"#]))) == #"{"x":1}"#)
        #expect(payloadText(preparer.prepare(csvRecord(["token": "aa", "payload": "", "msg": "t"]))) == #"{"aps":{"alert":"t"}}"#)
        #expect(invalidMessage(preparer.prepare(csvRecord(["token": "aa", "payload": "{x}"]))) ==
            #"field 'payload' is not valid JSON: expected '"' or '}', found 'x' at column 2"#)
        #expect(invalidMessage(preparer.prepare(csvRecord(["token": "aa", "payload": "[1]"]))) ==
            "field 'payload' must be a JSON object, found an array")
    }

    @Test func nonObjectRowPayloadIsInvalid() throws {
        let preparer = RowPreparer(template: template, defaults: NotificationDefaults())
        let row = try jsonlRow(#"{"token":"aa","payload":"{\"aps\":{}}"}"#)
        #expect(preparer.prepare(row) == .invalid(line: 1, token: "aa", message: "field 'payload' must be a JSON object, found a string"))
    }

    @Test func neitherTemplateNorPayload() throws {
        let preparer = RowPreparer(template: nil, defaults: NotificationDefaults())
        #expect(invalidMessage(preparer.prepare(try jsonlRow(#"{"token":"aa"}"#))) ==
            "no payload: give --template/--payload or a 'payload' field")
        #expect(invalidMessage(preparer.prepare(csvRecord(["token": "aa"]))) ==
            "no payload: give --template/--payload or a 'payload' field")
    }

    @Test func templateProblemsMakeTheRowInvalid() {
        let preparer = RowPreparer(template: template, defaults: NotificationDefaults())
        #expect(preparer.prepare(csvRecord(line: 3, ["token": "aa"])) ==
            .invalid(line: 3, token: "aa", message: "template field 'msg' is missing"))
    }

    @Test func payloadLimitsDependOnThePushType() throws {
        let filler = String(repeating: "x", count: 4096 - #"{"aps":{"alert":""}}"#.utf8.count)
        let preparer = RowPreparer(template: template, defaults: NotificationDefaults())
        #expect(payloadText(preparer.prepare(csvRecord(["token": "aa", "msg": filler])))?.utf8.count == 4096)
        #expect(invalidMessage(preparer.prepare(csvRecord(["token": "aa", "msg": filler + "x"]))) ==
            "payload is 4097 bytes, over the 4096-byte limit for alert")
        let big = String(repeating: "y", count: 4211 - #"{"aps":{"alert":""}}"#.utf8.count)
        #expect(invalidMessage(preparer.prepare(csvRecord(["token": "aa", "msg": big, "push_type": "background"]))) ==
            "payload is 4211 bytes, over the 4096-byte limit for background")
        #expect(payloadText(preparer.prepare(csvRecord(["token": "aa", "msg": big, "push_type": "voip"])))?.utf8.count == 4211)
        let voipDefaults = RowPreparer(template: template, defaults: NotificationDefaults(pushType: .voip))
        let huge = String(repeating: "z", count: 5121 - #"{"aps":{"alert":""}}"#.utf8.count)
        #expect(invalidMessage(voipDefaults.prepare(csvRecord(["token": "aa", "msg": huge]))) ==
            "payload is 5121 bytes, over the 5120-byte limit for voip")
    }

    @Test func escapedValuesCountTowardTheLimitAsSent() {
        let preparer = RowPreparer(template: template, defaults: NotificationDefaults())
        let quotes = String(repeating: "\"", count: 2100)   // each becomes 2 bytes
        #expect(invalidMessage(preparer.prepare(csvRecord(["token": "aa", "msg": quotes]))) ==
            "payload is \(4200 + 20) bytes, over the 4096-byte limit for alert")
    }
}
