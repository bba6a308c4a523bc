import Testing
@testable import PushCore

@Suite struct JSONParserValidTests {
    @Test(arguments: [
        ("null", JSONValue.null),
        ("true", .bool(true)),
        ("false", .bool(false)),
        ("0", .number("0")),
        ("-0", .number("-0")),
        ("12", .number("12")),
        ("-12.50", .number("-12.50")),
        ("1e3", .number("1e3")),
        ("1E+3", .number("1E+3")),
        ("2.5e-10", .number("2.5e-10")),
        ("0.0", .number("0.0")),
        ("123456789012345678901234567890", .number("123456789012345678901234567890")),
        ("\"\"", .string("")),
        ("\"hi\"", .string("hi")),
        ("[]", .array([])),
        ("{}", .object(JSONObject())),
        (" \t\r\n[1 , \"a\" ,null]\n ", .array([.number("1"), .string("a"), .null])),
    ])
    func scalarAndSimpleValues(text: String, expected: JSONValue) throws {
        #expect(try JSONParser.parse(text) == expected)
    }

    @Test func nestedObjectKeepsOrderAndValues() throws {
        let value = try JSONParser.parse(#"{"b":1,"a":{"x":[true,{"y":null}]},"c":"z"}"#)
        let object = try #require(value.objectValue)
        #expect(object.keys == ["b", "a", "c"])
        #expect(object["c"] == .string("z"))
        #expect(object["a"] == ["x": [true, ["y": nil]]])
        #expect(object["missing"] == nil)
    }

    @Test func duplicateKeysAreKeptAndTheLastWins() throws {
        let object = try #require(try JSONParser.parse(#"{"k":1,"other":2,"k":3}"#).objectValue)
        #expect(object.count == 3)
        #expect(object["k"] == .number("3"))
        #expect(object.lastIndex(forKey: "k") == 2)
    }

    @Test func largeObjectLookupUsesTheLastDuplicate() throws {
        var text = "{"
        for i in 0..<40 { text += "\"k\(i)\":\(i)," }
        text += "\"k5\":\"again\"}"
        let object = try #require(try JSONParser.parse(text).objectValue)
        #expect(object.count == 41)
        #expect(object["k39"] == .number("39"))
        #expect(object["k5"] == .string("again"))
    }

    @Test func depthUpToTheLimitIsAccepted() throws {
        let text = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        var value = try JSONParser.parse(text)
        var depth = 0
        while case .array(let inner) = value {
            depth += 1
            value = inner.first ?? .null
        }
        #expect(depth == 64)
    }

    @Test func documentRecordsTopLevelMemberValueRanges() throws {
        let text = #"{ "token" : "ab12", "payload":  {"aps": {"alert": "hi"}} , "n":-1.5e2 }"#
        let bytes = Array(text.utf8)
        let document = try JSONParser.parseDocument(bytes)
        let object = try #require(document.value.objectValue)
        #expect(document.memberValueRanges.count == object.count)
        func slice(_ key: String) throws -> String {
            let range = try #require(document.valueRange(forKey: key))
            return String(decoding: bytes[range], as: UTF8.self)
        }
        #expect(try slice("token") == "\"ab12\"")
        #expect(try slice("payload") == #"{"aps": {"alert": "hi"}}"#)
        #expect(try slice("n") == "-1.5e2")
        #expect(document.valueRange(forKey: "absent") == nil)
    }

    @Test func documentOfANonObjectHasNoRanges() throws {
        let document = try JSONParser.parseDocument(Array("[1,2]".utf8))
        #expect(document.value == [1, 2])
        #expect(document.memberValueRanges.isEmpty)
    }

    @Test func parsesNonContiguousCollections() throws {
        let bytes = Array(#"{"a":[1,2]}"#.utf8)
        let lazy = bytes.lazy.map { $0 }
        #expect(try JSONParser.parse(lazy) == ["a": [1, 2]])
    }

    @Test(arguments: ["0", "-1", "1.5", "1e9", "-0.0E-0"])
    func numberLiteralCheckAcceptsValidNumbers(_ text: String) {
        #expect(JSONParser.isNumberLiteral(text.utf8))
    }

    @Test(arguments: ["", "01", "+1", ".5", "1.", "1e", "--1", "1 ", " 1", "0x10", "NaN", "true"])
    func numberLiteralCheckRejectsOthers(_ text: String) {
        #expect(!JSONParser.isNumberLiteral(text.utf8))
    }
}
