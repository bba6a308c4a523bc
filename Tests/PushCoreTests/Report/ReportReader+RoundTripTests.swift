import Testing
@testable import PushCore

@Suite("Report reader")
struct ReportReaderRoundTripTests {
    static let rows: [ReportRow] = [
        ReportRow(line: 1, token: "aa", outcome: .delivered, status: 200, apnsID: "8f2a4a5e-7b0c-4d43-9f0a-3c6c1f1d2e3b",
                  apnsUniqueID: "c0ffee00-0000-4000-8000-000000000001", attempts: 1, latencyMs: 12.345, finishedAtMs: 1_795_706_319_123),
        ReportRow(line: 2, token: "bb", outcome: .rejected, status: 410, reason: "Unregistered", unregisteredAt: 1_764_170_000_000,
                  attempts: 1, latencyMs: 0.5, finishedAtMs: 1_795_706_319_200),
        ReportRow(line: 3, token: "cc", outcome: .failed, reason: "ConnectionLost", attempts: 3, finishedAtMs: -1),
        ReportRow(line: 5, token: "not hex", outcome: .invalid, reason: "token, \"not hex\"\non line 5", finishedAtMs: 0),
    ]

    func encode(_ rows: [ReportRow], _ format: ReportFormat) -> [UInt8] {
        var bytes = format == .csv ? ReportRowEncoding.csvHeader : []
        for row in rows {
            switch format {
            case .csv: ReportRowEncoding.appendCSVLine(row, to: &bytes)
            case .jsonl: ReportRowEncoding.appendJSONLine(row, to: &bytes)
            }
        }
        return bytes
    }

    @Test("rows round-trip through both formats", arguments: ReportFormat.allCases)
    func roundTrip(format: ReportFormat) throws {
        let reader = ReportReader(bytes: encode(Self.rows, format), format: format)
        #expect(try reader.readAll() == Self.rows)
        #expect(try reader.next() == nil)
    }

    @Test("a file larger than the read chunk round-trips, records spanning chunk boundaries", arguments: ReportFormat.allCases)
    func largeFile(format: ReportFormat) throws {
        let directory = try AuthTestSupport.makeDirectory()
        defer { AuthTestSupport.removeDirectory(directory) }
        let path = directory + "/big." + format.rawValue
        let rows = (1...5000).map { i in
            ReportRow(line: i, token: String(repeating: "0123456789abcdef", count: 4), outcome: i % 2 == 0 ? .delivered : .invalid,
                      status: i % 2 == 0 ? 200 : nil, reason: i % 2 == 0 ? nil : "bad\nrow \(i), \"x\"",
                      attempts: i % 4, latencyMs: Double(i) / 8, finishedAtMs: 1_795_706_319_123 + Int64(i))
        }
        let writer = try ReportWriter(path: path, format: format)
        try writer.write(rows)
        try writer.close()
        #expect(try AuthTestSupport.read(path).count > 4 * 65536)
        #expect(try ReportReader(path: path).readAll() == rows)
    }

    @Test("CSV columns are found by name: reordered and unknown columns, CRLF line ends, blank lines")
    func csvByName() throws {
        let text = "finished_at,outcome,extra,token,line\r\n2026-11-26T15:18:39.123Z,delivered,x,aa,1\r\n\r\n1970-01-01T00:00:00.000Z,failed,,bb,2"
        let rows = try ReportReader(bytes: Array(text.utf8), format: .csv).readAll()
        var first = ReportRow(line: 1, token: "aa", outcome: .delivered, finishedAtMs: 1_795_706_319_123)
        first.kept = [.text("x")]
        var second = ReportRow(line: 2, token: "bb", outcome: .failed, finishedAtMs: 0)
        second.kept = [nil]
        #expect(rows == [first, second])
    }

    @Test("errors name the file, the line where the record starts, and the field", arguments: [
        (ReportFormat.jsonl, "{\"line\":1,\"token\":\"a\",\"outcome\":\"delivered\",\"finished_at\":\"1970-01-01T00:00:00.000Z\"}\n\n{\"line\":\"x\"}\n",
         "r.jsonl:3: field 'line': expected a number, found the string 'x'"),
        (.jsonl, "{\"line\":1,\"token\":\"a\",\"outcome\":\"sent\",\"finished_at\":\"1970-01-01T00:00:00.000Z\"}\n",
         "r.jsonl:1: field 'outcome': 'sent' is not one of delivered, rejected, failed, invalid, valid, skipped"),
        (.jsonl, "{\"line\":1,\"token\":\"a\",\"outcome\":\"failed\",\"finished_at\":\"yesterday\"}\n",
         "r.jsonl:1: field 'finished_at': 'yesterday' is not an RFC 3339 time like 2026-11-26T15:18:39.123Z"),
        (.jsonl, "{\"line\":1,\"token\":\"a\",\"outcome\":\"failed\"}\n", "r.jsonl:1: field 'finished_at': missing"),
        (.jsonl, "{\"line\":1,\"tok", "r.jsonl:1: not a JSON object: unterminated string (opened at column 11) at column 15"),
        (.csv, "line,token,outcome,finished_at\n1,\"a\nb\",failed,1970-01-01T00:00:00.000Z\n2,b,failed,x\n",
         "r.csv:4: field 'finished_at': 'x' is not an RFC 3339 time like 2026-11-26T15:18:39.123Z"),
        (.csv, "line,token,outcome,finished_at\n1,a,failed\n", "r.csv:2: 3 fields, but the header has 4"),
        (.csv, "line,token,status,finished_at\n", "r.csv:1: the CSV header has no 'outcome' column (expected \(ReportRow.fieldNames.joined(separator: ",")))"),
        (.csv, "line,token,outcome,finished_at,status\n1,a,rejected,1970-01-01T00:00:00.000Z,4x\n", "r.csv:2: field 'status': '4x' is not an integer"),
        (.csv, "line,token,outcome,finished_at\n1,\"a\"b,failed,1970-01-01T00:00:00.000Z\n", "r.csv:2: text after the closing quote of field 2"),
    ])
    func errors(format: ReportFormat, text: String, message: String) {
        let reader = ReportReader(bytes: Array(text.utf8), format: format, source: "r.\(format.rawValue)")
        do {
            _ = try reader.readAll()
            Issue.record("expected an error")
        } catch {
            #expect("\(error)" == message)
        }
    }

    @Test("a missing file is an error naming it")
    func files() {
        let error = #expect(throws: FileIOError.self) { try ReportReader(path: "/nonexistent-apnsctl/report.csv.gz") }
        #expect(error?.description == "/nonexistent-apnsctl/report.csv.gz: cannot open: No such file or directory")
    }
}
