import FuzzSupport
@testable import PushCore

// The bytes as one stream's answer, fed to the client's answer handling the way the nghttp2 callbacks do, then
// turned into a report row. Text, so that mutations stay meaningful: header lines `name: value` up to an empty
// line, then the body, delivered as two DATA frames split where the first byte says.
//
// The adapter feeds the connection state machine, the client's real answer handling (header, data and
// stream-close events, then settling), so a value from the server that traps anywhere on that path is found.
let notification = PushNotification(line: 1, token: "ab12", payload: Array(#"{"aps":{}}"#.utf8))

func feed(_ bytes: [UInt8]) -> Int {
    var machine = ConnectionStateMachine(configuration: .init(
        streamCap: 4, requestTimeoutNs: 5_000_000_000, settingsTimeoutNs: 10_000_000_000,
        pingAfterNs: 60_000_000_000, retryPolicy: RetryPolicy(maxRetries: 1, baseDelayMs: 1000)), now: 0, seed: 1)
    _ = machine.settingsReceived(maxConcurrentStreams: 4, now: 0)
    let tag = machine.reserveTag()
    machine.submitted(Delivery(notification), stream: 1, tag: tag, now: 1)
    var rest = bytes.dropFirst()
    while let newline = rest.firstIndex(of: 0x0A) {
        let line = rest[rest.startIndex..<newline]
        rest = rest[(newline + 1)...]
        if line.isEmpty { break }
        let colon = line.firstIndex(of: UInt8(ascii: ":"), after: line.startIndex) ?? line.endIndex
        let name = Array(line[..<colon])
        var value = Array(line[min(colon + 1, line.endIndex)...])
        if value.first == 0x20 { value.removeFirst() }
        name.withUnsafeBufferPointer { n in value.withUnsafeBufferPointer { v in machine.header(tag: tag, name: n, value: v) } }
    }
    let body = Array(rest)
    let split = body.isEmpty ? 0 : Int(bytes.first ?? 0) % (body.count + 1)
    body[..<split].withUnsafeBufferPointer { machine.data(tag: tag, bytes: $0) }
    body[split...].withUnsafeBufferPointer { machine.data(tag: tag, bytes: $0) }
    machine.stamp(now: 2_000_000, wallMs: 42)
    _ = machine.streamClosed(tag: tag, errorCode: UInt32(bytes.first ?? 0) & 1 == 0 ? 0 : 8, refused: false)
    return machine.settled.count + machine.retries.count
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
