import Testing
@testable import PushCore

@Suite("Run summary")
struct RunSummaryRenderTests {
    static let start: Int64 = 1_795_706_300_000

    static func row(_ outcome: Outcome, status: Int? = nil, reason: String? = nil, latency: Double? = nil, at offset: Int64 = 0) -> ReportRow {
        ReportRow(line: 1, token: "aa", outcome: outcome, status: status, reason: reason, attempts: 1, latencyMs: latency,
                  finishedAtMs: start + offset)
    }

    static func sample() -> RunSummary {
        var summary = RunSummary(endpoint: Endpoint(host: "api.sandbox.push.apple.com", port: 443), startedAtMs: start)
        summary.connectionsOpened = 4
        summary.goAways = 1
        for i in 1...100 { summary.record(row(.delivered, status: 200, latency: Double(i), at: Int64(i) * 10)) }
        for _ in 0..<5 { summary.record(row(.rejected, status: 400, reason: "BadDeviceToken", latency: 2)) }
        for _ in 0..<2 { summary.record(row(.rejected, status: 410, reason: "Unregistered", latency: 3)) }
        summary.record(row(.failed, reason: "ConnectionLost"))
        summary.record(row(.invalid, reason: "token 'xyz' is not hex (line 12)"))
        summary.record(row(.invalid, reason: "token 'q' is not hex (line 99)"))
        summary.endedAtMs = start + 1234
        return summary
    }

    @Test("counts per outcome, status and reason")
    func counts() {
        let summary = Self.sample()
        #expect(summary.total == 110)
        #expect(summary.count(.delivered) == 100)
        #expect(summary.count(.rejected) == 7)
        #expect(summary.count(.failed) == 1)
        #expect(summary.count(.invalid) == 2)
        #expect(summary.statusCounts == [200: 100, 400: 5, 410: 2])
        #expect(summary.reasonCounts == ["BadDeviceToken": 5, "Unregistered": 2, "ConnectionLost": 1, "token '…' is not hex (line N)": 2])
        #expect(summary.latency.count == 107)
    }

