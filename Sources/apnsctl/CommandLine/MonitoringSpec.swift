/// `send` options for watching a run: the progress line, the JSON summary, Prometheus metrics and the
/// format of `-v` events. Kept apart from the delivery options so the table merges easily.
enum ProgressMode: String, Sendable, CaseIterable {
    /// On when stderr is a terminal (and not `--quiet`).
    case auto
    /// On even when stderr is not a terminal (not with `--quiet`).
    case always
    case never
}

/// `--log-format`: how `-v` events are written to stderr.
enum LogFormat: String, Sendable, CaseIterable {
    case text, json
}

enum MonitoringDefaults {
    static let progress = ProgressMode.auto
    static let logFormat = LogFormat.text
    /// Seconds between rewrites of `--metrics-file` during a run.
    static let metricsIntervalSeconds = 10
}

extension OptionSpec.Send {
    static let progress = OptionSpec(
        "progress", value: "WHEN", category: .monitoring,
        summary: "Show a live progress line on stderr: auto (on a terminal), always or never",
        longHelp: ["The line shows rows read (with the total or a percentage when known), delivered, rejected, "
            + "failed, in flight, the current rate and an estimate of the time left; it is redrawn at most four "
            + "times a second and erased before the summary. auto draws it only when stderr is a terminal. "
            + "--quiet turns it off. No colour is used, so NO_COLOR has nothing to turn off."],
        defaultText: MonitoringDefaults.progress.rawValue,
        completion: .choices(ProgressMode.allCases.map(\.rawValue)))
    static let summaryJSON = OptionSpec(
        "summary-json", value: "FILE", category: .monitoring,
        summary: "Also write the end-of-run summary as a JSON object to FILE",
        longHelp: ["The same facts as the summary on stderr (elapsed time, rate, counts per outcome, status and "
            + "reason, latency percentiles, connections and GOAWAYs), plus the exit status; written even with "
            + "--quiet. - writes it to stdout, which then must not also carry the report."],
        completion: .file)
    static let metricsFile = OptionSpec(
        "metrics-file", value: "FILE", category: .monitoring,
        summary: "Write Prometheus metrics to FILE, for node_exporter's textfile collector",
        longHelp: ["Written atomically (a temporary file in the same directory, then a rename) every "
            + "\(MonitoringDefaults.metricsIntervalSeconds) seconds during the run and once at its end. Name it "
            + "*.prom inside the collector's directory. See METRICS."],
        completion: .file)
    static let campaign = OptionSpec(
        "campaign", value: "NAME", category: .monitoring,
        summary: "The campaign label of the metrics",
        longHelp: ["Left out, the --input file name without directories and extensions (weekly.csv.gz gives "
            + "weekly), or devices with --device, or stdin."],
        defaultText: "from the input file name")
    static let logFormat = OptionSpec(
        "log-format", value: "FORMAT", category: .monitoring,
        summary: "Format of the --verbose events on stderr: text or json",
        longHelp: ["json writes one object per line with time (RFC 3339), level, event and the event's fields, "
            + "for log shippers. Events never carry a secret."],
        defaultText: MonitoringDefaults.logFormat.rawValue,
        completion: .choices(LogFormat.allCases.map(\.rawValue)))
}

/// The campaign name used when `--campaign` is left out: the input's file name without directories and
/// extensions (`/data/weekly-2024.csv.gz` → `weekly-2024`); `stdin` for `-`; `devices` for `--device`.
func defaultCampaignName(input: String?) -> String {
    guard let input else { return "devices" }
    if input == "-" { return "stdin" }
    var name = Substring(input)
    if let slash = name.lastIndex(of: "/") { name = name[name.index(after: slash)...] }
    for suffix in [".gz", ".csv", ".jsonl", ".ndjson", ".json"] where name.lowercased().hasSuffix(suffix) {
        name = name.dropLast(suffix.count)
        if suffix == ".gz" { continue }
        break
    }
    return name.isEmpty ? "campaign" : String(name)
}
