import Testing
@testable import PushCore

@Suite struct PayloadTemplateCompileTests {
    func compileError(_ text: String) -> String? {
        do {
            _ = try PayloadTemplate(text: text, name: "t.json")
            return nil
        } catch {
            return error.description
        }
    }

    @Test func segmentsAndFieldNames() throws {
        let template = try PayloadTemplate(text: #"{"aps":{"alert":"Hi {{ name }}, {{name}}!","badge":{{badge}}},"ids":[{{a.b}}, {{c-d_1}}]}"#)
        #expect(template.fieldNames == ["name", "badge", "a.b", "c-d_1"])
        #expect(template.segments == [
            .literal(Array(#"{"aps":{"alert":"Hi "#.utf8)), .stringField("name"), .literal(Array(", ".utf8)),
            .stringField("name"), .literal(Array(#"!","badge":"#.utf8)), .valueField("badge"),
            .literal(Array(#"},"ids":["#.utf8)), .valueField("a.b"), .literal(Array(", ".utf8)),
            .valueField("c-d_1"), .literal(Array("]}".utf8)),
        ])
    }

    @Test func templateWithoutPlaceholdersIsOneLiteral() throws {
        let text = "{\n  \"aps\": {\"alert\": \"static\"}\n}\n"
        let template = try PayloadTemplate(text: text)
        #expect(template.fieldNames.isEmpty)
        #expect(template.segments == [.literal(Array(text.utf8))])
    }

    @Test func placeholderAsObjectKeyIsAStringField() throws {
        let template = try PayloadTemplate(text: #"{"{{key}}": 1}"#)
        #expect(template.segments.contains(.stringField("key")))
    }

    @Test func escapedQuoteDoesNotEndTheString() throws {
        let template = try PayloadTemplate(text: #"{"a":"say \"{{x}}\" \\","b":{{y}}}"#)
        #expect(template.segments.contains(.stringField("x")))
        #expect(template.segments.contains(.valueField("y")))
    }

    @Test func byteOrderMarkIsIgnored() throws {
        let template = try PayloadTemplate(bytes: [0xEF, 0xBB, 0xBF] + Array("{}".utf8))
        #expect(template.segments == [.literal(Array("{}".utf8))])
    }

    @Test(arguments: [
        ("[1,2]", "t.json:1:1: the template must be a JSON object, found an array"),
        ("  \"text\"", "t.json:1:3: the template must be a JSON object, found a string"),
        ("{\n  \"a\": 1\n  \"b\": 2\n}", #"t.json:3:3: expected ',' or '}', found '"'"#),
        ("{\"a\": {{x}} {{y}}}", "t.json:1:7: placeholder {{x}} must be inside a string or be a whole value (after ':', ',' or '[', before ',', '}' or ']')"),
        ("{\"a\": -{{x}}}", "t.json:1:8: placeholder {{x}} must be inside a string or be a whole value (after ':', ',' or '[', before ',', '}' or ']')"),
        ("{\"a\": {{x}}0}", "t.json:1:7: placeholder {{x}} must be inside a string or be a whole value (after ':', ',' or '[', before ',', '}' or ']')"),
        ("{{x}}", "t.json:1:1: placeholder {{x}} must be inside a string or be a whole value (after ':', ',' or '[', before ',', '}' or ']')"),
        ("{\"a\": \"{{first name}}\"}", "t.json:1:8: invalid placeholder: expected {{name}} with a field name made of letters, digits, '_', '.' or '-'"),
        ("{\"a\": \"{{}}\"}", "t.json:1:8: invalid placeholder: expected {{name}} with a field name made of letters, digits, '_', '.' or '-'"),
        ("{\"a\": \"{{x\"}", "t.json:1:8: invalid placeholder: expected {{name}} with a field name made of letters, digits, '_', '.' or '-'"),
        ("{\"a\": {{x}}", "t.json:1:7: placeholder {{x}} must be inside a string or be a whole value (after ':', ',' or '[', before ',', '}' or ']')"),
        ("{\"a\": [{{x}},]}", "t.json:1:14: trailing comma before ']'"),
        ("{\n\"a\": \"tab\there\"}", "t.json:2:10: unescaped control character 0x09 in string"),
        ("{\"a\": {{x}}, \"b\": }", "t.json:1:19: unexpected '}', expected a value"),
        ("", "t.json:1:1: unexpected end of input, expected a value"),
        ("{\"a\": \"x\"", "t.json:1:10: unexpected end of input, expected ',' or '}'"),
    ])
    func invalidTemplatesReportLineAndColumn(text: String, message: String) {
        #expect(compileError(text) == message)
    }

    @Test func loadReadsAFileAndNamesItInErrors() throws {
        let dir = try TemporaryDirectory()
        let good = try dir.write("ok.json", #"{"aps":{"alert":"{{msg}}"}}"#)
        #expect(try PayloadTemplate.load(path: good).fieldNames == ["msg"])
        #expect(try PayloadTemplate.load(path: good).name == good)
        let bad = try dir.write("bad.json", "{\"aps\": }")
        #expect(throws: TemplateError(name: bad, line: 1, column: 9, message: "unexpected '}', expected a value")) {
            _ = try PayloadTemplate.load(path: bad)
        }
        #expect(throws: InputError.self) { _ = try PayloadTemplate.load(path: dir.url.path + "/missing.json") }
    }
}
