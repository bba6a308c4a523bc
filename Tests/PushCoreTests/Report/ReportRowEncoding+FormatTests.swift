import Foundation
import Testing
@testable import PushCore

@Suite("Report row encoding")
struct ReportRowEncodingFormatTests {
    static let full = ReportRow(
        line: 42, token: "ab12cd", outcome: .rejected, status: 410, reason: "Unregistered",
        apnsID: "8f2a4a5e-7b0c-4d43-9f0a-3c6c1f1d2e3b", apnsUniqueID: "c0ffee00-0000-4000-8000-000000000001",
        unregisteredAt: 1_764_170_000_000, attempts: 2, latencyMs: 12.3456, finishedAtMs: 1_795_706_319_123,
        pushType: .liveactivity)
    static let sparse = ReportRow(line: 7, token: "zz", outcome: .invalid, reason: "token 'zz' is not hex", finishedAtMs: 0)

    func jsonLine(_ row: ReportRow) -> String {
        var bytes: [UInt8] = []
        ReportRowEncoding.appendJSONLine(row, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    func csvLine(_ row: ReportRow) -> String {
        var bytes: [UInt8] = []
        ReportRowEncoding.appendCSVLine(row, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test("a JSONL line has every field in fieldNames order, with the right types")
    func jsonLineFields() throws {
        let line = jsonLine(Self.full)
        #expect(line == #"{"line":42,"token":"ab12cd","outcome":"rejected","status":410,"reason":"Unregistered","apns_id":"8f2a4a5e-7b0c-4d43-9f0a-3c6c1f1d2e3b","apns_unique_id":"c0ffee00-0000-4000-8000-000000000001","unregistered_at":1764170000000,"attempts":2,"latency_ms":12.346,"finished_at":"2026-11-26T15:18:39.123Z","push_type":"liveactivity"}"# + "\n")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(Set(object.keys) == Set(ReportRow.fieldNames))
        #expect((object["unregistered_at"] as? NSNumber)?.int64Value == 1_764_170_000_000)
        #expect((object["latency_ms"] as? NSNumber)?.doubleValue == 12.346)
    }

    @Test("absent values are null in JSONL and empty in CSV")
    func absentValues() throws {
        let line = jsonLine(Self.sparse)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        for key in ["status", "apns_id", "apns_unique_id", "unregistered_at", "latency_ms", "push_type"] {
            #expect(object[key] is NSNull, "\(key)")
        }
        #expect((object["attempts"] as? NSNumber)?.intValue == 0)
        #expect(object["finished_at"] as? String == "1970-01-01T00:00:00.000Z")
        #expect(csvLine(Self.sparse) == "7,zz,invalid,,token 'zz' is not hex,,,,0,,1970-01-01T00:00:00.000Z,\n")
        #expect(csvLine(Self.full).hasSuffix(",2026-11-26T15:18:39.123Z,liveactivity\n"))
    }

    @Test("strings that need escaping survive a JSON parser", arguments: [
        "quote \" and backslash \\", "line\nbreak\r\ttab", "bell \u{07} and nul \u{00} and \u{1F}", "unicode é 😀 \u{2028}", "",
    ])
    func jsonEscaping(reason: String) throws {
        var row = Self.sparse
        row.reason = reason
        let line = jsonLine(row)
        #expect(line.filter { $0 == "\n" }.count == 1, "one physical line")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["reason"] as? String == reason)
    }

    @Test("CSV quotes fields with comma, quote, CR or LF (RFC 4180) and nothing else", arguments: [
        ("plain", "plain"), ("a,b", "\"a,b\""), ("say \"hi\"", "\"say \"\"hi\"\"\""), ("two\nlines", "\"two\nlines\""),
        ("cr\rhere", "\"cr\rhere\""), (" spaced ", " spaced "), ("", ""),
    ])
    func csvQuoting(text: String, expected: String) {
        var bytes: [UInt8] = []
        ReportRowEncoding.appendCSVField(text, to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == expected)
    }

    @Test("the CSV header is fieldNames joined by commas")
    func csvHeader() {
        #expect(String(decoding: ReportRowEncoding.csvHeader, as: UTF8.self)
                == "line,token,outcome,status,reason,apns_id,apns_unique_id,unregistered_at,attempts,latency_ms,finished_at,push_type\n")
        #expect(ReportField.ordered.map(\.rawValue) == ReportRow.fieldNames)
    }

    @Test("each field's JSONL key is its name, quoted, with a colon")
    func jsonKeys() {
        for field in ReportField.allCases {
            #expect(field.jsonKey.description == "\"\(field.rawValue)\":")
        }
    }

    @Test("latency has at most 3 decimals, without trailing zeros", arguments: [
        (12.3456, "12.346"), (12.5, "12.5"), (3.0, "3"), (0.0004, "0"), (0.0005, "0.001"), (0.05, "0.05"), (1.005, "1.005"),
        (100.10, "100.1"), (123456.789, "123456.789"), (-2.25, "-2.25"),
    ] as [(Double, String)])
    func decimals(value: Double, text: String) {
        var bytes: [UInt8] = []
        DecimalText.appendDecimal(value, maxFractionDigits: 3, to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == text)
    }

    @Test("integers print exactly, including the extremes", arguments: [Int64(0), 7, -7, 1_000_000, .max, .min])
    func integers(value: Int64) {
        var bytes: [UInt8] = []
        DecimalText.appendInteger(value, to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == String(value))
    }

    @Test("report format from the file name", arguments: [
        ("out.csv", ReportFormat.csv), ("OUT.CSV", .csv), ("out.csv.gz", .csv), ("out.jsonl", .jsonl), ("out.jsonl.gz", .jsonl),
        ("out", .jsonl), ("-", .jsonl), ("csv", .jsonl), ("dir.csv/out.txt", .jsonl),
    ])
    func formatDetection(path: String, format: ReportFormat) {
        #expect(ReportFormat(path: path) == format)
    }
}
