import Testing
@testable import PushCore

@Suite("DurationText")
struct DurationTextTests {
    @Test("units and bare seconds", arguments: [
        ("500ms", 500), ("2s", 2000), ("1.5s", 1500), ("5m", 300_000), ("1h", 3_600_000), ("30", 30_000), ("0", 0),
    ])
    func parses(text: String, ms: Int) {
        #expect(DurationText.milliseconds(text) == ms)
    }

    @Test("refuses what is not a duration", arguments: ["", "s", "-1s", "2x", "1e3s", "abc", "9999h", " 2s"])
    func refuses(text: String) {
        #expect(DurationText.milliseconds(text) == nil)
    }

    @Test("formats the shortest exact spelling")
    func formats() {
        #expect(DurationText.format(milliseconds: 500) == "500ms")
        #expect(DurationText.format(milliseconds: 30_000) == "30s")
        #expect(DurationText.format(milliseconds: 300_000) == "5m")
        #expect(DurationText.format(milliseconds: 7_200_000) == "2h")
        #expect(DurationText.format(milliseconds: 1500) == "1500ms")
    }
}
