import Testing
@testable import PushCore

@Suite struct CSVReaderQuotingTests {
    @Test func plainRowsInHeaderOrder() throws {
        let (columns, records) = try csvSummaries("token,name,badge\naa,Ann,1\nbb,Bob,2\n")
        #expect(columns == ["token", "name", "badge"])
        #expect(records == [.row(2, ["aa", "Ann", "1"]), .row(3, ["bb", "Bob", "2"])])
    }

    @Test func quotedFieldsWithCommasAndDoubledQuotes() throws {
        let text = "token,name\n\"aa\",\"Smith, John\"\nbb,\"say \"\"hi\"\"\"\ncc,\"\"\ndd,\"\"\"\"\n"
        let (_, records) = try csvSummaries(text)
        #expect(records == [
            .row(2, ["aa", "Smith, John"]),
            .row(3, ["bb", "say \"hi\""]),
            .row(4, ["cc", ""]),
            .row(5, ["dd", "\""]),
        ])
    }

    @Test func embeddedNewlinesKeepTheStartLineAndLaterLinesStayRight() throws {
        let text = "token,body\naa,\"line one\nline two\nline three\"\nbb,plain\ncc,\"x\r\ny\"\r\ndd,end\n"
        let (_, records) = try csvSummaries(text)
        #expect(records == [
            .row(2, ["aa", "line one\nline two\nline three"]),
            .row(5, ["bb", "plain"]),
            .row(6, ["cc", "x\r\ny"]),
            .row(8, ["dd", "end"]),
        ])
    }

    @Test func emptyFieldsAndTrailingEmptyField() throws {
        let (_, records) = try csvSummaries("a,b,c\n,,\n1,,\n,,3")
        #expect(records == [.row(2, ["", "", ""]), .row(3, ["1", "", ""]), .row(4, ["", "", "3"])])
    }

    @Test func spacesInsideCellsAreKeptButHeaderNamesAreTrimmed() throws {
        let (columns, records) = try csvSummaries(" token , name\t\n aa ,  Ann\n")
        #expect(columns == ["token", "name"])
        #expect(records == [.row(2, [" aa ", "  Ann"])])
    }

    @Test func bareQuoteInUnquotedFieldIsMalformedAndReadingContinues() throws {
        let (_, records) = try csvSummaries("token,name\naa,5\" screen\nbb,ok\n")
        #expect(records == [
            .malformed(2, "field 2 ('name'): '\"' inside an unquoted field (quote the whole field and double the quotes inside it)"),
            .row(3, ["bb", "ok"]),
        ])
    }

    @Test func textAfterClosingQuoteIsMalformed() throws {
        let (_, records) = try csvSummaries("token,name\n\"aa\"x,n\nbb,\"q\"\r\ncc,\"q\"\rz\n")
        #expect(records == [
            .malformed(2, "field 1 ('token'): unexpected text after the closing quote (expected ',' or the end of the line)"),
            .row(3, ["bb", "q"]),
            .malformed(4, "field 2 ('name'): unexpected text after the closing quote (expected ',' or the end of the line)"),
        ])
    }

    @Test func quotedHeaderNames() throws {
        let (columns, records) = try csvSummaries("\"token\",\"first, last\"\naa,x\n")
        #expect(columns == ["token", "first, last"])
        #expect(records == [.row(2, ["aa", "x"])])
    }
}
