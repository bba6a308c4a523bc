import Testing
@testable import PushCore

@Suite struct CSVReaderMalformedTests {
    @Test func raggedRowsAreMalformedAndReadingContinues() throws {
        let (_, records) = try csvSummaries("token,name,badge\naa,Ann,1,extra\nbb,Bob\ncc,Cy,3\n")
        #expect(records == [
            .malformed(2, "expected 3 fields, found 4"),
            .malformed(3, "expected 3 fields, found 2"),
            .row(4, ["cc", "Cy", "3"]),
        ])
    }

    @Test func singleColumnRaggedMessageIsSingular() throws {
        let (_, records) = try csvSummaries("token\naa,bb\n")
        #expect(records == [.malformed(2, "expected 1 field, found 2")])
    }

    @Test func unterminatedQuoteAtEndOfInput() throws {
        let (_, records) = try csvSummaries("token,name\naa,ok\nbb,\"never closed\ncc,more\n")
        #expect(records == [
            .row(2, ["aa", "ok"]),
            .malformed(3, "unterminated quoted field (the quote opened on line 3 is never closed)"),
        ])
    }

    @Test func invalidUTF8IsMalformed() throws {
        let bytes = Array("token,name\naa,".utf8) + [0xC3, 0x28] + Array("\nbb,ok\n".utf8)
        let (_, records) = try csvSummaries(bytes)
        #expect(records == [.malformed(2, "invalid UTF-8 in field 2 ('name')"), .row(3, ["bb", "ok"])])
    }

    @Test("Cells are checked one by one: ASCII, valid non-ASCII and invalid bytes in the same row and header")
    func utf8CheckedPerCell() throws {
        let bytes = Array("token,nämé\naa,café 中\nbb,".utf8) + [0x61, 0xFF] + Array("\n".utf8)
            + Array("cc,".utf8) + [0xE4, 0xB8] + Array("\n\"dd\",\"\"\"😀\"\"\"\n".utf8)
        let (columns, records) = try csvSummaries(bytes)
        #expect(columns == ["token", "nämé"])
        #expect(records == [
            .row(2, ["aa", "café 中"]),
            .malformed(3, "invalid UTF-8 in field 2 ('nämé')"),
            .malformed(4, "invalid UTF-8 in field 2 ('nämé')"),
            .row(5, ["dd", "\"😀\""]),
        ])
        let header = Array("token,".utf8) + [0x80] + Array("\naa,b\n".utf8)
        #expect(throws: InputError("test.csv: line 1: the header row has invalid UTF-8 in field 2", kind: .unusable)) {
            try csvSummaries(header)
        }
    }

    @Test func overlongLineIsMalformedAndReadingResumesAfterIt() throws {
        let long = String(repeating: "x", count: 5000)
        let text = "token,name\naa,short\nbb,\(long)\ncc,after\ndd,\"quoted\n\(long)\"\nee,last\n"
        for chunk in [1, 7, 1000, 65536] {
            let (_, records) = try csvSummaries(text, chunk: chunk, maxLineBytes: 100)
            #expect(records == [
                .row(2, ["aa", "short"]),
                .malformed(3, "row is longer than the 100-byte line limit"),
                .row(4, ["cc", "after"]),
                .malformed(5, "row is longer than the 100-byte line limit"),
                .row(7, ["ee", "last"]),
            ], "chunk \(chunk)")
        }
    }

    @Test func lineAtExactlyTheLimitIsAccepted() throws {
        let value = String(repeating: "y", count: 97)   // "aa," + 97 = 100 bytes
        let (_, records) = try csvSummaries("token,v\naa,\(value)\r\n", maxLineBytes: 100)
        #expect(records == [.row(2, ["aa", value])])
        let (_, over) = try csvSummaries("token,v\naa,\(value)z\n", maxLineBytes: 100)
        #expect(over == [.malformed(2, "row is longer than the 100-byte line limit")])
    }

    @Test func hugeLineKeepsMemoryBounded() throws {
        // A 10 MB line with a 1 MiB limit: the scanner must not keep the whole line.
        let huge = [UInt8](repeating: UInt8(ascii: "z"), count: 10_000_000)
        let bytes = Array("token,v\n".utf8) + Array("aa,".utf8) + huge + Array("\nbb,ok\n".utf8)
        var reader = try CSVReader(source: BufferByteSource(bytes), name: "big.csv")
        let first = try #require(try reader.next())
        #expect(summarize(first) == .malformed(2, "row is longer than the 1048576-byte line limit"))
        let second = try #require(try reader.next())
        #expect(summarize(second) == .row(3, ["bb", "ok"]))
        #expect(try reader.next().map(summarize) == nil)
    }

    @Test func emptyInputIsFatal() {
        for text in ["", "\n\n", "\u{FEFF}"] {
            #expect(throws: InputError("test.csv: the input is empty; expected a header row naming the fields (e.g. token,name)", kind: .unusable)) {
                _ = try csvSummaries(text)
            }
        }
    }

    @Test func duplicateHeaderNameIsFatal() {
        #expect(throws: InputError("test.csv: line 1: the header row names field 'token' twice", kind: .unusable)) {
            _ = try csvSummaries("token, token\naa,bb\n")
        }
    }

    @Test func brokenHeaderIsFatal() {
        #expect(throws: InputError("test.csv: line 2: cannot read the header row: unterminated quoted field (the quote opened on line 2 is never closed)", kind: .unusable)) {
            _ = try csvSummaries("\ntoken,\"name\n")
        }
    }
}
