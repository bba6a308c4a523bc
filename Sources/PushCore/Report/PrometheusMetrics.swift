/// A run's numbers in the Prometheus text exposition format (version 0.0.4), for node_exporter's textfile
/// collector (`apnsctl send --metrics-file`). Every sample carries the `campaign` label.
///
///     # HELP apnsctl_notifications_total Rows settled in this run, by outcome.
///     # TYPE apnsctl_notifications_total counter
///     apnsctl_notifications_total{campaign="weekly",outcome="delivered"} 99000
///     ...
///
/// Pure: the caller supplies the numbers and the time; writing the file atomically is the caller's job.
public struct PrometheusMetrics: Sendable, Equatable {
    public var campaign: String
    public var summary: RunSummary
    public var rowsRead: Int
    public var inFlight: Int
    /// False while the run goes on (periodic writes), true for the final write.
    public var finished: Bool
    /// The process exit status, for the final write.
    public var exitStatus: Int32?
    /// When the last run of this campaign that ran to its end finished (UNIX ms): this run's end when it
    /// did, else the value an earlier run left in the file (see `lastSuccess(in:campaign:)`).
    public var lastSuccessMs: Int64?
    /// Now (UNIX ms): the duration of a run still going is measured to here.
    public var nowMs: Int64
    /// With `--resume`: the whole campaign so far (the report's rows and this run's).
    public var campaignTotals: RunSummary?
    /// The circuit breaker holds rows back (server-wide trouble).
    public var paused = false

    public init(campaign: String, summary: RunSummary, rowsRead: Int, inFlight: Int, finished: Bool,
                exitStatus: Int32? = nil, lastSuccessMs: Int64? = nil, nowMs: Int64) {
        self.campaign = campaign
        self.summary = summary
        self.rowsRead = rowsRead
        self.inFlight = inFlight
        self.finished = finished
        self.exitStatus = exitStatus
        self.lastSuccessMs = lastSuccessMs
        self.nowMs = nowMs
    }

