import Testing
@testable import PushCore

@Suite struct JSONParserStringTests {
    @Test(arguments: [
        (#""\"\\\/\b\f\n\r\t""#, "\"\\/\u{08}\u{0C}\n\r\t"),
        (#""\u0041\u00e9\u20AC""#, "Aé€"),
        (#""\u0000""#, "\u{0}"),
        (#""\uD83D\uDE00""#, "😀"),
        (#""\ud834\udd1e clef""#, "𝄞 clef"),
        (#""a\u00""#, nil),
        ("\"caf\u{E9} \u{1F600} \u{4E2D}\"", "café 😀 中"),
        (#""tab\tin escape""#, "tab\tin escape"),
    ] as [(String, String?)])
    func decodesEscapesAndUnicode(text: String, expected: String?) {
        let value = try? JSONParser.parse(text)
        #expect(value?.stringValue == expected)
    }

    @Test(arguments: [
        ([0x22, 0xC3, 0x28, 0x22], "invalid UTF-8 (byte 0xC3 followed by 0x28) at column 2"),
        ([0x22, 0xC0, 0xAF, 0x22], "invalid UTF-8 (byte 0xC0) at column 2"),            // overlong '/'
        ([0x22, 0xE0, 0x80, 0xAF, 0x22], "invalid UTF-8 (byte 0xE0 followed by 0x80) at column 2"), // overlong
        ([0x22, 0xED, 0xA0, 0x80, 0x22], "invalid UTF-8 (byte 0xED followed by 0xA0) at column 2"), // encoded surrogate
        ([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], "invalid UTF-8 (byte 0xF4 followed by 0x90) at column 2"), // > U+10FFFF
        ([0x22, 0xF5, 0x80, 0x80, 0x80, 0x22], "invalid UTF-8 (byte 0xF5) at column 2"),
        ([0x22, 0x80, 0x22], "invalid UTF-8 (byte 0x80) at column 2"),               // lone continuation
        ([0x22, 0x61, 0xE2, 0x82, 0x22], "invalid UTF-8 (truncated sequence) at column 3"),
        ([0x22, 0xE2, 0x82], "invalid UTF-8 (truncated sequence) at column 2"),
        ([0xFF], "unexpected byte 0xFF, expected a value at column 1"),
    ] as [([UInt8], String)])
    func rejectsInvalidUTF8(bytes: [UInt8], message: String) {
        #expect(jsonErrorText(bytes: bytes) == message)
    }

    @Test func acceptsEveryValidUTF8Length() throws {
        let text = "\"$ ¢ € 𐍈\""
        #expect(try JSONParser.parse(text).stringValue == "$ ¢ € 𐍈")
        #expect(Array(text.utf8).count == 1 + 1 + 1 + 2 + 1 + 3 + 1 + 4 + 1)
    }

    @Test func stringsAsKeysAreDecodedToo() throws {
        let object = try #require(try JSONParser.parse(#"{"a\u0062":1,"\u00e9":2}"#).objectValue)
        #expect(object.keys == ["ab", "é"])
    }

    @Test func everyEscapedControlCharacterRoundTrips() throws {
        for code in 0..<0x20 {
            let scalar = Unicode.Scalar(UInt8(code))
            let hex = String(code, radix: 16)
            let text = "\"\\u" + String(repeating: "0", count: 4 - hex.count) + hex + "\""
            #expect(try JSONParser.parse(text) == .string(String(scalar)))
        }
    }
}
