import FuzzSupport
@testable import PushCore

// The bytes as one JSON document (the parser alone, then written back and parsed again: the writer's output must
// parse to the same value), and as a JSONL input read row by row.
runFuzzer { data, size in
    let bytes = fuzzBytes(data, size)
    if let value = try? JSONParser.parse(bytes) {
        let written = JSONWriter.serialize(value)
        guard let again = try? JSONParser.parse(written), again == value else {
            fatalError("the JSON writer's output does not parse back to the same value")
        }
    }
    let chunk = 1 + Int(bytes.first ?? 0) % 64
    guard var reader = try? JSONLReader(source: BufferByteSource(bytes, chunkSize: chunk), name: "fuzz.jsonl",
                                        maxLineBytes: 4096) else { return 0 }
    while let record = try? reader.next() {
        if case .fields(let fields) = record.content { _ = fields.value(named: "token") }
    }
    return 0
}
