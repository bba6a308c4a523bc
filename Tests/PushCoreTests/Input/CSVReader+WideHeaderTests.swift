import Testing
@testable import PushCore

@Suite("CSV: a very wide header costs linear time")
struct CSVReaderWideHeaderTests {
    @Test("150,000 columns in a 980 KB header: read with its rows in seconds, not minutes")
    func wideHeader() throws {
        let names = (0..<150_000).map { "co" + String($0, radix: 36) }
        let header = "token," + names.joined(separator: ",") + "\n"
        #expect(header.utf8.count > 900_000 && header.utf8.count < InputDefaults.maxLineBytes)
        let row = "ab12," + String(repeating: "x,", count: names.count - 1) + "y\n"
        var result: (columns: [String], records: [RecordSummary])?
        // Quadratic duplicate checks took close to a minute here (release); linear work takes about 2 s in a debug
        // build. The bound leaves room for a loaded machine.
        let elapsed = try elapsedSeconds { result = try csvSummaries(header + row + row) }
        #expect(elapsed < TestTime.seconds(30), "took \(elapsed) s")
        #expect(result?.columns.count == 150_001)
        #expect(result?.records.count == 2)
    }

    @Test("a duplicate name among many columns is still refused, naming it")
    func duplicateInWideHeader() {
        let names = (0..<50_000).map { "c\($0)" } + ["c123"]
        let text = "token," + names.joined(separator: ",") + "\n"
        do {
            _ = try csvSummaries(text)
            Issue.record("a header naming c123 twice must be refused")
        } catch {
            #expect("\(error)".contains("names field 'c123' twice"))
        }
    }
}
