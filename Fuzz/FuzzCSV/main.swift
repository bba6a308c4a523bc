import FuzzSupport
@testable import PushCore

// The bytes as a CSV input, served in chunks whose size the first byte picks (so the scanner's chunk
// boundaries are fuzzed too); every record is read and its fields looked up by slot.
runFuzzer { data, size in
    let bytes = fuzzBytes(data, size)
    let chunk = 1 + Int(bytes.first ?? 0) % 64
    guard var reader = try? CSVReader(source: BufferByteSource(bytes, chunkSize: chunk), name: "fuzz.csv",
                                      maxLineBytes: 4096) else { return 0 }
    var slots = FieldSlots(names: ["token", "name", "badge"])
    while let record = try? reader.next() {
        if case .fields(let fields) = record.content {
            let row = slots.reader(for: fields)
            for slot in 0..<3 { _ = row.value(slot) }
        }
    }
    return 0
}
