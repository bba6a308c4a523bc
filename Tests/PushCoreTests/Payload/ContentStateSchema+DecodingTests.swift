import Testing
@testable import PushCore

@Suite("Content-state schema: a content-state the app could not decode is refused")
struct ContentStateSchemaDecodingTests {
    let schema: ContentStateSchema

    init() throws {
        schema = try ContentStateSchema(json: Array(#"{"score":"integer","team":"string","odds":"number","live":"boolean","#
            .utf8) + Array(#""events":"array","clock":"object","note":"string?"}"#.utf8), name: "s.json")
    }

    func problem(_ state: String) throws -> String? {
        guard case .object(let object) = try JSONParser.parse(state) else { return "not an object" }
        do {
            try schema.check(object, label: "cs")
            return nil
        } catch {
            return error.message
        }
    }

    @Test("Every type, an optional key missing or null, extra keys ignored")
    func accepted() throws {
        let base = #""score":2,"team":"A","odds":1.5,"live":true,"events":[],"clock":{}"#
        #expect(try problem("{\(base)}") == nil)
        #expect(try problem("{\(base),\"note\":null,\"extra\":[1]}") == nil)
        #expect(try problem("{\(base),\"note\":\"late goal\"}") == nil)
        #expect(schema.fields.count == 7)
        #expect(schema.fields.last == ContentStateSchema.Field(key: "note", type: .string, optional: true))
    }

    @Test("A missing key, a null, a string for a number, a fraction for an integer")
    func refused() throws {
        #expect(try problem(#"{"team":"A","odds":1,"live":true,"events":[],"clock":{}}"#)
            == "cs: key 'score' is missing; the app's ContentState needs an integer")
        #expect(try problem(#"{"score":null,"team":"A","odds":1,"live":true,"events":[],"clock":{}}"#)
            == "cs: key 'score' is null; the app's ContentState needs an integer")
        #expect(try problem(#"{"score":"2","team":"A","odds":1,"live":true,"events":[],"clock":{}}"#)
            == "cs: key 'score' is a string ('\"2\"'); the app's ContentState decodes an integer")
        #expect(try problem(#"{"score":2.5,"team":"A","odds":1,"live":true,"events":[],"clock":{}}"#)
            == "cs: key 'score' is a number ('2.5'); the app's ContentState decodes an integer")
        #expect(try problem(#"{"score":2,"team":"A","odds":1,"live":1,"events":[],"clock":{}}"#)
            == "cs: key 'live' is a number ('1'); the app's ContentState decodes a boolean")
    }

    @Test("A schema file that is not an object of known types")
    func badFiles() {
        #expect(throws: InputError("s.json: key 'a': 'text' is not a type (string, number, integer, boolean, object, array, '?' at the end if optional)")) {
            try ContentStateSchema(json: Array(#"{"a":"text"}"#.utf8), name: "s.json")
        }
        #expect(throws: InputError.self) { try ContentStateSchema(json: Array("[]".utf8), name: "s.json") }
        #expect(throws: InputError.self) { try ContentStateSchema(json: Array(#"{"a":1}"#.utf8), name: "s.json") }
    }
}
