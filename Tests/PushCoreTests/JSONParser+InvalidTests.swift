import Testing
@testable import PushCore

@Suite struct JSONParserInvalidTests {
    @Test(arguments: [
        ("", "unexpected end of input, expected a value at column 1"),
        ("   ", "unexpected end of input, expected a value at column 4"),
        (#"{"a":1 "b":2}"#, #"expected ',' or '}', found '"' at column 8"#),
        (#"{"a":1,}"#, "trailing comma before '}' at column 8"),
        ("[1,]", "trailing comma before ']' at column 4"),
        ("[1 2]", "expected ',' or ']', found '2' at column 4"),
        (#"{"a" 1}"#, "expected ':' after member name, found '1' at column 6"),
        ("{a:1}", #"expected '"' or '}', found 'a' at column 2"#),
        ("{'a':1}", #"expected '"' or '}', found ''' at column 2"#),
        ("01", "leading zeros are not allowed in numbers at column 1"),
        ("-01", "leading zeros are not allowed in numbers at column 2"),
        ("+1", "unexpected '+', expected a value at column 1"),
        (".5", "unexpected '.', expected a value at column 1"),
        ("1.", "expected a digit after '.', found end of input at column 3"),
        ("1.e3", "expected a digit after '.', found 'e' at column 3"),
        ("1e", "expected a digit in the exponent, found end of input at column 3"),
        ("-", "expected a digit, found end of input at column 2"),
        ("tru", "invalid literal (expected true, false or null) at column 1"),
        ("nul", "invalid literal (expected true, false or null) at column 1"),
        ("NaN", "unexpected 'N', expected a value at column 1"),
        ("[Infinity]", "unexpected 'I', expected a value at column 2"),
        ("{} x", "unexpected 'x' after the JSON value at column 4"),
        ("1 2", "unexpected '2' after the JSON value at column 3"),
        ("[1] // c", "unexpected '/' after the JSON value at column 5"),
        (#""abc"#, "unterminated string (opened at column 1) at column 5"),
        (#"{"a":"b"#, "unterminated string (opened at column 6) at column 8"),
        ("[1", "unexpected end of input, expected ',' or ']' at column 3"),
        (#"{"a":1"#, "unexpected end of input, expected ',' or '}' at column 7"),
        ("\"a\tb\"", "unescaped control character 0x09 in string at column 3"),
        ("\"a\nb\"", "unescaped control character 0x0A in string at column 3"),
        (#""\x""#, #"invalid escape '\x' (use \", \\, \/, \b, \f, \n, \r, \t or \uXXXX) at column 2"#),
        (#""\u12G4""#, #"invalid \u escape: expected 4 hex digits at column 2"#),
        (#""\uD800""#, #"unpaired surrogate \uD800 (a high surrogate must be followed by a \uDC00-\uDFFF escape) at column 2"#),
        (#""\uD800\u0041""#, #"unpaired surrogate \uD800 (followed by \u0041, not a low surrogate) at column 2"#),
        (#""x\uDC00""#, #"unpaired surrogate \uDC00 (a low surrogate without a high one) at column 3"#),
        ("\u{FEFF}{}", "unexpected byte 0xEF, expected a value at column 1"),
    ])
    func rejectsWithPositionedMessage(text: String, message: String) {
        #expect(jsonErrorText(text) == message)
    }

    @Test func depthBeyondTheLimitIsRejected() {
        let text = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        #expect(jsonErrorText(text) == "nesting deeper than 64 levels at column 65")
        let objects = String(repeating: #"{"a":"#, count: 65) + "1" + String(repeating: "}", count: 65)
        #expect(jsonErrorText(objects) == "nesting deeper than 64 levels at column 321")
    }

    @Test func customDepthLimit() throws {
        #expect(throws: JSONError.self) { try JSONParser.parse("[[[1]]]", maxDepth: 2) }
        #expect(try JSONParser.parse("[[1]]", maxDepth: 2) == [[1]])
    }

    @Test func errorCarriesOffsetAndMessageSeparately() throws {
        do {
            _ = try JSONParser.parse(#"{"a":1 "b":2}"#)
            Issue.record("expected an error")
        } catch {
            #expect(error.offset == 7)
            #expect(error.column == 8)
            #expect(error.message == #"expected ',' or '}', found '"'"#)
        }
    }
}
