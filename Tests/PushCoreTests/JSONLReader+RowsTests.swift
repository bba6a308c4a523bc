import Testing
@testable import PushCore

@Suite struct JSONLReaderRowsTests {
    @Test func goodRowsWithLinesAndValues() throws {
        let text = """
        {"token":"aa","badge":3,"name":"Ann"}

        {"token":"bb","vip":true,"extra":null}\r
           \t
        {"token":"cc","nested":{"a":[1,2]}}
        """
        let records = try jsonlSummaries(text)
        #expect(records == [
            .row(1, ["\"aa\"", "3", "\"Ann\""]),
            .row(3, ["\"bb\"", "true", "null"]),
            .row(5, ["\"cc\"", #"{"a":[1,2]}"#]),
        ])
    }

    @Test func invalidJSONIsMalformedWithTheParserMessage() throws {
        let records = try jsonlSummaries("{\"token\":\"aa\"}\n{\"token\":\"bb\" \"x\":1}\n{\"token\":\"cc\"}\n")
        #expect(records == [
            .row(1, ["\"aa\""]),
            .malformed(2, #"expected ',' or '}', found '"' at column 15"#),
            .row(3, ["\"cc\""]),
        ])
    }

    @Test func nonObjectsAreMalformed() throws {
        let records = try jsonlSummaries("[1,2]\n\"text\"\n42\nnull\n")
        #expect(records == [
            .malformed(1, "expected a JSON object, found an array"),
            .malformed(2, "expected a JSON object, found a string"),
            .malformed(3, "expected a JSON object, found a number"),
            .malformed(4, "expected a JSON object, found null"),
        ])
    }

    @Test func lastLineWithoutLineFeedAndByteOrderMark() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("{\"a\":1}\n{\"a\":2}".utf8)
        #expect(try jsonlSummaries(bytes) == [.row(1, ["1"]), .row(2, ["2"])])
        #expect(try jsonlSummaries("") == [])
        #expect(try jsonlSummaries("\n\n  \n") == [])
    }

    @Test func payloadMemberKeepsItsOriginalBytes() throws {
        let line = #"{"token":"aa","payload": {"aps" : {"alert":"Hi \u00e9"}, "n": 1.50} ,"z":0}"#
        var reader = try JSONLReader(source: BufferByteSource(line), name: "p.jsonl")
        let fields = try #require(try reader.next()?.fields)
        let bytes = try #require(fields.payloadBytes)
        #expect(String(decoding: bytes, as: UTF8.self) == #"{"aps" : {"alert":"Hi \u00e9"}, "n": 1.50}"#)
        #expect(fields.value(named: "payload") == .json(["aps": ["alert": "Hi é"], "n": .number("1.50")]))
        #expect(fields.value(named: "payload.aps.alert") == .json("Hi é"))
        #expect(fields.value(named: "payload.missing") == nil)
        #expect(try reader.next().map(summarize) == nil)
    }

    @Test func rowWithoutPayloadHasNoPayloadBytes() throws {
        var reader = try JSONLReader(source: BufferByteSource(#"{"token":"aa"}"#), name: "p.jsonl")
        let fields = try #require(try reader.next()?.fields)
        #expect(fields.payloadBytes == nil)
        #expect(fields.isJSON)
    }

    @Test(arguments: [1, 3, 10, 100, 65536])
    func overlongLinesAreSkippedAtAnyChunkSize(chunk: Int) throws {
        let long = "{\"token\":\"" + String(repeating: "a", count: 3000) + "\"}"
        let text = "{\"n\":1}\n\(long)\n{\"n\":3}\n\(long)\r\n\(long)"
        let records = try jsonlSummaries(text, chunk: chunk, maxLineBytes: 200)
        #expect(records == [
            .row(1, ["1"]),
            .malformed(2, "line is longer than the 200-byte line limit"),
            .row(3, ["3"]),
            .malformed(4, "line is longer than the 200-byte line limit"),
            .malformed(5, "line is longer than the 200-byte line limit"),
        ])
    }

    @Test(arguments: [1, 7, 65536])
    func lineExactlyAtTheLimitWithCRLFIsAccepted(chunk: Int) throws {
        let line = "{\"v\":\"" + String(repeating: "b", count: 92) + "\"}"   // 100 bytes
        #expect(line.utf8.count == 100)
        let records = try jsonlSummaries(line + "\r\n" + line + "x\n", chunk: chunk, maxLineBytes: 100)
        #expect(records.count == 2)
        #expect(records.first == .row(1, ["\"" + String(repeating: "b", count: 92) + "\""]))
        #expect(records.last == .malformed(2, "line is longer than the 100-byte line limit"))
    }

    @Test func hugeLineIsSkippedAndReadingResumes() throws {
        let huge = Array("{\"token\":\"".utf8) + [UInt8](repeating: UInt8(ascii: "f"), count: 10_000_000) + Array("\"}\n".utf8)
        let bytes = huge + Array("{\"token\":\"ok\"}\n".utf8)
        var reader = try JSONLReader(source: BufferByteSource(bytes), name: "big.jsonl")
        #expect(summarize(try #require(try reader.next())) == .malformed(1, "line is longer than the 1048576-byte line limit"))
        #expect(summarize(try #require(try reader.next())) == .row(2, ["\"ok\""]))
        #expect(try reader.next().map(summarize) == nil)
    }

    @Test(arguments: [1, 2, 5, 64])
    func chunkBoundariesDoNotChangeTheRecords(chunk: Int) throws {
        let text = "\u{FEFF}{\"t\":\"é😀\",\"p\":{\"a\":[1,{\"b\":\"x\\ny\"}]}}\r\n\n{bad json}\n[]\n{\"t\":\"z\"}"
        let whole = try jsonlSummaries(text)
        #expect(whole.count == 4)
        #expect(try jsonlSummaries(text, chunk: chunk) == whole)
    }
}
