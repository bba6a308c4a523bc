import PushCore

/// The man page's static prose: what the option table cannot say.
enum ManPageProse {
    static let description: [DocBlock] = [
        .paragraph("`apnsctl` sends push notifications to Apple devices through the Apple Push Notification "
            + "service (APNs). `apnsctl send` reads device tokens and per-row data from a CSV or JSONL file, or "
            + "takes tokens from the command line, fills a payload template for each row, sends the notifications "
            + "over HTTP/2 with token (JWT) or certificate authentication, and writes a report with one line per row."),
        .paragraph("`apnsctl token` prints a provider token for the same key, for curl. `apnsctl config show` "
            + "prints the settings `send` would use and where each comes from: the command line, the environment "
            + "or the config file (see FILES). `apnsctl mock` runs an APNs-compatible server on a local address "
            + "for tests and CI. `apnsctl generate` prints this page and the shell completion scripts."),
        .paragraph("Data (a report written to `-`, generated files) goes to stdout; messages for people go to "
            + "stderr. Secrets are never printed, not even in an error message: the signing key is read from the "
            + "file that `--key` names, or is the value itself (PEM or base64, as CI systems hand secrets over, in "
            + "APNSCTL_KEY or the variable `--key-env` names, or on stdin with `--key -`; the same for `--cert`), a "
            + "certificate's password from the file that `--cert-password-file` names or from APNSCTL_CERT_PASSWORD, "
            + "and a proxy password is shown as ***. A secret file others may read gets a warning; core dumps are "
            + "off once credentials are loaded; files apnsctl creates are mode 0600 unless `--file-mode` says "
            + "otherwise; text from servers is printed with its control characters escaped."),
    ]

    static let inputFormat = DocSection(title: "INPUT FORMAT", blocks: [
        .paragraph("CSV input follows RFC 4180: a header row names the columns; a field may be quoted with double "
            + "quotes, a quote inside it doubled, and a quoted field may span lines. A UTF-8 byte order mark and "
            + "CRLF line ends are accepted. Column names are trimmed of surrounding spaces."),
        .paragraph("JSONL input holds one JSON object per line; blank lines are skipped. CRLF line ends are accepted."),
        .paragraph("The device token is the column (CSV) or key (JSONL) named by `--token-field`, `token` by default: "
            + "an even number of hex digits, in any case. Every other column or key is a field the template can use. "
            + "These fields, when present and not empty, override the command-line value for their row:"),
        .definitions([
            .init("payload", "The row's own payload, used instead of the template. In JSONL a JSON object, sent "
                + "exactly as written."),
            .init("topic", "The apns-topic header (`--topic`)."),
            .init("push_type", "The apns-push-type header (`--push-type`)."),
            .init("priority", "10, 5 or 1 (`--priority`)."),
            .init("expiration", "UNIX seconds; 0 means try once (`--expiration`)."),
            .init("collapse_id", "At most 64 bytes (`--collapse-id`)."),
            .init("apns_id", "A UUID sent as apns-id; APNs assigns one when it is absent."),
        ]),
        .paragraph("Report lines name the input line where the row starts, counting from 1; in CSV the header is "
            + "line 1. With `--device`, the line is the token's position among the `--device` options."),
        .paragraph("A row that cannot be read or sent (a malformed line, a bad token, a missing template field, a "
            + "payload over the size limit) is reported as invalid with the reason, and the run goes on. "
            + "`apnsctl check` applies every rule without sending:"),
        .definitions([
            .init("token", "An even number of hex digits, lowercased for sending. A token with spaces or angle "
                + "brackets (<abcd ef01>) or one that looks like base64 is refused with that hint."),
            .init("payload", "A JSON object with an `aps` dictionary or custom keys beside it, within APNs' limit: "
                + "4096 bytes, 5120 for voip."),
            .init("background", "Push type background needs priority 5 and `\"content-available\": 1` in `aps`, and "
                + "no alert, badge or sound."),
            .init("topic", "The push type's suffix (.voip, .push-type.liveactivity, .complication, "
                + ".pushkit.fileprovider, .location-query, .voip-ptt, .push-type.widgets, .push-type.controls) is "
                + "added to a bare bundle ID; a topic with another push type's suffix is refused."),
            .init("headers", "collapse_id at most 64 bytes; apns_id a UUID; expiration a non-negative integer; "
                + "priority 10, 5 or 1."),
        ]),
        .paragraph("Empty lines are ignored and not counted as rows. A line longer than 1 MiB is reported invalid "
            + "without being held in memory. Mistakes of the whole run stop it before anything is sent (exit status "
            + "2), naming the field, listing what the input has and suggesting the closest name: a CSV header "
            + "without the token column, a template placeholder or `--keep` field the header does not name (for "
            + "JSONL: that none of the first 100 rows has), no payload at all, a JSON array given as JSONL, lines "
            + "that end with a carriage return alone. A field missing from only some rows makes those rows invalid. "
            + "A gzip file is checked whole (CRC and length) before the first request."),
    ])

