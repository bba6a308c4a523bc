import Testing
@testable import PushCore

@Suite struct CSVReaderLinesTests {
    @Test func crlfLineEndsAreRemoved() throws {
        let (columns, records) = try csvSummaries("token,name\r\naa,Ann\r\nbb,\"Bob\"\r\n")
        #expect(columns == ["token", "name"])
        #expect(records == [.row(2, ["aa", "Ann"]), .row(3, ["bb", "Bob"])])
    }

    @Test func byteOrderMarkIsSkipped() throws {
        let (columns, records) = try csvSummaries([0xEF, 0xBB, 0xBF] + Array("token\naa\n".utf8))
        #expect(columns == ["token"])
        #expect(records == [.row(2, ["aa"])])
    }

    @Test func byteOrderMarkOnlyAtTheStart() throws {
        let (_, records) = try csvSummaries(Array("token\n".utf8) + [0xEF, 0xBB, 0xBF] + Array("aa\n".utf8))
        #expect(records == [.row(2, ["\u{FEFF}aa"])])
    }

    @Test func emptyAndBlankLinesAreSkippedButCounted() throws {
        let text = "\n\r\ntoken,name\n\naa,Ann\n   \n\r\n\t\nbb,Bob\n\n"
        let (columns, records) = try csvSummaries(text)
        #expect(columns == ["token", "name"])
        #expect(records == [.row(5, ["aa", "Ann"]), .row(9, ["bb", "Bob"])])
    }

    @Test func quotedEmptyLineIsARecord() throws {
        let (_, records) = try csvSummaries("token\n\"\"\naa\n")
        #expect(records == [.row(2, [""]), .row(3, ["aa"])])
    }

    @Test func lastLineWithoutLineEnd() throws {
        let (_, records) = try csvSummaries("token,n\naa,1\nbb,2")
        #expect(records == [.row(2, ["aa", "1"]), .row(3, ["bb", "2"])])
        let (_, crOnly) = try csvSummaries("token,n\naa,1\r")
        #expect(crOnly == [.row(2, ["aa", "1"])])
    }

    @Test func headerOnlyGivesNoRecords() throws {
        let (columns, records) = try csvSummaries("token,name\n")
        #expect(columns == ["token", "name"])
        #expect(records.isEmpty)
    }
}
