import Testing
@testable import PushCore

@Suite("ByteCursor: finding the bytes JSON must escape, eight at a time")
struct ByteCursorEscapeTests {
    /// The answer of a plain byte-by-byte scan.
    private func expected(_ bytes: [UInt8], from start: Int) -> Int {
        bytes[start...].firstIndex { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") } ?? bytes.count
    }

    @Test("each escapable byte is found at every position of a 21-byte text, and from every start",
          arguments: [0x00, 0x01, 0x0A, 0x1F, UInt8(ascii: "\""), UInt8(ascii: "\\")] as [UInt8])
    func everyPosition(special: UInt8) {
        for position in 0..<21 {
            var bytes = Array("0123456789abcdef01234".utf8)
            bytes[position] = special
            for start in 0...bytes.count {
                let found = bytes.withUnsafeBufferPointer { ByteCursor.firstJSONEscape(in: $0, from: start) }
                #expect(found == expected(bytes, from: start), "byte \(special) at \(position), from \(start)")
            }
        }
    }

    @Test("bytes that need no escape are never reported: neighbours of the special ones and UTF-8 above 0x7F")
    func nothingToEscape() {
        let bytes: [UInt8] = [0x20, 0x21, 0x23, 0x5B, 0x5D, 0x7F, 0x80, 0xC3, 0xA9, 0xF0, 0x9F, 0x98, 0x80, 0xFF, 0x41, 0x20, 0x7E]
        let found = bytes.withUnsafeBufferPointer { ByteCursor.firstJSONEscape(in: $0, from: 0) }
        #expect(found == bytes.count)
    }

    @Test("a row with long escaped text fits its scratch space and round-trips")
    func longEscapedReason() {
        let reason = String(repeating: "\"\\\u{01}\n", count: 300)
        var row = ReportRow(line: 1, token: String(repeating: "\"", count: 100), outcome: .invalid, reason: reason,
                            finishedAtMs: 0)
        row.kept = [.text(String(repeating: "\u{02}", count: 50))]
        var bytes: [UInt8] = []
        let scratch = ByteScratch(capacity: 16)
        ReportRowEncoding.appendJSONLine(row, kept: ["note\u{03}"], to: &bytes, scratch: scratch)
        let decoded = try? JSONParser.parse(Array(bytes.dropLast()))
        #expect(decoded?.objectValue?["reason"]?.stringValue == reason)
        #expect(decoded?.objectValue?["token"]?.stringValue == row.token)
        #expect(decoded?.objectValue?["note\u{03}"]?.stringValue == String(repeating: "\u{02}", count: 50))
    }
}
