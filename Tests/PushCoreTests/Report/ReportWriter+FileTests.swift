import Foundation
import Testing
@testable import PushCore

@Suite("Report writer")
struct ReportWriterFileTests {
    static func row(_ line: Int, reason: String? = nil) -> ReportRow {
        ReportRow(line: line, token: String(repeating: "ab", count: 32), outcome: reason == nil ? .delivered : .rejected,
                  status: reason == nil ? 200 : 400, reason: reason, apnsID: "8f2a4a5e-7b0c-4d43-9f0a-3c6c1f1d2e3b",
                  attempts: 1, latencyMs: Double(line) / 7, finishedAtMs: 1_795_706_319_123 + Int64(line))
    }

    func text(_ path: String) throws -> String {
        String(decoding: try AuthTestSupport.read(path), as: UTF8.self)
    }

    @Test("nothing reaches the file before flush; flush writes whole lines")
    func buffering() throws {
        let directory = try AuthTestSupport.makeDirectory()
        defer { AuthTestSupport.removeDirectory(directory) }
        let path = directory + "/report.jsonl"
        let writer = try ReportWriter(path: path, format: .jsonl)
        try writer.write([Self.row(1), Self.row(2)])
        #expect(try text(path).isEmpty)
        try writer.flush()
        let lines = try text(path).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 3 && lines[2].isEmpty)
        try writer.close()
        try writer.close()  // idempotent
        #expect(throws: ReportFileError.self) { try writer.write(Self.row(3)) }
    }

    @Test("past ~64 KiB the buffer is written out by itself, always ending on a newline")
    func thresholdFlush() throws {
        let directory = try AuthTestSupport.makeDirectory()
        defer { AuthTestSupport.removeDirectory(directory) }
        let path = directory + "/report.csv"
        let writer = try ReportWriter(path: path, format: .csv)
        var sizes: Set<Int> = []
        for line in 1...3000 {
            try writer.write(Self.row(line, reason: line % 3 == 0 ? "Bad, \"quoted\"\nreason" : nil))
            let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
            if size > 0 && !sizes.contains(size) {
                let bytes = try AuthTestSupport.read(path)
                #expect(bytes.last == 0x0A)
                #expect(bytes.count >= ReportWriter.flushThreshold)
                sizes.insert(size)
            }
        }
        #expect(sizes.count >= 3, "several automatic flushes")
        try writer.close()
        let rows = try ReportReader(path: path).readAll()
        #expect(rows.count == 3000)
        #expect(rows[2].reason == "Bad, \"quoted\"\nreason")
        #expect(writer.rowsWritten == 3000)
    }

    @Test("CSV: header on a new file, none when appending to a non-empty file, one when appending to an empty file")
    func csvHeader() throws {
        let directory = try AuthTestSupport.makeDirectory()
        defer { AuthTestSupport.removeDirectory(directory) }
        let header = String(decoding: ReportRowEncoding.csvHeader, as: UTF8.self)
        let path = directory + "/report.csv"

        var writer = try ReportWriter(path: path, format: .csv)
        try writer.write(Self.row(1))
        try writer.close()
        writer = try ReportWriter(path: path, format: .csv, append: true)
        try writer.write(Self.row(2))
        try writer.close()
        let content = try text(path)
        #expect(content.hasPrefix(header))
        #expect(content.components(separatedBy: "line,token").count == 2, "exactly one header")
        #expect(try ReportReader(path: path).readAll().map(\.line) == [1, 2])

        let empty = directory + "/empty.csv"
        try AuthTestSupport.write("", to: empty)
        writer = try ReportWriter(path: empty, format: .csv, append: true)
        try writer.write(Self.row(1))
        try writer.close()
        #expect(try text(empty).hasPrefix(header))

        // Without append the file starts over.
        writer = try ReportWriter(path: path, format: .csv)
        try writer.close()
        #expect(try text(path) == header)
    }

    @Test("appending refuses a file of another kind and cuts a torn last line")
    func appendChecks() throws {
        let directory = try AuthTestSupport.makeDirectory()
        defer { AuthTestSupport.removeDirectory(directory) }
        let notCSV = directory + "/other.csv"
        try AuthTestSupport.write("name,email\nx,y\n", to: notCSV)
        let csvError = #expect(throws: ReportFileError.self) { try ReportWriter(path: notCSV, format: .csv, append: true) }
        #expect(csvError?.description.hasPrefix("\(notCSV): cannot append: the first line is not the apnsctl CSV header") == true)
        #expect(try text(notCSV) == "name,email\nx,y\n", "untouched")

        let notJSONL = directory + "/other.jsonl"
        try AuthTestSupport.write("hello\n", to: notJSONL)
        #expect(throws: ReportFileError.self) { try ReportWriter(path: notJSONL, format: .jsonl, append: true) }

        let torn = directory + "/torn.jsonl"
        var writer = try ReportWriter(path: torn, format: .jsonl)
        try writer.write([Self.row(1), Self.row(2)])
        try writer.close()
        let complete = try text(torn)
        try AuthTestSupport.write(complete + #"{"line":3,"tok"#, to: torn)
        writer = try ReportWriter(path: torn, format: .jsonl, append: true)
        try writer.write(Self.row(4))
        try writer.close()
        #expect(try ReportReader(path: torn).readAll().map(\.line) == [1, 2, 4])
    }

    @Test("unwritable paths give errors naming the file")
    func errors() throws {
        let missing = "/nonexistent-dir-for-apnsctl/report.jsonl"
        let error = #expect(throws: FileIOError.self) { try ReportWriter(path: missing, format: .jsonl) }
        #expect(error?.description == "\(missing): cannot open: No such file or directory")
    }

    @Test("sync flushes and fsyncs a regular file")
    func sync() throws {
        let directory = try AuthTestSupport.makeDirectory()
        defer { AuthTestSupport.removeDirectory(directory) }
        let path = directory + "/report.jsonl"
        let writer = try ReportWriter(path: path, format: .jsonl)
        try writer.write(Self.row(1))
        try writer.sync()
        #expect(try ReportReader(path: path).readAll() == [Self.row(1)].map { row in
            var copy = row
            copy.latencyMs = (row.latencyMs! * 1000).rounded() / 1000
            return copy
        })
    }
}
