import Testing
@testable import PushCore

@Suite struct CSVReaderChunkingTests {
    static let awkward: [UInt8] = [0xEF, 0xBB, 0xBF] + Array((
        "token , name,note\r\n" +
        "\r\n" +
        "aa,\"Smith, \"\"J\"\"\",\"multi\r\nline\nnote\"\r\n" +
        "bb,\"x\",\n" +
        "cc,ragged\n" +
        "dd,\"bare\"quote,z\n" +
        "ee,é ü 中 😀,\"\"\n" +
        "\n" +
        "ff,\"unterminated,\n"
    ).utf8)

    @Test(arguments: [1, 2, 3, 5, 13, 64])
    func smallChunksGiveTheSameRecordsAsOneChunk(chunk: Int) throws {
        let whole = try csvSummaries(CSVReaderChunkingTests.awkward)
        let pieces = try csvSummaries(CSVReaderChunkingTests.awkward, chunk: chunk)
        #expect(pieces.columns == whole.columns)
        #expect(pieces.records == whole.records)
    }

    @Test func awkwardInputRecords() throws {
        let (columns, records) = try csvSummaries(CSVReaderChunkingTests.awkward, chunk: 1)
        #expect(columns == ["token", "name", "note"])
        #expect(records == [
            .row(3, ["aa", "Smith, \"J\"", "multi\r\nline\nnote"]),
            .row(6, ["bb", "x", ""]),
            .malformed(7, "expected 3 fields, found 2"),
            .malformed(8, "field 2 ('name'): unexpected text after the closing quote (expected ',' or the end of the line)"),
            .row(9, ["ee", "é ü 中 😀", ""]),
            .malformed(11, "unterminated quoted field (the quote opened on line 11 is never closed)"),
        ])
    }
}
