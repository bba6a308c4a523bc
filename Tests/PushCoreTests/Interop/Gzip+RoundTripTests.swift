import Foundation
import Testing
@testable import PushCore

@Suite("gzip: compressed inputs and reports")
struct GzipRoundTripTests {
    /// `lines` compressed with a sync flush after each group of `perFlush` lines; the offsets where each
    /// flushed group ends in the output.
    static func compress(_ lines: [String], perFlush: Int) -> (bytes: [UInt8], flushEnds: [Int]) {
        let compressor = try! GzipCompressor()
        var out: [UInt8] = []
        var ends: [Int] = []
        for start in stride(from: 0, to: lines.count, by: perFlush) {
            let chunk = Array(lines[start..<min(start + perFlush, lines.count)].joined().utf8)
            chunk.withUnsafeBytes { compressor.compress($0, flush: .sync, into: &out) }
            ends.append(out.count)
        }
        compressor.compress(UnsafeRawBufferPointer(start: nil, count: 0), flush: .finish, into: &out)
        return (out, ends)
    }

    static func decompress(_ bytes: [UInt8], chunk: Int = 4096, tolerant: Bool = false) throws -> (text: String, truncated: Bool) {
        let source = try GzipByteSource(source: BufferByteSource(bytes, chunkSize: chunk), name: "t.gz", tolerateTruncation: tolerant)
        var out: [UInt8] = []
        while try source.read(into: &out, max: 1000) > 0 {}
        return (String(decoding: out, as: UTF8.self), source.wasTruncated)
    }

    static let lines = (1...3000).map { "line \($0): \(String(repeating: "x", count: $0 % 97))\n" }

    @Test("What we compress decompresses to the same bytes, whatever the chunk sizes")
    func roundTrip() throws {
        let (bytes, _) = Self.compress(Self.lines, perFlush: 37)
        #expect(bytes.starts(with: [0x1F, 0x8B]))
        #expect(bytes.count < Self.lines.joined().utf8.count / 3)
        for chunk in [1, 7, 65536] {
            #expect(try Self.decompress(bytes, chunk: chunk).text == Self.lines.joined(), "chunk \(chunk)")
        }
    }

    @Test("The system's gzip and ours read each other's output", .enabled(if: FileManager.default.isExecutableFile(atPath: "/bin/gzip")))
    func interop() throws {
        let dir = try TemporaryDirectory()
        let (bytes, _) = Self.compress(Self.lines, perFlush: 100)
        let ours = try dir.write("ours.gz", bytes)
        let plain = try dir.write("plain.txt", Self.lines.joined())
        #expect(try shell("/bin/gzip -dc '\(ours)'") == Self.lines.joined())
        _ = try shell("/bin/gzip -k '\(plain)'")
        let theirs = Array(try Data(contentsOf: URL(fileURLWithPath: plain + ".gz")))
        #expect(try Self.decompress(theirs).text == Self.lines.joined())
    }

