import Foundation
import Testing
@testable import PushCore

/// A broadcast's report names channel_id and apns_request_id, and reads back like any report.
@Suite("ReportColumns: broadcast reports")
struct ReportColumnsBroadcastTests {
    static let row = ReportRow(line: 2, token: "Y2g=", outcome: .delivered, status: 200, apnsID: "req-1",
                               attempts: 1, finishedAtMs: 1_764_000_000_000)

    @Test("JSONL keys and the CSV header say channel_id and apns_request_id")
    func names() {
        var buffer: [UInt8] = []
        ReportRowEncoding.appendJSONLine(Self.row, to: &buffer, columns: .broadcast)
        let line = String(decoding: buffer, as: UTF8.self)
        #expect(line.hasPrefix(#"{"line":2,"channel_id":"Y2g=","#) && line.contains(#""apns_request_id":"req-1""#))
        #expect(!line.contains("\"token\"") && !line.contains("\"apns_id\""))
        let header = String(decoding: ReportRowEncoding.csvHeader(kept: [], columns: .broadcast), as: UTF8.self)
        #expect(header.hasPrefix("line,channel_id,outcome,status,reason,apns_request_id,"))
        #expect(String(decoding: ReportRowEncoding.csvHeader(kept: []), as: UTF8.self).hasPrefix("line,token,"))
    }

    @Test("a broadcast report reads back (resume, apnsctl report), in both formats", arguments: ReportFormat.allCases)
    func roundTrip(format: ReportFormat) throws {
        let path = NSTemporaryDirectory() + "broadcast-report-\(UUID().uuidString).\(format.rawValue)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try ReportWriter(path: path, format: format, columns: .broadcast)
        try writer.write(Self.row)
        try writer.close()
        let rows = try ReportReader(path: path, format: format).readAll()
        #expect(rows == [Self.row])
        // Appending to it checks the broadcast header, not the device one.
        let again = try ReportWriter(path: path, format: format, append: true, columns: .broadcast)
        try again.close()
        #expect(throws: (any Error).self) {
            if format == .csv { _ = try ReportWriter(path: path, format: format, append: true) } else { throw CancellationError() }
        }
    }
}