    static let campaigns = DocSection(title: "CAMPAIGNS", blocks: [
        .paragraph("A campaign run from cron gives the same command line every time, with `--resume`. When the "
            + "report exists, every input row it already holds (same line, same token) is left out and the rest is "
            + "sent and appended; a run interrupted at any point and resumed ends with exactly one report row per "
            + "input row. An input that changed since the report was written is refused before anything is sent. "
            + "Rows reported failed are settled too: `apnsctl report --failed` turns them into an input to send "
            + "again. With `--resume` the summary, `--summary-json` (`campaign_rows`), the metrics and the exit "
            + "status describe the whole campaign as well as this run."),
        .paragraph("One run per report: the report is locked (`REPORT.lock` beside it) for the whole run, and a "
            + "second run on it exits 3 at once naming the first one's pid and start time. Without `--resume`, a "
            + "report that already holds rows is refused (exit 2) unless `--force` starts it over."),
        .paragraph("Answers that stop the run (credentials refused, the tokens of the other environment, Forbidden "
            + "for everything) say nothing about their rows: those rows are left out of the report like rows never "
            + "sent, counted `stopped` in the summary, and `--resume` sends them once the mistake is fixed. A report "
            + "that cannot be written stops sending at once; the summary counts only rows the report holds."),
        .paragraph("The first SIGINT or SIGTERM stops reading the input; requests in flight get their answers and "
            + "their rows, the summary is printed with how many rows are left, and apnsctl exits 130 or 143. A "
            + "second signal ends it at once. Either way the report holds only whole lines."),
        .paragraph("A row that was sent is written to the report as soon as it settles, and the report is synced to "
            + "disk every second and at the end. After a crash or `kill -9`, `--resume` sends the rows that never "
            + "settled. Delivery is at least once: rows in flight at the moment of the crash may have reached the "
            + "device, and are sent again."),
        .paragraph("`--shard K/N` splits a campaign across N runs (machines, containers, a job array) that together "
            + "cover the input exactly once; `--dedupe` pushes a token that appears twice only once."),
    ])

