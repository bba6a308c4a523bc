import Testing
@testable import PushCore

@Suite struct InputFormatDetectionTests {
    @Test(arguments: [
        ("tokens.csv", InputFormat.csv),
        ("TOKENS.CSV", .csv),
        ("dir.v2/tokens.csv.gz", .csv),
        ("rows.jsonl", .jsonl),
        ("rows.ndjson", .jsonl),
        ("rows.json", .jsonl),
        ("rows.jsonl.GZ", .jsonl),
    ] as [(String, InputFormat)])
    func knownExtensions(path: String, format: InputFormat) {
        #expect(InputFormat(path: path) == format)
    }

    @Test(arguments: ["-", "tokens", "tokens.txt", "tokens.gz", "dir.csv/tokens", ".csv.bak"])
    func unknownExtensions(path: String) {
        #expect(InputFormat(path: path) == nil)
    }

    @Test func firstByteDetection() {
        #expect(InputFormat.detect(firstByte: UInt8(ascii: "{")) == .jsonl)
        #expect(InputFormat.detect(firstByte: UInt8(ascii: "t")) == .csv)
        #expect(InputFormat.detect(firstByte: UInt8(ascii: "[")) == .csv)
        #expect(InputFormat.detect(firstByte: nil) == .csv)
    }
}

@Suite struct DeviceListReaderTests {
    @Test func tokensBecomeRecordsNumberedByPosition() throws {
        var reader = DeviceListReader(tokens: ["AA", "bb", ""], tokenField: "device")
        let records = try readAllRecords(&reader)
        #expect(records.map(\.line) == [1, 2, 3])
        #expect(records.map { $0.fields?.value(named: "device") } == [.text("AA"), .text("bb"), .text("")])
        #expect(records.first?.fields?.names == ["device"])
    }
}
