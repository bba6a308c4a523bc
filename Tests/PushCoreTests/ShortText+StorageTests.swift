import Testing
@testable import PushCore

@Suite("ShortText keeps short header text inline")
struct ShortTextStorageTests {
    private func text(_ bytes: [UInt8]) -> ShortText {
        bytes.withUnsafeBufferPointer { ShortText($0) }
    }

    @Test("an apns-id round-trips through bytes and String, with equal values either way")
    func uuidRoundTrip() {
        let id = "df26e368-1b88-46a8-a004-542e6205bd05"
        let fromBytes = text(Array(id.utf8))
        #expect(fromBytes.description == id)
        #expect(fromBytes.utf8Count == 36)
        #expect(fromBytes == ShortText(id))
        #expect(fromBytes != ShortText("df26e368-1b88-46a8-a004-542e6205bd06"))
        #expect(fromBytes.withUTF8 { Array($0) } == Array(id.utf8))
    }

    @Test("texts up to the inline capacity and past it keep every byte", arguments: [0, 1, 39, 40, 41, 200])
    func everyLength(count: Int) {
        let value = String((0..<count).map { Character(UnicodeScalar(UInt8(65 + $0 % 26))) })
        let short = text(Array(value.utf8))
        #expect(short.description == value)
        #expect(short.utf8Count == count)
        #expect(short == ShortText(value), "one representation per text: bytes and String give equal values")
    }

    @Test("invalid UTF-8 is repaired as String(decoding:) does; multi-byte text stays exact")
    func nonASCII() {
        let invalid: [UInt8] = [0x61, 0xFF, 0x62]
        #expect(text(invalid).description == String(decoding: invalid, as: UTF8.self))
        #expect(text(invalid) == ShortText(String(decoding: invalid, as: UTF8.self)))
        let accented = "café-ü"
        #expect(text(Array(accented.utf8)).description == accented)
        #expect(text(Array(accented.utf8)) == ShortText(accented))
    }

    @Test("a response header reaches the report row and the JSON line unchanged")
    func responseToReport() {
        var response = APNsResponse()
        response.header(":status", "200")
        response.header("apns-id", "AAAAAAAA-1B88-46A8-A004-542E6205BD05")
        response.header("apns-unique-id", "8a8c6bf8-37ba-4660-885e-320a1a98cbc3")
        let row = response.reportRow(for: PushNotification(line: 7, token: "ab", payload: []), outcome: .delivered,
                                     status: 200, reason: nil, unregisteredAt: nil, attempts: 1,
                                     latencyMs: 1.5, finishedAtMs: 0)
        #expect(row.apnsID == "AAAAAAAA-1B88-46A8-A004-542E6205BD05")
        #expect(row.apnsUniqueID == "8a8c6bf8-37ba-4660-885e-320a1a98cbc3")
        var line: [UInt8] = []
        ReportRowEncoding.appendJSONLine(row, to: &line)
        let json = String(decoding: line, as: UTF8.self)
        #expect(json.contains(#""apns_id":"AAAAAAAA-1B88-46A8-A004-542E6205BD05","apns_unique_id":"8a8c6bf8-37ba-4660-885e-320a1a98cbc3""#))
    }
}
