import PushCore

/// Man page prose for running apnsctl unattended: the summary, the metrics, the config file.
extension ManPageProse {
    static let summaryAndMetrics = DocSection(title: "PROGRESS, SUMMARY AND METRICS", blocks: [
        .paragraph("On a terminal, `apnsctl send` keeps one progress line on stderr, redrawn at most four times a "
            + "second: rows read (out of the total for `--device`, with the share of the file read for a file; "
            + "stdin has no total), rows delivered, rejected and failed, requests in flight, the rate over the last "
            + "second and the estimated time left. Parts are left out rather than let the line wrap. The line is "
            + "erased before the summary. It is off when stderr is not a terminal, with `--quiet` and with "
            + "`--progress never`. apnsctl uses no colour."),
        .paragraph("At the end, unless `--quiet`, a summary goes to stderr. Its lines keep their order and "
            + "wording, so scripts may grep them:"),
        .literal("""
            apnsctl: sent to api.push.apple.com:443 in 12.34s, 8103.2 rows/s, 4 connections
            rows: 100000 total, 99000 delivered, 700 rejected, 200 failed, 100 invalid
            statuses: 99000 200, 500 400, 200 410
            reasons: 500 BadDeviceToken, 200 Unregistered, 200 ConnectionLost, 100 invalid token
            latency: p50 12.1ms, p90 20.3ms, p99 48.0ms, max 120.5ms
            connections: 4 opened, 1 GOAWAY
            """),
        .paragraph("`--summary-json FILE` writes the same facts as one JSON object: endpoint, started_at, ended_at, "
            + "elapsed_seconds, rows_per_second, rows (total and per outcome), statuses, reasons, other_reasons, "
            + "latency_ms (p50, p90, p99, max; null when nothing was answered), connections_opened, goaways, "
            + "campaign, exit_status and version (the line `apnsctl --version` prints: which build sent the "
            + "campaign)."),
        .paragraph("`--metrics-file FILE` writes Prometheus text format for node_exporter's textfile collector, "
            + "replacing the file atomically when the run starts, every "
            + "\(MonitoringDefaults.metricsIntervalSeconds) seconds and at the end. Every sample has the "
            + "label campaign (`--campaign`). The metrics:"),
        .definitions([
            .init("apnsctl_notifications_total{outcome}", "Rows settled, per outcome: delivered, rejected, failed, invalid."),
            .init("apnsctl_notification_reasons_total{reason}", "Rows not delivered, per reason (as in the report)."),
            .init("apnsctl_responses_total{status}", "Answers from APNs, per HTTP status."),
            .init("apnsctl_rows_read_total", "Input rows read."),
            .init("apnsctl_rows_in_flight", "Requests sent and not answered yet."),
            .init("apnsctl_run_start_timestamp_seconds, apnsctl_run_duration_seconds", "When the run started and "
                + "how long it has taken."),
            .init("apnsctl_run_finished, apnsctl_exit_status", "1 once the run has ended (0 while it goes on), "
                + "and then its exit status."),
            .init("apnsctl_last_success_timestamp_seconds", "When a run of the campaign last read its input to the "
                + "end without a fatal error or interruption (rows may still have been rejected). A run that fails "
                + "keeps the time an earlier run wrote into the file, so an alert on "
                + "`time() - apnsctl_last_success_timestamp_seconds` fires when the campaign stops completing."),
            .init("apnsctl_connections_opened_total, apnsctl_goaways_total", "HTTP/2 connections opened and GOAWAY "
                + "frames received."),
            .init("apnsctl_request_latency_seconds{quantile}", "Time from request to answer: quantiles 0.5, 0.9 and "
                + "0.99, with _sum and _count."),
        ]),
        .paragraph("Counters start from zero in each run. `-v` logs connection events (connected with TLS version "
            + "and ALPN, SETTINGS, GOAWAY with its reason, lost, closed) to stderr; with `--log-format json` each is "
            + "one object per line with time, level, event, the event's fields and message. Nothing secret is ever "
            + "logged."),
        .paragraph("A report on stdout (`--report -`) may be piped into `jq` or `head`. When the reader closes the "
            + "pipe, apnsctl stops sending, lets the requests in flight finish, prints the summary and exits with "
            + "status 1; rows that were not sent are not in the report."),
    ])

    static let configFile: [DocBlock] = [
        .paragraph("Settings are read from `--config FILE`, else from `$XDG_CONFIG_HOME/apnsctl/config`, else from "
            + "`~/.config/apnsctl/config`. The file may be missing (a file named by `--config` may not). "
            + "It holds a `[default]` section and `[profile NAME]` sections of `setting = value` lines; "
            + "`--profile NAME` selects a profile. A value is taken from, in order: the command line, the "
            + "environment, the profile, `[default]`, the built-in default. `apnsctl config show` prints the "
            + "outcome with the source of each value."),
        .paragraph("The settings are the long names of these `send` options: "
            + CommandSpec.settingOptions.map { "`\($0.long)`" }.joined(separator: ", ")
            + ". Lines starting with `#` or `;` are comments, as is the rest of a line after a `#` or `;` that "
            + "follows a space; double quotes keep such characters in a value. In path settings (`key`, "
            + "`ca-file`), `~/` is the home directory and a relative path is relative to the config file's "
            + "directory. A mistake names the file and line, and nothing is sent. There is no setting for a "
            + "secret: the key stays in its own file."),
        .literal("""
            [default]
            team-id = DEF123GHIJ
            key = ~/keys/AuthKey_ABC123DEFG.p8
            key-id = ABC123DEFG

            [profile prod-app]
            topic = com.example.app
            environment = production
            connections = 4
            concurrency = 400
            """),
    ]
}