    @Test("render prints the fixed block")
    func render() {
        // 107 latencies: 1…100 ms, five of 2 ms, two of 3 ms. Nearest rank: p50 = 47, p90 = 90, p99 = 99;
        // the histogram reports bucket midpoints (90000 µs lies in [89600, 90111] → 89.9).
        #expect(Self.sample().render() == """
            apnsctl: sent to api.sandbox.push.apple.com:443 in 1.23s, 89.1 rows/s, 4 connections
            rows: 110 total, 100 delivered, 7 rejected, 1 failed, 2 invalid
            statuses: 100 200, 5 400, 2 410
            reasons: 5 BadDeviceToken, 2 Unregistered, 2 token '…' is not hex (line N), 1 ConnectionLost
            latency: p50 47.0ms, p90 89.9ms, p99 99.1ms, max 100.0ms
            connections: 4 opened, 0 reconnects, 1 GOAWAY

            """)
    }

    @Test("percentiles of known samples")
    func percentiles() {
        var summary = RunSummary(startedAtMs: 0)
        for ms in [1.0, 2, 3, 4, 5, 6, 7, 8, 9, 10] { summary.record(Self.row(.delivered, status: 200, latency: ms)) }
        #expect(summary.latency.percentile(50).map { abs($0 - 5) < 0.02 } == true)
        #expect(summary.latency.percentile(90).map { abs($0 - 9) < 0.04 } == true)
        #expect(summary.latency.percentile(99) == 10)
        #expect(summary.latency.max == 10)
    }

    @Test("an empty run and a run without endpoint render without numbers that make no sense")
    func empty() {
        let summary = RunSummary(startedAtMs: Self.start)
        #expect(summary.render() == """
            apnsctl: nothing sent; finished in 0.00s, 0 connections
            rows: 0 total, 0 delivered, 0 rejected, 0 failed, 0 invalid
            statuses: none
            reasons: none
            latency: none

            """)
        #expect(summary.exitStatus == 0)
    }

    @Test("exit status 0 only when every row was delivered")
    func exitStatus() {
        var summary = RunSummary(startedAtMs: 0)
        summary.record(Self.row(.delivered, status: 200))
        #expect(summary.exitStatus == 0)
        for outcome in [Outcome.rejected, .failed, .invalid] {
            var other = summary
            other.record(Self.row(outcome))
            #expect(other.exitStatus == 1)
        }
    }

    @Test("the end time defaults to the last settled row")
    func duration() {
        var summary = RunSummary(startedAtMs: 1000)
        summary.record(Self.row(.delivered, status: 200, at: -Self.start + 3500))
        summary.record(Self.row(.delivered, status: 200, at: -Self.start + 2500))
        #expect(summary.durationSeconds == 2.5)
        summary.endedAtMs = 5000
        #expect(summary.durationSeconds == 4)
    }

    @Test("distinct reasons are capped; the rest are counted and the render lists the top ten")
    func reasonCap() {
        var summary = RunSummary(startedAtMs: 0)
        for i in 0..<(RunSummary.maxDistinctReasons + 10) {
            summary.record(Self.row(.rejected, status: 400, reason: "Reason\(i)"))
        }
        #expect(summary.reasonCounts.count == RunSummary.maxDistinctReasons)
        #expect(summary.otherReasons == 10)
        let line = summary.render().split(separator: "\n")[3]
        #expect(line.hasPrefix("reasons: 1 Reason0, 1 Reason1, 1 Reason10, "))
        #expect(line.hasSuffix(", 54 in 54 more reasons, 10 other reasons"))
    }

    @Test("a reason that holds a comma is quoted, so the list of reasons splits one way only")
    func commaInReason() {
        var summary = RunSummary(startedAtMs: 0)
        for _ in 0..<2 { summary.record(Self.row(.invalid, status: nil, reason: "field 'priority': '7' is not 10, 5 or 1")) }
        summary.record(Self.row(.rejected, status: 400, reason: "BadDeviceToken"))
        let line = summary.render().split(separator: "\n").first { $0.hasPrefix("reasons: ") }
        #expect(line == #"reasons: 2 "field 'priority': '…' is not N, N or N", 1 BadDeviceToken"#)
    }

    @Test("merging per-thread summaries equals one summary of all rows")
    func merge() {
        var all = RunSummary(startedAtMs: 0)
        var a = RunSummary(startedAtMs: 0)
        var b = RunSummary(startedAtMs: 0)
        var rows: [ReportRow] = []
        for i in 0..<300 {
            let rejected = i % 5 == 0
            rows.append(Self.row(rejected ? .rejected : .delivered, status: rejected ? 400 : 200,
                                 reason: rejected ? "BadDeviceToken" : nil, latency: Double(i % 37) / 3, at: Int64(i)))
        }
        for (i, row) in rows.enumerated() {
            all.record(row)
            if i % 2 == 0 { a.record(row) } else { b.record(row) }
        }
        a.merge(b)
        #expect(a == all)
    }
}

@Suite("Summary reason keys for invalid rows")
struct RunSummaryReasonKeyTests {
    private func key(_ message: String) -> String {
        RunSummary.reasonKey(reason: message, status: nil, outcome: .invalid)
    }

    @Test("quoted values and numbers are blanked; field names, apostrophes and digits inside words are kept")
    func blanks() {
        #expect(key("field 'token': looks like base64; hex-encode the token's bytes")
            == "field 'token': looks like base64; hex-encode the token's bytes")
        #expect(key("field 'priority': '7' is not 10, 5 or 1") == "field 'priority': '…' is not N, N or N")
        #expect(key("payload is 4211 bytes, over the 4096-byte limit for alert")
            == "payload is N bytes, over the N-byte limit for alert")
        #expect(key("template field 'frist_name' is missing") == "template field 'frist_name' is missing")
        #expect(key("template field 'name' is missing") != key("template field 'city' is missing"))
    }
}
