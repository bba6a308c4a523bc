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

@Suite("ByteCursor: numbers and cached timestamps")
struct ByteCursorNumberTests {
    @Test("timestamps written through the minute cache equal the plain ones, across minutes, days and 1970")
    func cachedTimestamps() {
        let scratch = ByteScratch()
        let starts: [Int64] = [0, -1, -60_001, 1_795_706_319_123, 1_795_708_799_990, 951_782_399_999, 253_402_300_799_000]
        for start in starts {
            for step in stride(from: Int64(0), through: 130_000, by: 997) {
                let ms = start + step
                var cached: [UInt8] = [], plain: [UInt8] = []
                ByteCursor.append(to: &cached, atMost: 64) { RFC3339.write(epochMilliseconds: ms, to: &$0, cache: &scratch.minuteCache) }
                RFC3339.append(epochMilliseconds: ms, to: &plain)
                #expect(cached == plain, "\(ms)")
            }
        }
    }

    @Test("digits pad to the width and print every size of number", arguments: [
        (UInt64(0), 1, "0"), (7, 3, "007"), (10, 1, "10"), (99, 2, "99"), (100, 2, "100"), (1_000_000, 1, "1000000"),
        (UInt64.max, 1, "18446744073709551615"), (42, 0, "42"),
    ] as [(UInt64, Int, String)])
    func digits(value: UInt64, width: Int, text: String) {
        var bytes: [UInt8] = []
        ByteCursor.append(to: &bytes, atMost: 32) { $0.digits(value, width: width) }
        #expect(String(decoding: bytes, as: UTF8.self) == text)
    }
}
