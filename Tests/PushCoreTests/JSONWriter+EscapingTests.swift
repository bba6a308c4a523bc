import Testing
@testable import PushCore

@Suite struct JSONWriterEscapingTests {
    func escaped(_ s: String) -> String {
        var out: [UInt8] = []
        JSONWriter.appendStringContent(s, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    @Test(arguments: [
        ("plain", "plain"),
        ("say \"hi\"", #"say \"hi\""#),
        (#"C:\dir"#, #"C:\\dir"#),
        ("a\nb\rc\td", #"a\nb\rc\td"#),
        ("\u{08}\u{0C}", #"\b\f"#),
        ("\u{0}\u{1}\u{1F}", #"\u0000\u0001\u001f"#),
        ("é 😀 /", "é 😀 /"),
        ("\u{7F}", "\u{7F}"),
    ])
    func escapesWhatJSONRequires(input: String, expected: String) {
        #expect(escaped(input) == expected)
    }

    @Test func escapedContentParsesBackToTheSameString() throws {
        var samples = ["", "\"\\\"", "line1\nline2\r\n", "emoji 👩‍👩‍👧 and \u{2028}", String(repeating: "x\"", count: 200)]
        samples.append(String(String.UnicodeScalarView((0..<0x80).map { Unicode.Scalar(UInt8($0)) })))
        for sample in samples {
            var out: [UInt8] = [UInt8(ascii: "\"")]
            JSONWriter.appendStringContent(sample, to: &out)
            out.append(UInt8(ascii: "\""))
            #expect(try JSONParser.parse(out) == .string(sample))
        }
    }

    @Test func appendsToExistingBytes() {
        var out = Array("prefix:".utf8)
        JSONWriter.appendString("a\"b", to: &out)
        #expect(String(decoding: out, as: UTF8.self) == #"prefix:"a\"b""#)
        JSONWriter.appendStringContent(utf8: Array("\n".utf8), to: &out)
        #expect(String(decoding: out, as: UTF8.self) == #"prefix:"a\"b"\n"#)
    }

    @Test func serializeIsCompactAndRoundTrips() throws {
        let value: JSONValue = ["aps": ["alert": ["title": "Hi \"you\"", "body": "line\nbreak"], "badge": 3],
                                "list": [true, false, nil, .number("-1.50e3")], "empty": [:]]
        let bytes = JSONWriter.serialize(value)
        #expect(String(decoding: bytes, as: UTF8.self) ==
            #"{"aps":{"alert":{"title":"Hi \"you\"","body":"line\nbreak"},"badge":3},"list":[true,false,null,-1.50e3],"empty":{}}"#)
        #expect(try JSONParser.parse(bytes) == value)
    }
}
