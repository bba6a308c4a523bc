import Testing
@testable import PushCore

/// `hasBufferedRecord` tells the campaign when to hand its batch of rows over: it must be false whenever the next
/// record needs another read from the source (a slow pipe's rows would otherwise wait for more input).
@Suite("Readers say whether the next record is buffered")
struct BufferedRecordReaderTests {
    /// Hands out the given chunks one read at a time; counts the reads.
    private struct ChunkSource: ByteSource {
        var chunks: [[UInt8]]
        var reads = 0
        mutating func read(into buffer: inout [UInt8], max: Int) throws -> Int {
            reads += 1
            guard !chunks.isEmpty else { return 0 }
            let chunk = chunks.removeFirst()
            buffer.append(contentsOf: chunk)
            return chunk.count
        }
    }

    private static func source(_ chunks: String...) -> ChunkSource {
        ChunkSource(chunks: chunks.map { Array($0.utf8) })
    }

    @Test("CSV: true while whole lines are buffered, false when the buffer ends at a line end or mid-line")
    func csv() throws {
        var reader = try CSVReader(source: Self.source("token\naa\nbb\n", "cc\ndd"), name: "in.csv")
        #expect(reader.hasBufferedRecord, "two lines follow the header in the first chunk")
        _ = try reader.next()
        #expect(reader.hasBufferedRecord)
        _ = try reader.next()
        #expect(!reader.hasBufferedRecord, "the chunk ended with bb's line: cc needs another read")
        #expect(try reader.next()?.fields?.value(named: "token") == .text("cc"))
        #expect(!reader.hasBufferedRecord, "dd has no line end yet: reading it may wait for the source")
        #expect(try reader.next()?.fields?.value(named: "token") == .text("dd"))
        #expect(try reader.next() == nil)
    }

    @Test("JSONL: the same rule")
    func jsonl() throws {
        var reader = try JSONLReader(source: Self.source(#"{"token":"aa"}"# + "\n" + #"{"token":"bb"}"# + "\n"),
                                     name: "in.jsonl")
        _ = try reader.next()
        #expect(reader.hasBufferedRecord)
        _ = try reader.next()
        #expect(!reader.hasBufferedRecord)
        #expect(try reader.next() == nil)
    }

    @Test("--device tokens are all in memory")
    func devices() {
        var reader = DeviceListReader(tokens: ["aa", "bb"])
        #expect(reader.hasBufferedRecord)
        _ = reader.next()
        #expect(reader.hasBufferedRecord)
    }
}
