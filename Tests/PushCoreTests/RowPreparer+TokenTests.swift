import Testing
@testable import PushCore

let sampleToken = "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90"

func csvRecord(line: Int = 2, _ pairs: KeyValuePairs<String, String>) -> InputRecord {
    InputRecord(line: line, content: .fields(Fields(columns: pairs.map(\.key), values: pairs.map(\.value))))
}

/// Parses one JSONL row through the reader.
func jsonlRow(_ text: String) throws -> InputRecord {
    var reader = try JSONLReader(source: BufferByteSource(text), name: "t.jsonl")
    return try #require(try reader.next())
}

func invalidMessage(_ prepared: Prepared) -> String? {
    if case .invalid(_, _, let message) = prepared { return message }
    return nil
}

@Suite struct RowPreparerTokenTests {
    let preparer = RowPreparer(template: try! PayloadTemplate(text: #"{"aps":{"alert":"hi"}}"#), defaults: NotificationDefaults())

    @Test func validTokenIsLowercased() throws {
        let prepared = preparer.prepare(csvRecord(["token": sampleToken.uppercased()]))
        guard case .notification(let n) = prepared else {
            Issue.record("expected a notification, got \(prepared)")
            return
        }
        #expect(n.token == sampleToken)
        #expect(n.line == 2)
        #expect(String(decoding: n.payload, as: UTF8.self) == #"{"aps":{"alert":"hi"}}"#)
    }

    @Test func longLiveActivityTokensAreAccepted() {
        let long = String(repeating: "ab", count: 80)
        guard case .notification(let n) = preparer.prepare(csvRecord(["token": long])) else {
            Issue.record("expected a notification")
            return
        }
        #expect(n.token == long)
    }

    @Test(arguments: [
        ("<a1b2 c3d4>", "field 'token': contains spaces or angle brackets; give only the hex digits (e.g. 'abcdef01', not '<abcd ef01>')"),
        (" a1b2", "field 'token': contains spaces or angle brackets; give only the hex digits (e.g. 'abcdef01', not '<abcd ef01>')"),
        ("obLD1OX2iCs2Gk5kFWzpD1Mt6PSm+JL8pTQJBLlTFzI=", "field 'token': looks like base64; device tokens are hex (hex-encode the token's bytes)"),
        ("obLD1OX2iCs2Gk5kFWzpD1Mt6PSmJL8pTQJBLlTFzI", "field 'token': looks like base64; device tokens are hex (hex-encode the token's bytes)"),
        ("obLD1OX2iCs2Gk5kFWzpD1Mt6PSm-JL8pTQJBLlTFzI", "field 'token': looks like base64; device tokens are hex (hex-encode the token's bytes)"),
        ("not-a-token", "field 'token': 'n' at position 1 is not a hex digit"),
        ("a1b2z3", "field 'token': 'z' at position 5 is not a hex digit"),
        ("a1b2é3", "field 'token': 'é' at position 5 is not a hex digit"),
        ("a1b2:c3", "field 'token': ':' at position 5 is not a hex digit"),
        ("abc", "field 'token': odd number of hex digits (3); a token is whole bytes, two digits each"),
    ])
    func badTokensAreRejectedWithAHint(token: String, message: String) {
        let prepared = preparer.prepare(csvRecord(line: 7, ["token": token]))
        #expect(prepared == .invalid(line: 7, token: token, message: message))
    }

    @Test func emptyAndMissingTokens() throws {
        #expect(preparer.prepare(csvRecord(["token": ""])) == .invalid(line: 2, token: "", message: "field 'token' is empty"))
        #expect(preparer.prepare(csvRecord(["name": "x"])) == .invalid(line: 2, token: "", message: "field 'token' is missing"))
        #expect(preparer.prepare(try jsonlRow(#"{"token":null}"#)) == .invalid(line: 1, token: "", message: "field 'token' is missing"))
        #expect(preparer.prepare(try jsonlRow(#"{"token":1234}"#)) ==
            .invalid(line: 1, token: "1234", message: "field 'token' must be a string, found a number"))
        #expect(preparer.prepare(try jsonlRow(#"{"token":["ab"]}"#)) ==
            .invalid(line: 1, token: "", message: "field 'token' must be a string, found an array"))
    }

    @Test func customTokenField() {
        let custom = RowPreparer(template: preparer.template, defaults: NotificationDefaults(), tokenField: "device")
        guard case .notification(let n) = custom.prepare(csvRecord(["device": "ABCD"])) else {
            Issue.record("expected a notification")
            return
        }
        #expect(n.token == "abcd")
        #expect(custom.prepare(csvRecord(["token": "abcd"])) == .invalid(line: 2, token: "", message: "field 'device' is missing"))
    }

    @Test func malformedRecordBecomesInvalidWithEmptyToken() {
        let record = InputRecord(line: 9, content: .malformed("expected 3 fields, found 4"))
        #expect(preparer.prepare(record) == .invalid(line: 9, token: "", message: "expected 3 fields, found 4"))
    }

    @Test func deviceListTokens() throws {
        var reader = DeviceListReader(tokens: ["ABCDEF", "<ab cd>"])
        let firstRecord = reader.next()
        let secondRecord = reader.next()
        let first = try #require(firstRecord)
        let second = try #require(secondRecord)
        guard case .notification(let n) = preparer.prepare(first) else {
            Issue.record("expected a notification")
            return
        }
        #expect(n.token == "abcdef" && n.line == 1)
        #expect(invalidMessage(preparer.prepare(second))?.contains("spaces or angle brackets") == true)
    }
}
