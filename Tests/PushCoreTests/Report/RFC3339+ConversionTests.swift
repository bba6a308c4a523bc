import Foundation
import Testing
@testable import PushCore

@Suite("RFC 3339 timestamps")
struct RFC3339ConversionTests {
    // Reference values computed independently (Python's datetime).
    static let known: [(Int64, String)] = [
        (0, "1970-01-01T00:00:00.000Z"),
        (-1, "1969-12-31T23:59:59.999Z"),
        (951_827_696_789, "2000-02-29T12:34:56.789Z"),       // leap day of a year divisible by 400
        (-2_203_891_200_000, "1900-03-01T00:00:00.000Z"),   // 1900 is not a leap year
        (4_107_542_399_999, "2100-02-28T23:59:59.999Z"),    // nor is 2100
        (1_709_164_800_000, "2024-02-29T00:00:00.000Z"),
        (1_795_706_319_123, "2026-11-26T15:18:39.123Z"),
        (-11_670_998_400_000, "1600-02-29T00:00:00.000Z"),
        (253_402_300_799_999, "9999-12-31T23:59:59.999Z"),
        (-62_135_596_800_000, "0001-01-01T00:00:00.000Z"),
    ]

    @Test("known dates, including leap years and times before 1970")
    func knownDates() {
        for (ms, text) in Self.known {
            #expect(RFC3339.format(epochMilliseconds: ms) == text)
            #expect(RFC3339.parse(text) == ms, "\(text)")
        }
    }

    @Test("agrees with Foundation's ISO 8601 formatter on 2000 spread-out instants")
    func matchesFoundation() {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<2000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            // 1900 … 2300
            let ms = Int64(state % 12_623_040_000_000) - 2_208_988_800_000
            // +0.1 ms keeps binary rounding of the Double from showing up as the previous millisecond.
            let expected = formatter.string(from: Date(timeIntervalSince1970: Double(ms) / 1000 + 0.0001))
            #expect(RFC3339.format(epochMilliseconds: ms) == expected)
        }
    }

    @Test("every day from 1969 to 2101 round-trips through civil dates")
    func civilRoundTrip() {
        var previous: (year: Int64, month: Int64, day: Int64)?
        for days in Int64(-365)...Int64(48_000) {
            let date = RFC3339.civil(fromDays: days)
            #expect(RFC3339.days(fromCivil: date.year, date.month, date.day) == days)
            if let previous {
                let nextDay = previous.day + 1 == date.day && previous.month == date.month
                let nextMonth = date.day == 1 && (previous.month % 12) + 1 == date.month
                #expect(nextDay || nextMonth)
            }
            previous = date
        }
    }

    @Test("offsets, lower-case separators and long fractions parse", arguments: [
        ("2026-11-26T16:18:39.123+01:00", 1_795_706_319_123),
        ("2026-11-26T10:48:39.123-04:30", 1_795_706_319_123),
        ("2026-11-26t15:18:39.123z", 1_795_706_319_123),
        ("2026-11-26T15:18:39.1239Z", 1_795_706_319_123),
        ("2026-11-26T15:18:39Z", 1_795_706_319_000),
        ("2026-11-26T15:18:39.1Z", 1_795_706_319_100),
    ] as [(String, Int64)])
    func parseVariants(text: String, ms: Int64) {
        #expect(RFC3339.parse(text) == ms)
    }

    @Test("malformed or impossible times are refused", arguments: [
        "", "2026-11-26", "2026-11-26T15:18:39", "2026-11-26 15:18:39Z", "2026-02-29T00:00:00Z", "2100-02-29T00:00:00Z",
        "2026-13-01T00:00:00Z", "2026-04-31T00:00:00Z", "2026-11-26T24:00:00Z", "2026-11-26T15:60:00Z",
        "2026-11-26T15:18:60Z", "2026-11-26T15:18:39.Z", "2026-11-26T15:18:39.123Zjunk", "2026-11-26T15:18:39+0100",
        "2o26-11-26T15:18:39Z",
    ])
    func invalid(text: String) {
        #expect(RFC3339.parse(text) == nil)
    }
}