    static let templates = DocSection(title: "TEMPLATES", blocks: [
        .paragraph("A template is a JSON object, read from the file `--template` names or given inline with "
            + "`--payload`, in which `{{field}}` placeholders are filled from each row's fields."),
        .paragraph("Inside a JSON string, `{{field}}` is replaced by the field's value escaped as JSON string "
            + "content, so quotes, backslashes and newlines in the data cannot break the payload."),
        .paragraph("A placeholder that stands alone as a JSON value, such as `\"badge\": {{badge}}` (also inside an "
            + "array), takes a JSON number, true, false or null from the row. In CSV the cell must be exactly such "
            + "a JSON literal; anything else makes the row invalid."),
        .paragraph("Spaces inside the braces are allowed (`{{ name }}`). Field names are made of letters, digits, "
            + "`_`, `.` and `-`. A row without a field its template uses is invalid: \"template field 'name' is "
            + "missing\"."),
        .paragraph("A row's own `payload` field wins over the template; without a template every row needs one. "
            + "The rendered payload must fit APNs' limit: 4096 bytes, 5120 for voip."),
        .literal(#"{"aps":{"alert":{"title":"Hi {{name}}","body":"Order {{order}} has shipped"},"badge":{{badge}}}}"#),
    ])

    static let reportFormat = DocSection(title: "REPORT FORMAT", blocks: [
        .paragraph("The report has one line per input row: a JSON object per line (jsonl), or CSV with a header "
            + "row (csv). Its fields, in column order:"),
        .definitions(ReportRow.fieldNames.map { DocBlock.Definition($0, reportField($0)) }),
        .paragraph("Fields named by `--keep` follow, copied from the input row: JSONL keys keep their JSON type "
            + "(an object or array becomes JSON text), CSV cells their text; a row without the field has null or "
            + "an empty cell."),
        .paragraph("Rows are written as they settle, not in input order: sort by `line` when order matters. "
            + "Tokens reported with reason Unregistered or ExpiredToken no longer reach a device and can be "
            + "deleted; `--prune-list` writes them to a file of their own, and `apnsctl report --prune-list` "
            + "extracts them from a report."),
    ])

    /// What each report field holds, for the man page.
    static func reportField(_ name: String) -> String {
        switch name {
        case "line": return "The input line where the row starts (for `--device`, the token's position)."
        case "token": return "The device token as the row gave it."
        case "outcome": return "delivered (APNs accepted it), rejected (APNs refused it), failed (no answer: the "
            + "connection was lost, the request timed out or the run stopped) or invalid (never sent: the row "
            + "itself is wrong). A dry run (`apnsctl check`, `send --dry-run`) reports valid (the row passed every "
            + "rule and would be sent) or invalid. With `--dedupe`, a token already seen on an earlier line is "
            + "skipped (not pushed), with the reason naming that line."
        case "status": return "The HTTP status APNs answered with; empty when there was no answer."
        case "reason": return "APNs' reason (BadDeviceToken, Unregistered, ...), a local reason (ConnectionLost, "
            + "Timeout), or for an invalid row what is wrong with it."
        case "apns_id": return "The notification's apns-id."
        case "apns_unique_id": return "The apns-unique-id APNs returns in the sandbox, for looking up delivery logs."
        case "unregistered_at": return "For a 410 answer, when the token stopped being valid, in milliseconds "
            + "since the epoch."
        case "attempts": return "How many times the notification was sent."
        case "latency_ms": return "Milliseconds from sending the last attempt to its answer."
        case "finished_at": return "When the row settled, RFC 3339 in UTC."
        case "push_type": return "The apns-push-type the row was sent with (in a dry run, would be sent with): the "
            + "row's push_type field, else --push-type, else inferred from the payload. Empty for an invalid row."
        default: return "Reported as APNs answered."
        }
    }

    /// Environment variables not tied to an option (those come from the option table).
    static let environment: [DocBlock.Definition] = [
        .init("APNSCTL_CERT_PASSWORD", "The password of `--cert` (or `--cert-key`) when `--cert-password-file` is "
            + "not given."),
        .init("HTTPS_PROXY, https_proxy", "The HTTP proxy to tunnel through when `--proxy` is not given, as "
            + "http://[user:password@]host[:port]. Not used for a host on this machine (localhost, 127.0.0.1, ::1)."),
        .init("NO_PROXY, no_proxy", "Hosts reached without the proxy of HTTPS_PROXY: a comma-separated list of host "
            + "names, domain suffixes (`apple.com` or `.apple.com` match every name under apple.com) and IP "
            + "addresses, each optionally with :PORT; `*` matches every host."),
        .init("OPENSSL_MODULES", "Where OpenSSL looks for its legacy provider (legacy.so), which opens .p12 files "
            + "encrypted with RC2 or 3DES."),
        .init("XDG_CONFIG_HOME, HOME", "Where the config file is looked for: `$XDG_CONFIG_HOME/apnsctl/config`, "
            + "else `$HOME/.config/apnsctl/config`."),
        .init("COLUMNS", "The width of the progress line when the terminal does not say."),
        .init("NO_COLOR", "Respected: apnsctl never writes colour."),
        .init("SSL_CERT_FILE, SSL_CERT_DIR", "Where OpenSSL looks for trusted CA certificates when `--ca-file` "
            + "is not given."),
    ]

    static let files = DocSection(title: "FILES", blocks: [
        .definitions([
            .init("~/.config/apnsctl/config", "The config file (`$XDG_CONFIG_HOME/apnsctl/config` when "
                + "XDG_CONFIG_HOME is set), described below."),
            .init("AuthKey_KEYID.p8", "The signing key for provider tokens, downloaded once from the Apple "
                + "Developer site; the key ID is in its name. Keep it readable by you alone."),
            .init("cert.p12", "An APNs certificate with its private key, exported from Keychain Access (`--cert`). "
                + "Its subject UID is the app's bundle ID, the default topic. Apple's certificates are valid for a "
                + "year."),
            .init("/usr/share/bash-completion/completions/apnsctl", "Bash completions (`apnsctl generate bash`)."),
            .init("/usr/share/zsh/vendor-completions/_apnsctl", "Zsh completions (`apnsctl generate zsh`)."),
            .init("/usr/share/fish/vendor_completions.d/apnsctl.fish", "Fish completions (`apnsctl generate fish`)."),
        ]),
    ] + configFile)

    static let seeAlso = DocSection(title: "SEE ALSO", blocks: [
        .paragraph("`jq`(1), `openssl`(1), `curl`(1). Apple's documentation: \"Sending notification requests to APNs\", "
            + "\"Handling notification responses from APNs\", \"Establishing a token-based connection to APNs\"."),
    ])
}