    public func render() -> String {
        var out = ""
        let campaignLabel = "campaign=\"\(Self.escapeLabel(campaign))\""

        func family(_ name: String, _ type: String, _ help: String, _ samples: [(labels: String, value: String)]) {
            out += "# HELP \(name) \(Self.escapeHelp(help))\n# TYPE \(name) \(type)\n"
            for sample in samples {
                out += "\(name){\(campaignLabel)\(sample.labels.isEmpty ? "" : "," + sample.labels)} \(sample.value)\n"
            }
        }

        family("apnsctl_notifications_total", "counter", "Rows settled in this run, by outcome.",
               Outcome.allCases.map { ("outcome=\"\($0.rawValue)\"", String(summary.count($0))) })
        family("apnsctl_notifications_stopped_total", "counter",
               "Rows answered while this run stopped (credentials refused, wrong environment): not in the report.",
               [("", String(summary.stopped))])
        if let campaignTotals {
            family("apnsctl_campaign_notifications", "gauge",
                   "Rows the report holds for the whole campaign so far (earlier runs and this one), by outcome.",
                   Outcome.allCases.map { ("outcome=\"\($0.rawValue)\"", String(campaignTotals.count($0))) })
        }
        family("apnsctl_notification_reasons_total", "counter",
               "Rows not delivered in this run, by APNs or local reason.",
               summary.sortedReasons.map { ("reason=\"\(Self.escapeLabel($0.reason))\"", String($0.count)) }
                   + (summary.otherReasons > 0 ? [("reason=\"other\"", String(summary.otherReasons))] : []))
        family("apnsctl_responses_total", "counter", "Answers from APNs in this run, by HTTP status.",
               summary.statusCounts.sorted { $0.key < $1.key }.map { ("status=\"\($0.key)\"", String($0.value)) })
        family("apnsctl_rows_read_total", "counter", "Input rows read in this run.", [("", String(rowsRead))])
        family("apnsctl_rows_in_flight", "gauge", "Rows read but not settled yet (queued or sent, awaiting an answer).",
               [("", String(inFlight))])
        family("apnsctl_run_start_timestamp_seconds", "gauge", "When this run started, in UNIX seconds.",
               [("", Self.seconds(summary.startedAtMs))])
        let end = finished ? (summary.endedAtMs ?? nowMs) : nowMs
        family("apnsctl_run_duration_seconds", "gauge", "How long this run has taken so far, or took.",
               [("", Self.decimal(Double(Swift.max(0, end - summary.startedAtMs)) / 1000, digits: 3))])
        family("apnsctl_run_finished", "gauge", "1 once this run has ended, 0 while it goes on.",
               [("", finished ? "1" : "0")])
        if let exitStatus {
            family("apnsctl_exit_status", "gauge", "The exit status of this run (0 every row settled, 1 some "
                   + "not, 2 usage, 3 fatal, 130/143 interrupted).", [("", String(exitStatus))])
        }
        if let lastSuccessMs {
            family("apnsctl_last_success_timestamp_seconds", "gauge",
                   "When a run of this campaign last read its input to the end without a fatal error, in UNIX seconds.",
                   [("", Self.seconds(lastSuccessMs))])
        }
        family("apnsctl_connections_opened_total", "counter", "HTTP/2 connections opened in this run.",
               [("", String(summary.connectionsOpened))])
        family("apnsctl_reconnects_total", "counter", "Connections opened again after one ended or failed, in this run.",
               [("", String(summary.reconnects))])
        family("apnsctl_circuit_open", "gauge", "1 while sending is paused for server-wide trouble (circuit breaker).",
               [("", paused ? "1" : "0")])
        family("apnsctl_goaways_total", "counter", "GOAWAY frames received in this run.", [("", String(summary.goAways))])
        var latency: [(labels: String, value: String)] = []
        if summary.latency.count > 0 {
            for (quantile, p) in [("0.5", 50.0), ("0.9", 90.0), ("0.99", 99.0)] {
                latency.append(("quantile=\"\(quantile)\"", Self.decimal((summary.latency.percentile(p) ?? 0) / 1000, digits: 6)))
            }
        }
        family("apnsctl_request_latency_seconds", "summary", "Time from sending a request to its answer.", latency)
        out += "apnsctl_request_latency_seconds_sum{\(campaignLabel)} "
            + Self.decimal(Double(summary.latency.sumMicros) / 1_000_000, digits: 6) + "\n"
        out += "apnsctl_request_latency_seconds_count{\(campaignLabel)} \(summary.latency.count)\n"
        return out
    }

    /// The `apnsctl_last_success_timestamp_seconds` an earlier run wrote for `campaign` into a metrics file
    /// (UNIX ms), so a failed run keeps reporting the last good one.
    public static func lastSuccess(in text: String, campaign: String) -> Int64? {
        let prefix = "apnsctl_last_success_timestamp_seconds{campaign=\"\(escapeLabel(campaign))\"} "
        for line in text.split(separator: "\n") where line.hasPrefix(prefix) {
            guard let seconds = Double(line.dropFirst(prefix.count)), seconds.isFinite, seconds >= 0 else { return nil }
            return Int64((seconds * 1000).rounded())
        }
        return nil
    }

    /// Label values: `\` → `\\`, `"` → `\"`, newline → `\n`.
    public static func escapeLabel(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// HELP text: `\` → `\\`, newline → `\n`.
    static func escapeHelp(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func seconds(_ ms: Int64) -> String { decimal(Double(ms) / 1000, digits: 3) }

    static func decimal(_ value: Double, digits: Int) -> String {
        var text: [UInt8] = []
        DecimalText.appendDecimal(value, maxFractionDigits: digits, to: &text)
        return String(decoding: text, as: UTF8.self)
    }
}
