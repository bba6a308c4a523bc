import Foundation
import Testing
@testable import PushCore

@Suite("Prometheus metrics: text exposition format")
struct PrometheusMetricsRenderTests {
    static func metrics(campaign: String = "weekly", finished: Bool = true, lastSuccess: Int64? = 1_795_706_301_234)
        -> PrometheusMetrics {
        PrometheusMetrics(campaign: campaign, summary: RunSummaryRenderTests.sample(), rowsRead: 112, inFlight: 2,
                          finished: finished, exitStatus: finished ? 1 : nil, lastSuccessMs: lastSuccess,
                          nowMs: RunSummaryRenderTests.start + 5000)
    }

    /// Sample lines (no comments), as name{labels} → value.
    static func samples(_ text: String) -> [String: String] {
        var out: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let space = line.lastIndex(of: " ")!
            out[String(line[..<space])] = String(line[line.index(after: space)...])
        }
        return out
    }

    @Test("Counters per outcome, reason and status; gauges; a latency summary")
    func values() {
        let samples = Self.samples(Self.metrics().render())
        let c = #"campaign="weekly""#
        #expect(samples["apnsctl_notifications_total{\(c),outcome=\"delivered\"}"] == "100")
        #expect(samples["apnsctl_notifications_total{\(c),outcome=\"rejected\"}"] == "7")
        #expect(samples["apnsctl_notifications_total{\(c),outcome=\"failed\"}"] == "1")
        #expect(samples["apnsctl_notifications_total{\(c),outcome=\"invalid\"}"] == "2")
        #expect(samples["apnsctl_notification_reasons_total{\(c),reason=\"BadDeviceToken\"}"] == "5")
        #expect(samples["apnsctl_notification_reasons_total{\(c),reason=\"token '…' is not hex (line N)\"}"] == "2")
        #expect(samples["apnsctl_responses_total{\(c),status=\"410\"}"] == "2")
        #expect(samples["apnsctl_rows_read_total{\(c)}"] == "112")
        #expect(samples["apnsctl_rows_in_flight{\(c)}"] == "2")
        #expect(samples["apnsctl_run_duration_seconds{\(c)}"] == "1.234")
        #expect(samples["apnsctl_run_start_timestamp_seconds{\(c)}"] == "1795706300")
        #expect(samples["apnsctl_run_finished{\(c)}"] == "1")
        #expect(samples["apnsctl_exit_status{\(c)}"] == "1")
        #expect(samples["apnsctl_last_success_timestamp_seconds{\(c)}"] == "1795706301.234")
        #expect(samples["apnsctl_connections_opened_total{\(c)}"] == "4")
        #expect(samples["apnsctl_goaways_total{\(c)}"] == "1")
        // p99 as the text summary prints it: 99.1ms.
        let p99 = samples["apnsctl_request_latency_seconds{\(c),quantile=\"0.99\"}"].flatMap(Double.init)
        #expect(p99.map { abs($0 - 0.0991) < 0.00005 } == true)
        #expect(samples["apnsctl_request_latency_seconds_count{\(c)}"] == "107")
        #expect(samples["apnsctl_request_latency_seconds_sum{\(c)}"] == "5.066")
    }

    @Test("Every family has HELP and TYPE before its samples, and every sample line is well formed")
    func format() {
        let text = Self.metrics().render()
        #expect(text.hasSuffix("\n"))
        var typed: [String: String] = [:]
        var helped: Set<String> = []
        for line in text.split(separator: "\n") {
            let words = line.split(separator: " ", maxSplits: 3)
            if line.hasPrefix("# HELP ") { helped.insert(String(words[2])); continue }
            if line.hasPrefix("# TYPE ") { typed[String(words[2])] = String(words[3]); continue }
            let name = String(line.prefix { $0 != "{" })
            let family = typed[name] != nil ? name
                : String(name.replacingOccurrences(of: "_sum", with: "").replacingOccurrences(of: "_count", with: ""))
            #expect(typed[family] != nil && helped.contains(family), "no HELP/TYPE before \(line)")
            #expect(line.contains("{campaign=\"weekly\""), "\(line)")
            #expect(Double(line.split(separator: " ").last!) != nil, "value of \(line)")
        }
        #expect(typed["apnsctl_notifications_total"] == "counter")
        #expect(typed["apnsctl_rows_in_flight"] == "gauge")
        #expect(typed["apnsctl_request_latency_seconds"] == "summary")
        #expect(typed.keys.filter { $0.hasSuffix("_total") }.allSatisfy { typed[$0] == "counter" })
    }

    @Test("Label values are escaped: backslash, double quote, newline")
    func escaping() {
        #expect(PrometheusMetrics.escapeLabel("a\\b\"c\nd") == #"a\\b\"c\nd"#)
        let text = Self.metrics(campaign: "we\"ird\\\nname").render()
        #expect(text.contains(#"apnsctl_rows_read_total{campaign="we\"ird\\\nname"} 112"#))
        #expect(!text.contains("we\"ird\\\n"))
    }

    @Test("While running: duration so far, not finished, no exit status; no last success unless given")
    func running() {
        let samples = Self.samples(Self.metrics(finished: false, lastSuccess: nil).render())
        let c = #"campaign="weekly""#
        #expect(samples["apnsctl_run_finished{\(c)}"] == "0")
        #expect(samples["apnsctl_run_duration_seconds{\(c)}"] == "5")
        #expect(samples["apnsctl_exit_status{\(c)}"] == nil)
        #expect(samples["apnsctl_last_success_timestamp_seconds{\(c)}"] == nil)
    }

    @Test("The last success an earlier run wrote is found again, for this campaign only")
    func lastSuccess() {
        let text = Self.metrics().render() + Self.metrics(campaign: "other", lastSuccess: 42_000).render()
        #expect(PrometheusMetrics.lastSuccess(in: text, campaign: "weekly") == 1_795_706_301_234)
        #expect(PrometheusMetrics.lastSuccess(in: text, campaign: "other") == 42_000)
        #expect(PrometheusMetrics.lastSuccess(in: text, campaign: "missing") == nil)
        #expect(PrometheusMetrics.lastSuccess(in: "garbage", campaign: "weekly") == nil)
    }
}
