import Testing
@testable import PushCore

/// Plain rows (a whole buffered ASCII line without quotes) are read straight from the input buffer; every other
/// row goes through the scanner. Read whole (plain rows take the direct path) and one byte at a time (no line is
/// ever buffered whole when its row starts: every row goes through the scanner), the records must be the same.
@Suite struct CSVReaderPlainRowTests {
    static let mixed = Array((
        "token,name,note\n" +
        "aa,plain,row\r\n" +
        "bb, spaced , \t\n" +
        "   \n" +
        "cc,,\n" +
        ",,\n" +
        "dd,cr\rinside,x\n" +
        "ee,too,many,fields\n" +
        "ff,few\n" +
        "gg,\"quoted\",x\n" +
        "hh,é,x\n" +
        "\r\n" +
        "ii,last,row"
    ).utf8)

    @Test func directAndScannedReadsAgree() throws {
        let whole = try csvSummaries(Self.mixed)
        let bytewise = try csvSummaries(Self.mixed, chunk: 1)
        #expect(whole.records == bytewise.records)
        #expect(whole.records == [
            .row(2, ["aa", "plain", "row"]),
            .row(3, ["bb", " spaced ", " \t"]),
            .row(5, ["cc", "", ""]),
            .row(6, ["", "", ""]),
            .row(7, ["dd", "cr\rinside", "x"]),
            .malformed(8, "expected 3 fields, found 4"),
            .malformed(9, "expected 3 fields, found 2"),
            .row(10, ["gg", "quoted", "x"]),
            .row(11, ["hh", "é", "x"]),
            .row(13, ["ii", "last", "row"]),
        ])
    }

    @Test(arguments: [9, 10, 11])
    func theLineLimitHoldsOnBothPaths(limit: Int) throws {
        let input = Array("t,n\nabcd,efghi\nabcd,efgh\r\n".utf8)   // rows of 10 and 9 bytes (CR not counted)
        let whole = try csvSummaries(input, maxLineBytes: limit)
        #expect(whole.records == (try csvSummaries(input, chunk: 1, maxLineBytes: limit)).records)
        let tooLong = RecordSummary.malformed(2, "row is longer than the \(limit)-byte line limit")
        #expect(whole.records.first == (limit < 10 ? tooLong : .row(2, ["abcd", "efghi"])))
        #expect(whole.records.last == .row(3, ["abcd", "efgh"]))
    }
}