    @Test("Concatenated members are read one after the other; zero padding at the end is ignored")
    func members() throws {
        let a = Self.compress(["one\n", "two\n"], perFlush: 1).bytes
        let b = Self.compress(["three\n"], perFlush: 1).bytes
        #expect(try Self.decompress(a + b + [0, 0, 0]).text == "one\ntwo\nthree\n")
        #expect(throws: InputError("t.gz: unexpected data after the end of the gzip stream")) {
            _ = try Self.decompress(a + Array("junk".utf8))
        }
    }

    @Test("A stream cut off after a sync flush yields every line flushed before; strict reading refuses it")
    func truncated() throws {
        let (bytes, ends) = Self.compress(Self.lines, perFlush: 250)
        let cut = Array(bytes[..<(ends[3] + 5)])   // 4 groups flushed, a few bytes of the 5th
        #expect(throws: InputError("t.gz: the gzip data ends early (the file is truncated or still being written)")) {
            _ = try Self.decompress(cut)
        }
        let (text, truncated) = try Self.decompress(cut, tolerant: true)
        #expect(truncated)
        #expect(text.hasPrefix(Self.lines[0..<1000].joined()))
        #expect(text.count - Self.lines[0..<1000].joined().count < Self.lines[1000..<1250].joined().count)
    }

    @Test("Corrupt data is an error naming the input")
    func corrupt() throws {
        var (bytes, _) = Self.compress(Self.lines, perFlush: 3000)
        for i in 20..<60 { bytes[i] ^= 0x5A }
        #expect(throws: InputError.self) { _ = try Self.decompress(bytes) }
        do {
            _ = try Self.decompress(bytes)
        } catch let error as InputError {
            #expect(error.message.hasPrefix("t.gz: corrupt gzip data: "))
        }
    }

    @Test("Inputs: a .csv.gz is decompressed; gzip is found by its magic bytes whatever the name; a .gz that is not gzip is refused")
    func inputs() throws {
        let dir = try TemporaryDirectory()
        let csv = ["token,name\n", "aa01,Ann\n", "\n", "aa02,\"B, b\"\n"]
        let compressed = Self.compress(csv, perFlush: 2).bytes
        for name in ["in.csv.gz", "in.csv"] {
            let path = try dir.write(name, compressed)
            var reader = try openRecordReader(path: path, format: nil)
            #expect(try readAll(&reader) == [.row(2, ["aa01", "Ann"]), .row(4, ["aa02", "B, b"])], "\(name)")
        }
        let jsonl = try dir.write("in.jsonl.gz", Self.compress(["{\"token\":\"aa\"}\n"], perFlush: 1).bytes)
        var reader = try openRecordReader(path: jsonl, format: nil)
        #expect(try readAll(&reader) == [.row(1, ["\"aa\""])])
        let fake = try dir.write("fake.csv.gz", "token\naa\n")
        #expect(throws: InputError("\(fake): the name ends in .gz but the data is not gzip-compressed (no gzip header); "
            + "rename the file or compress it")) {
            _ = try openRecordReader(path: fake, format: nil)
        }
    }

    @Test("Reports: a .gz report round-trips; after a crash (no close) every flushed row reads back")
    func reports() throws {
        let dir = try TemporaryDirectory()
        let rows = (1...500).map { ReportRowWriterSamples.row($0) }
        for name in ["report.jsonl.gz", "report.csv.gz"] {
            let path = dir.url.appendingPathComponent(name).path
            let writer = try ReportWriter(path: path, format: ReportFormat(path: path), keptFields: ["user"])
            try writer.write(rows)
            try writer.close()
            let reader = try ReportReader(path: path)
            #expect(try reader.readAll() == rows, "\(name)")
            #expect(!reader.wasTruncated)
            #expect(reader.keptFields == ["user"])
        }

        // A writer that flushed 300 rows and then "crashed": copy the file as it is on disk before closing.
        let path = dir.url.appendingPathComponent("live.jsonl.gz").path
        let writer = try ReportWriter(path: path, format: .jsonl, keptFields: ["user"])
        try writer.write(rows[..<300])
        try writer.flush()
        try writer.write(rows[300...])   // buffered, never flushed
        let crashed = dir.url.appendingPathComponent("crashed.jsonl.gz").path
        try FileManager.default.copyItem(atPath: path, toPath: crashed)
        try writer.close()
        let reader = try ReportReader(path: crashed)
        #expect(try reader.readAll() == Array(rows[..<300]))
        #expect(reader.wasTruncated)
    }

    private func shell(_ command: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}

enum ReportRowWriterSamples {
    static func row(_ line: Int) -> ReportRow {
        var row = ReportRow(line: line, token: String(repeating: "cd", count: 32), outcome: line % 5 == 0 ? .rejected : .delivered,
                            status: line % 5 == 0 ? 410 : 200, reason: line % 5 == 0 ? "Unregistered" : nil,
                            attempts: 1, latencyMs: Double(line % 17) / 4, finishedAtMs: 1_795_706_319_000 + Int64(line))
        row.kept = [line % 3 == 0 ? nil : .text("user \(line), \"q\"")]
        return row
    }
}
