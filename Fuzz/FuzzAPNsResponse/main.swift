import FuzzSupport
@testable import PushCore

// The bytes as one stream's answer, fed to the client's answer handling the way the nghttp2 callbacks do, then
// turned into a report row. Text, so that mutations stay meaningful: header lines `name: value` up to an empty
// line, then the body, delivered as two DATA frames split where the first byte says.
//
// This is a thin adapter over the answer parsing entry points (`APNsResponse.header`, `.data`, `.reportRow`):
// if the engine's answer handling moves, only `feed` changes.
let notification = PushNotification(line: 1, token: "ab12", payload: Array(#"{"aps":{}}"#.utf8))

func feed(_ bytes: [UInt8]) -> ReportRow {
    var response = APNsResponse()
    var rest = bytes.dropFirst()
    while let newline = rest.firstIndex(of: 0x0A) {
        let line = rest[rest.startIndex..<newline]
        rest = rest[(newline + 1)...]
        if line.isEmpty { break }
        let colon = line.firstIndex(of: UInt8(ascii: ":"), after: line.startIndex) ?? line.endIndex
        let name = Array(line[..<colon])
        var value = Array(line[min(colon + 1, line.endIndex)...])
        if value.first == 0x20 { value.removeFirst() }
        name.withUnsafeBufferPointer { n in value.withUnsafeBufferPointer { v in response.header(name: n, value: v) } }
    }
    let body = Array(rest)
    let split = body.isEmpty ? 0 : Int(bytes.first ?? 0) % (body.count + 1)
    body[..<split].withUnsafeBufferPointer { response.data($0) }
    body[split...].withUnsafeBufferPointer { response.data($0) }
    return response.reportRow(for: notification, attempts: 1, latencyMs: 1, finishedAtMs: 0)
}

extension ArraySlice where Element == UInt8 {
    /// The first `byte` after `start` (a pseudo-header's name starts with a colon: `:status`).
    func firstIndex(of byte: UInt8, after start: Index) -> Index? {
        guard start < endIndex else { return nil }
        return self[index(after: start)...].firstIndex(of: byte)
    }
}

runFuzzer { data, size in
    _ = feed(fuzzBytes(data, size))
    return 0
}
