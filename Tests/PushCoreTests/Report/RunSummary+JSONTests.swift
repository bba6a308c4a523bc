import Testing
@testable import PushCore

@Suite("Run summary as JSON")
struct RunSummaryJSONTests {
    @Test("Parses back to the same numbers as the summary")
    func roundTrip() throws {
        let summary = RunSummaryRenderTests.sample()
        let text = summary.renderJSON(extra: [("campaign", .string("weekly \"A\"")), ("exit_status", .number("1"))])
        #expect(text.hasSuffix("}\n"))
        let object = try #require(try JSONParser.parse(text).objectValue)
        #expect(object.keys == ["endpoint", "started_at", "ended_at", "elapsed_seconds", "rows_per_second", "rows",
                                "statuses", "reasons", "other_reasons", "latency_ms", "connections_opened", "reconnects", "circuit_openings", "goaways",
                                "campaign", "exit_status"])
        #expect(object["endpoint"] == .string("api.sandbox.push.apple.com:443"))
        #expect(object["started_at"] == .string(RFC3339.format(epochMilliseconds: RunSummaryRenderTests.start)))
        #expect(object["ended_at"] == .string(RFC3339.format(epochMilliseconds: RunSummaryRenderTests.start + 1234)))
        #expect(object["elapsed_seconds"] == .number("1.234"))
        #expect(object["rows_per_second"] == .number("89.1"))
        #expect(object["rows"] == ["total": 110, "delivered": 100, "rejected": 7, "failed": 1, "invalid": 2, "valid": 0, "skipped": 0, "stopped": 0])
        #expect(object["statuses"] == ["200": 100, "400": 5, "410": 2])
        #expect(object["reasons"] == ["BadDeviceToken": 5, "Unregistered": 2, "token '…' is not hex (line N)": 2,
                                      "ConnectionLost": 1])
        #expect(object["other_reasons"] == 0)
        // The same percentiles the text summary prints (47.0, 89.9, 99.1, 100.0 ms), to the microsecond.
        let latency = try #require(object["latency_ms"]?.objectValue)
        #expect(latency.keys == ["p50", "p90", "p99", "max"])
        for (key, value) in [("p50", summary.latency.percentile(50)), ("p90", summary.latency.percentile(90)),
                             ("p99", summary.latency.percentile(99)), ("max", summary.latency.max)] {
            guard case .number(let text)? = latency[key], let parsed = Double(text), let value else {
                Issue.record("latency_ms.\(key) is not a number")
                continue
            }
            #expect(abs(parsed - value) < 0.001, "\(key)")
        }
        #expect(object["connections_opened"] == 4)
        #expect(object["goaways"] == 1)
        #expect(object["campaign"] == .string("weekly \"A\""))
        #expect(object["exit_status"] == 1)
    }

    @Test("Nothing sent: null endpoint and latency, zero rate")
    func empty() throws {
        let object = try #require(try JSONParser.parse(RunSummary(startedAtMs: 0).renderJSON()).objectValue)
        #expect(object["endpoint"] == .null)
        #expect(object["latency_ms"] == .null)
        #expect(object["rows_per_second"] == .number("0"))
        #expect(object["rows"] == ["total": 0, "delivered": 0, "rejected": 0, "failed": 0, "invalid": 0, "valid": 0, "skipped": 0, "stopped": 0])
        #expect(object["statuses"] == .object(JSONObject()))
    }
}
