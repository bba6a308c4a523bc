import Testing
@testable import PushCore

@Suite("Flat JSON objects")
struct FlatJSONObjectParsingTests {
    func parse(_ text: String) throws -> FlatJSONObject {
        try FlatJSONObject.parse(Array(text.utf8))
    }

    @Test("scalars of every kind, in order")
    func scalars() throws {
        let object = try parse(#" { "s" : "a\"b\\c\/\n\t\u00e9\ud83d\ude00", "n": -12.5e3, "i": 0, "t": true, "f": false, "z": null } "#)
        #expect(object.members.map(\.key) == ["s", "n", "i", "t", "f", "z"])
        #expect(object["s"] == .string("a\"b\\c/\n\té😀"))
        #expect(object["n"] == .number("-12.5e3"))
        #expect(object["i"] == .number("0"))
        #expect(object["t"] == .bool(true))
        #expect(object["f"] == .bool(false))
        #expect(object["z"] == .null)
        #expect(object["missing"] == nil)
        #expect(try parse("{}").members.isEmpty)
    }

    // JSON syntax itself is JSONParser's (tested there); these are the rules a flat object adds.
    @Test("non-objects, nested values, duplicate keys and syntax errors are refused with their column", arguments: [
        ("[]", "expected an object, found an array at column 1"),
        (#"{"a":{}}"#, "'a' must be a string, number, boolean or null at column 6"),
        (#"{"a":[1]}"#, "'a' must be a string, number, boolean or null at column 6"),
        (#"{"a":1,"a":2}"#, "duplicate key 'a' at column 12"),
        (#"{"a":1} x"#, "unexpected 'x' after the JSON value at column 9"),
        (#"{"a":01}"#, "leading zeros are not allowed in numbers at column 6"),
    ])
    func errors(text: String, message: String) {
        let error = #expect(throws: FlatJSONError.self) { try parse(text) }
        #expect(error?.description == message)
    }
}
