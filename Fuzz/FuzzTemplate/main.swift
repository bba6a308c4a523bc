import FuzzSupport
@testable import PushCore

// The bytes as a payload template; a template that compiles is rendered with a row whose values are made from the
// input too (text, numbers, quotes, backslashes), and every rendered payload must be valid JSON.
let values = ["Ada", "3", "-0.5e3", "true", "null", "\"quoted\" \\ back", "line\nbreak", "{}", ""]
runFuzzer { data, size in
    let bytes = fuzzBytes(data, size)
    guard let template = try? PayloadTemplate(bytes: bytes, name: "fuzz.json") else { return 0 }
    let names = template.fieldNames
    var pick = Int(bytes.last ?? 0)
    let row = Fields(columns: names, values: names.map { _ in
        pick = pick &* 31 &+ 7
        return values[abs(pick % values.count)]
    })
    if let payload = try? template.render(row) {
        guard (try? JSONParser.parse(payload)) != nil else { fatalError("a rendered payload is not JSON") }
    }
    return 0
}
