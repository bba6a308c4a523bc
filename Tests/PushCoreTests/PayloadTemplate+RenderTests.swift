import Testing
@testable import PushCore

@Suite struct PayloadTemplateRenderTests {
    let alert = try! PayloadTemplate(text: #"{"aps":{"alert":{"title":"Hi {{name}}","body":"{{ body }}"}}}"#)
    let values = try! PayloadTemplate(text: #"{"aps":{"badge":{{badge}}},"flags":[{{a}}, {{b}}],"s":"{{badge}}"}"#)

    func csv(_ pairs: KeyValuePairs<String, String>) -> Fields {
        Fields(columns: pairs.map(\.key), values: pairs.map(\.value))
    }

    func renderText(_ template: PayloadTemplate, _ fields: Fields) throws -> String {
        String(decoding: try template.render(fields), as: UTF8.self)
    }

    func renderError(_ template: PayloadTemplate, _ fields: Fields) -> String? {
        do {
            _ = try template.render(fields)
            return nil
        } catch {
            return error.message
        }
    }

    @Test(arguments: [
        "plain", "with \"quotes\"", #"back\slash"#, "new\nline", "cr\r\ntab\t", "ctrl \u{0}\u{1}\u{1B}\u{1F}",
        "unicode é 中 😀 👩‍💻", "\u{2028}\u{2029}", "}}{{not a placeholder", "", "/ slash",
    ])
    func stringValuesAreEscapedAndParseBack(value: String) throws {
        let bytes = try alert.render(csv(["name": value, "body": value]))
        let object = try #require(try JSONParser.parse(bytes).objectValue)
        #expect(object["aps"] == ["alert": ["title": .string("Hi " + value), "body": .string(value)]])
    }

    @Test func jsonRowValuesInStrings() throws {
        let fields = Fields(object: JSONObject(["name": .number("1.50"), "body": .bool(true)]))
        #expect(try renderText(alert, fields) == #"{"aps":{"alert":{"title":"Hi 1.50","body":"true"}}}"#)
        let withNull = Fields(object: JSONObject(["name": "Ann \"A\"", "body": nil]))
        #expect(try renderText(alert, withNull) == #"{"aps":{"alert":{"title":"Hi Ann \"A\"","body":""}}}"#)
    }

    @Test func objectsAndArraysCannotGoInsideStrings() {
        let fields = Fields(object: JSONObject(["name": ["x": 1], "body": "b"]))
        #expect(renderError(alert, fields) == "template field 'name' is an object; a placeholder inside a string needs text, a number or a boolean")
        let array = Fields(object: JSONObject(["name": "n", "body": [1]]))
        #expect(renderError(alert, array) == "template field 'body' is an array; a placeholder inside a string needs text, a number or a boolean")
    }

    @Test func standaloneValuesFromCSVMustBeJSONLiterals() throws {
        let ok = csv(["badge": "-2.5e3", "a": "true", "b": "null"])
        let text = try renderText(values, ok)
        #expect(text == #"{"aps":{"badge":-2.5e3},"flags":[true, null],"s":"-2.5e3"}"#)
        #expect(try JSONParser.parse(text).objectValue?["flags"] == [true, nil])
        for bad in ["abc", "", " 1", "01", "True", "\"x\"", "1,2"] {
            #expect(renderError(values, csv(["badge": bad, "a": "1", "b": "2"])) ==
                "template field 'badge' must be a JSON number, true, false or null (found '\(bad)')")
        }
    }

    @Test func standaloneValuesFromJSONL() throws {
        let ok = Fields(object: JSONObject(["badge": 7, "a": false, "b": nil]))
        #expect(try renderText(values, ok) == #"{"aps":{"badge":7},"flags":[false, null],"s":"7"}"#)
        let string = Fields(object: JSONObject(["badge": "7", "a": 1, "b": 2]))
        #expect(renderError(values, string) == "template field 'badge' must be a JSON number, true, false or null (found a string)")
        let object = Fields(object: JSONObject(["badge": 1, "a": ["k": 1], "b": 2]))
        #expect(renderError(values, object) == "template field 'a' must be a JSON number, true, false or null (found an object)")
    }

    @Test func missingFieldIsNamed() {
        #expect(renderError(alert, csv(["name": "x"])) == "template field 'body' is missing")
        #expect(renderError(values, Fields(object: JSONObject(["badge": 1, "a": 1]))) == "template field 'b' is missing")
    }

    @Test func dottedNamesReachIntoJSONLObjects() throws {
        let template = try PayloadTemplate(text: #"{"t":"{{user.name}}","n":{{user.stats.count}}}"#)
        let fields = Fields(object: JSONObject(["user": ["name": "Zoë", "stats": ["count": 12]]]))
        #expect(try renderText(template, fields) == #"{"t":"Zoë","n":12}"#)
        let exact = Fields(object: JSONObject(["user.name": "flat", "user": ["name": "nested", "stats": ["count": 1]]]))
        #expect(try renderText(template, exact) == #"{"t":"flat","n":1}"#)
        #expect(renderError(template, csv(["user": "x"])) == "template field 'user.name' is missing")
    }

    @Test func renderAppendsIntoAReusedBuffer() throws {
        var buffer: [UInt8] = []
        try alert.render(csv(["name": "A", "body": "1"]), into: &buffer)
        let first = buffer.count
        buffer.removeAll(keepingCapacity: true)
        try alert.render(csv(["name": "B", "body": "2"]), into: &buffer)
        #expect(buffer.count == first)
        #expect(String(decoding: buffer, as: UTF8.self) == #"{"aps":{"alert":{"title":"Hi B","body":"2"}}}"#)
    }

    @Test("a CSV row read by column position renders exactly as by name, worst-case escaping included")
    func columnPathMatchesNamePath() throws {
        let worst = String(repeating: "\u{1}", count: 300)   // 6 bytes out per byte in: the bound's worst case
        for (name, body) in [("A", "1"), (worst, "\"\\\n"), ("", ""), ("é 中 😀", worst)] {
            let fields = csv(["body": body, "extra": "x", "name": name])
            var slots = FieldSlots(names: alert.fieldNames)
            let byColumn = try alert.render(slots.reader(for: fields), firstSlot: 0)
            #expect(byColumn == (try alert.render(fields)))
            let object = try #require(try JSONParser.parse(byColumn).objectValue)
            #expect(object["aps"] == ["alert": ["title": .string("Hi " + name), "body": .string(body)]])
        }
        var slots = FieldSlots(names: values.fieldNames)
        #expect(throws: RowError.self) { try values.render(slots.reader(for: csv(["badge": "x", "a": "1", "b": "2"])), firstSlot: 0) }
        var missing = FieldSlots(names: alert.fieldNames)
        #expect(throws: RowError.self) { try alert.render(missing.reader(for: csv(["name": "x"])), firstSlot: 0) }
    }

    @Test("a payload array given back is rendered into again: its old bytes gone, its storage kept")
    func renderReusesGivenBuffers() throws {
        let template = try PayloadTemplate(text: #"{"t":"{{name}}"}"#)
        var slots = FieldSlots(names: template.fieldNames)
        var old = Array(repeating: UInt8(ascii: "x"), count: 500)
        old.reserveCapacity(1000)
        let storage = old.withUnsafeBufferPointer { $0.baseAddress }
        var given = [old]
        old = []
        template.buffers.give(&given)
        #expect(given.isEmpty && template.buffers.count == 1)
        let payload = try template.render(slots.reader(for: csv(["name": "Ann"])), firstSlot: 0)
        #expect(String(decoding: payload, as: UTF8.self) == #"{"t":"Ann"}"#)
        #expect(payload.withUnsafeBufferPointer { $0.baseAddress } == storage, "the given array's storage")
        #expect(template.buffers.count == 0)
        let fresh = try template.render(slots.reader(for: csv(["name": "Bo"])), firstSlot: 0)
        #expect(String(decoding: fresh, as: UTF8.self) == #"{"t":"Bo"}"#, "none left: a new array")
    }

    @Test("spare payload arrays are bounded in number and size")
    func buffersAreBounded() {
        let buffers = PayloadBuffers(limit: 3)
        var big = [UInt8]()
        big.reserveCapacity(PayloadBuffers.largestCapacity + 1)
        var given: [[UInt8]] = [[1], [2], [3], [4], big]   // given back last first: the big one comes first
        buffers.give(&given)
        #expect(given.isEmpty)
        #expect(buffers.count == 3, "at most the limit")
        var taken: [[UInt8]] = []
        while let buffer = buffers.take() { taken.append(buffer) }
        #expect(!taken.contains { $0.capacity > PayloadBuffers.largestCapacity }, "large arrays are dropped")
        #expect(buffers.take() == nil)
    }
}
