import PushCore

/// Defaults of `apnsctl send`; the parser and the help text both read them from here.
enum SendDefaults {
    static let tokenField = "token"
    static let concurrency = 100
    static let concurrencyRange = 1...100_000
    static let connections = 1
    static let connectionsRange = 1...64
    static let environment = APNsEnvironment.sandbox
    /// Per-request deadline and the connect give-up time, in milliseconds.
    static let timeoutMs = 30_000
    static let connectTimeoutMs = 10_000
    static let pauseMaxMs = CircuitBreaker.defaultMaxPauseMs
    static let gracePeriodMs = 10_000
    static let retries = RetryPolicy.defaultRetries
    static let retriesRange = 0...100
    static let rateRange = 1...1_000_000
    /// `--report` when only `--device` tokens are given: stdout.
    static let deviceReport = "-"
}

extension OptionSpec {
    enum Send {
        // Recipients
        static let input = OptionSpec(
            "input", short: "i", value: "FILE", category: .recipients,
            summary: "Read recipients from a CSV or JSONL file (- for stdin)",
            longHelp: ["One notification per row. Give --input or --device, not both. gzip-compressed input "
                + "(FILE.csv.gz, or any file or stdin starting with the gzip magic bytes) is decompressed as it is "
                + "read. See INPUT FORMAT for what a row may carry."],
            completion: .file)
        static let format = OptionSpec(
            "format", value: "FORMAT", category: .recipients,
            summary: "Format of --input: csv or jsonl",
            longHelp: ["When left out, taken from the file name (.csv; .jsonl, .ndjson, .json; "
                + "a .gz suffix is looked through), and for stdin or other names from the first byte "
                + "(an opening brace means jsonl)."],
            defaultText: "from the file name or contents",
            completion: .choices(InputFormatChoice.allCases.map(\.rawValue)))
        static let tokenField = OptionSpec(
            "token-field", value: "NAME", category: .recipients,
            summary: "Column or key of --input that holds the device token",
            defaultText: SendDefaults.tokenField)
        static let device = OptionSpec(
            "device", short: "d", value: "TOKEN", category: .recipients,
            summary: "Send to this device token instead of reading --input (repeatable)",
            longHelp: ["Each token is one recipient; its report line is its position (1, 2, 3...). "
                + "Needs --template or --payload."],
            repeatable: true)
        // Payload
        static let template = OptionSpec(
            "template", value: "FILE", category: .payload,
            summary: "Read the payload template from FILE",
            longHelp: ["A JSON document with {{field}} placeholders filled from each row; see TEMPLATES."],
            completion: .file)
        static let payload = OptionSpec(
            "payload", value: "JSON", category: .payload,
            summary: "Use JSON text as the payload template",
            longHelp: ["Same rules as --template, given inline. Not together with --template."])
        // Headers
        static let topic = OptionSpec(
            "topic", value: "TOPIC", category: .headers,
            summary: "The app's topic: its bundle ID",
            longHelp: ["Required with --key. With --cert it defaults to the certificate's bundle ID (its subject UID). "
                + "The suffix a push type needs (.voip, .push-type.liveactivity, .complication...) is "
                + "added to a bare bundle ID; a topic whose suffix belongs to another push type is refused. "
                + "A row's topic field overrides it."],
            defaultText: "the bundle ID of --cert",
            environmentVariable: "APNSCTL_TOPIC", inConfigFile: true)
        static let pushType = OptionSpec(
            "push-type", value: "TYPE", category: .headers,
            summary: "The apns-push-type of every notification",
            longHelp: ["A row's push_type field overrides it. Left out, the push type is inferred from the payload "
                + "and sent on every request: liveactivity when aps has event, alert when it has alert, sound or "
                + "badge, background (priority 5) when it has only content-available; a payload that fits none is not "
                + "sent without it. The report's push_type column says which was sent. Checked per type: location needs --key and priority 5 or 10, liveactivity priority 5 or 10 and "
                + "a valid Live Activity payload, widgets and controls \"content-changed\": true."],
            completion: .choices(PushType.known.map(\.rawValue)), inConfigFile: true)
        static let priority = OptionSpec(
            "priority", value: "N", category: .headers,
            summary: "Delivery priority: 10 now, 5 power-considerate, 1 power-first",
            longHelp: ["Left out, the header is not sent and APNs uses 10. A row's priority field overrides it."],
            completion: .choices(["10", "5", "1"]), inConfigFile: true)
        static let expiration = OptionSpec(
            "expiration", value: "TIME", category: .headers,
            summary: "Keep retrying delivery until this time; 0 means try once",
            longHelp: ["TIME is a UNIX time, an RFC 3339 time (2026-12-05T18:00:00Z), or a duration from when each "
                + "request is sent (30s, 15m, 1h, 2d; a retried row gets a later expiration). A time in the past and "
                + "a small number that looks like a duration (3600) are refused. Left out, APNs applies its own "
                + "storage policy. A row's expiration field overrides it and takes the same forms."])
        static let contentStateSchema = OptionSpec(
            "content-state-schema", value: "FILE", category: .payload,
            summary: "Refuse Live Activity rows whose content-state the app could not decode",
            longHelp: ["FILE is a JSON object of the app's ContentState keys and their JSON types: string, number, "
                + "integer, boolean, object or array, with a ? at the end for an optional key, e.g. "
                + "{\"score\": \"integer\", \"note\": \"string?\"}. A liveactivity row whose content-state misses a "
                + "key or has a value of another type is invalid before anything is sent (APNs would accept it and "
                + "the app would drop it)."],
            completion: .file)
        static let collapseID = OptionSpec(
            "collapse-id", value: "ID", category: .headers,
            summary: "Collapse notifications that share this ID into one on the device")
        // Credentials
        static let key = OptionSpec(
            "key", value: "FILE", category: .credentials,
            summary: "The .p8 signing key (AuthKey_KEYID.p8) for provider tokens",
            longHelp: ["FILE may also be the key itself, as CI systems hand secrets over: PEM text (-----BEGIN "
                + "PRIVATE KEY-----...) or the base64 of the .p8 file; - reads it from standard input. The key never "
                + "appears in output or error messages. A key file readable by group or others gets a warning."],
            completion: .file, environmentVariable: "APNSCTL_KEY", inConfigFile: true)
        static let keyEnv = OptionSpec(
            "key-env", value: "NAME", category: .credentials,
            summary: "Take --key from the environment variable NAME (its content or a file name)",
            longHelp: ["For CI systems that store the key under a name of their own. Instead of --key."])
        static let keyID = OptionSpec(
            "key-id", value: "ID", category: .credentials,
            summary: "The 10-character key ID of --key",
            environmentVariable: "APNSCTL_KEY_ID", inConfigFile: true)
        static let teamID = OptionSpec(
            "team-id", value: "ID", category: .credentials,
            summary: "The 10-character Apple Developer team ID",
            environmentVariable: "APNSCTL_TEAM_ID", inConfigFile: true)
        static let cert = OptionSpec(
            "cert", value: "FILE", category: .credentials,
            summary: "Authenticate with this APNs certificate (.p12 or PEM) instead of --key",
            longHelp: ["Certificate authentication: the certificate is presented in the TLS handshake and requests "
                + "carry no authorization header; --key, --key-id and --team-id are not used. FILE is PKCS#12 "
                + "(.p12, .pfx: modern AES exports and legacy RC2/3DES ones), PEM holding the certificate and its key "
                + "(PKCS#1 or PKCS#8, encrypted or not), or a certificate alone (PEM or DER .cer) with --cert-key. "
                + "The password comes from --cert-password-file or APNSCTL_CERT_PASSWORD, never from the command "
                + "line. A warning is printed when the certificate expires within 30 days. FILE may also be the "
                + "certificate itself: PEM text, or the base64 of a .p12 or .cer file; - reads it from standard input."],
            completion: .file, environmentVariable: "APNSCTL_CERT", inConfigFile: true)
        static let certEnv = OptionSpec(
            "cert-env", value: "NAME", category: .credentials,
            summary: "Take --cert from the environment variable NAME (its content or a file name)",
            longHelp: ["For CI systems that store the certificate under a name of their own. Instead of --cert."])
        static let certKey = OptionSpec(
            "cert-key", value: "FILE", category: .credentials,
            summary: "The private key of --cert, when it is in a PEM file of its own",
            completion: .file)
        static let certPasswordFile = OptionSpec(
            "cert-password-file", value: "FILE", category: .credentials,
            summary: "Read the password of --cert or --cert-key from the first line of FILE",
            longHelp: ["Without it, the password is taken from APNSCTL_CERT_PASSWORD; without either, the file must "
                + "not be encrypted. A .p12 exported with an empty password needs neither."],
            completion: .file)
        // Connection
        static let environment = OptionSpec(
            "environment", value: "ENV", category: .connection,
            summary: "The APNs service: sandbox (development builds) or production",
            longHelp: ["production is for App Store, TestFlight and ad-hoc builds. A device token belongs to one "
                + "of the two; sent to the other it is answered BadDeviceToken."],
            defaultText: SendDefaults.environment.rawValue,
            completion: .choices(APNsEnvironment.allCases.map(\.rawValue)),
            environmentVariable: "APNSCTL_ENVIRONMENT", inConfigFile: true)
        static let production = OptionSpec(
            "production", category: .connection,
            summary: "Send to the production service: the same as --environment production")
        static let sandbox = OptionSpec(
            "sandbox", category: .connection,
            summary: "Send to the sandbox service: the same as --environment sandbox")
        static let endpoint = OptionSpec(
            "endpoint", value: "HOST[:PORT]", category: .connection,
            summary: "Connect here instead of Apple's host (a mock, a proxy); port 443 if left out",
            longHelp: ["An IPv6 address goes in brackets: [::1]:2197."],
            inConfigFile: true)
        static let proxy = OptionSpec(
            "proxy", value: "URL", category: .connection,
            summary: "Tunnel to APNs through this HTTP proxy: http://[user:password@]host[:port]",
            longHelp: ["Each connection asks the proxy to CONNECT to the APNs host; TLS runs end to end through the "
                + "tunnel. A user and password in the URL are sent as basic authentication (percent-encode special "
                + "characters) and shown as *** in messages; to keep them out of the process list, set HTTPS_PROXY "
                + "instead. Without --proxy, HTTPS_PROXY or https_proxy is used unless NO_PROXY or no_proxy names "
                + "the APNs host (a comma-separated list of host names or domain suffixes, * for all) or the host is "
                + "on this machine. An empty URL (--proxy '') connects directly whatever the environment says."],
            defaultText: "HTTPS_PROXY, if set")
        static let caFile = OptionSpec(
            "ca-file", value: "PEM", category: .connection,
            summary: "Trust the CA certificates in this PEM file instead of the system's",
            completion: .file, inConfigFile: true)
        static let concurrency = OptionSpec(
            "concurrency", short: "c", value: "N", category: .connection,
            summary: "Requests in flight at once, spread over the connections",
            longHelp: ["Between \(SendDefaults.concurrencyRange.lowerBound) and "
                + "\(SendDefaults.concurrencyRange.upperBound). Each connection also keeps "
                + "within the stream limit the server announces."],
            defaultText: String(SendDefaults.concurrency),
            inConfigFile: true)
        static let connections = OptionSpec(
            "connections", value: "N", category: .connection,
            summary: "HTTP/2 connections to open",
            longHelp: ["Between \(SendDefaults.connectionsRange.lowerBound) and "
                + "\(SendDefaults.connectionsRange.upperBound)."],
            defaultText: String(SendDefaults.connections),
            inConfigFile: true)
        static let timeout = OptionSpec(
            "timeout", value: "DURATION", category: .connection,
            summary: "Give up on a request that has no answer after DURATION",
            longHelp: ["The row is reported failed with reason Timeout and the stream is cancelled. "
                + "DURATION is a number with a unit: 500ms, 30s, 5m (a bare number is seconds)."],
            defaultText: DurationText.format(milliseconds: SendDefaults.timeoutMs),
            inConfigFile: true)
        static let connectTimeout = OptionSpec(
            "connect-timeout", value: "DURATION", category: .connection,
            summary: "Stop (exit 3) when no connection can be made for DURATION",
            longHelp: ["Connection attempts are retried with exponential back-off until then. "
                + "A failed certificate check, a server without HTTP/2 or a proxy refusing the tunnel (4xx) "
                + "stops at once."],
            defaultText: DurationText.format(milliseconds: SendDefaults.connectTimeoutMs),
            inConfigFile: true)
        static let pauseMax = OptionSpec(
            "pause-max", value: "DURATION", category: .connection,
            summary: "Longest pause of the circuit breaker during server-wide trouble",
            longHelp: ["When most recent answers are 500, 503 or no answer at all, apnsctl stops taking rows, pauses "
                + "5s, then probes with a few requests; each failed probe doubles the pause, up to DURATION. Rows "
                + "waiting meanwhile keep their retries. The pause shows on the progress line, in -v, in the summary "
                + "and as the apnsctl_circuit_open metric."],
            defaultText: DurationText.format(milliseconds: SendDefaults.pauseMaxMs),
            inConfigFile: true)
        static let gracePeriod = OptionSpec(
            "grace-period", value: "DURATION", category: .connection,
            summary: "After SIGINT or SIGTERM, wait this long for requests in flight",
            longHelp: ["The first signal stops reading and sending; answers that arrive within DURATION are "
                + "reported. Requests still unanswered then are left out of the report (--resume sends them "
                + "again). A second signal ends apnsctl at once."],
            defaultText: DurationText.format(milliseconds: SendDefaults.gracePeriodMs),
            inConfigFile: true)
        static let retries = OptionSpec(
            "retries", value: "N", category: .connection,
            summary: "Resend a row up to N more times after a transient failure",
            longHelp: ["Retried: 429 TooManyRequests and TooManyProviderTokenUpdates, 500, 503 (Shutdown and "
                + "IdleTimeout on a new connection), a lost connection and --timeout, with exponential back-off and "
                + "full jitter (ceilings 1s, 2s, 4s ... 60s) or the server's retry-after. A row waiting to be "
                + "retried holds no stream. ExpiredProviderToken gets a new token and is resent at once. "
                + "Everything else is final. Requests refused unprocessed after a GOAWAY are resent without "
                + "counting. 0 turns retries off."],
            defaultText: String(SendDefaults.retries),
            inConfigFile: true)
        static let rate = OptionSpec(
            "rate", value: "N", category: .connection,
            summary: "Send at most N notifications per second, evenly spread",
            longHelp: ["A token bucket shared by all connections, holding 1/20 s worth: no bursts at second "
                + "boundaries."],
            defaultText: "no limit",
            inConfigFile: true)
        // Report
        static let report = OptionSpec(
            "report", short: "r", value: "FILE", category: .report,
            summary: "Write one report line per row to FILE (- for stdout)",
            longHelp: ["Required with --input. A name ending in .gz is written gzip-compressed, flushed in whole "
                + "lines so that a run killed at any moment leaves a readable file. See REPORT FORMAT."],
            defaultText: "- with --device",
            completion: .file)
        static let reportFormat = OptionSpec(
            "report-format", value: "FORMAT", category: .report,
            summary: "Format of the report: jsonl or csv",
            defaultText: "csv when FILE ends in .csv or .csv.gz, else jsonl",
            completion: .choices(ReportFormatChoice.allCases.map(\.rawValue)))
        static let fileMode = OptionSpec(
            "file-mode", value: "MODE", category: .report,
            summary: "Permissions (octal) of the files apnsctl creates: report, prune list, summary, metrics",
            longHelp: ["They hold device tokens, which are personal data: by default only you may read them. The "
                + "umask still applies; a file that exists keeps its permissions."],
            defaultText: "600")
    }
}

extension CommandSpec {
    static let send = CommandSpec(
        name: "send",
        summary: "Send a notification to each recipient and write a per-row report",
        synopsis: [
            "(--input FILE [--format csv|jsonl] [--token-field NAME]",
            " | --device TOKEN...)",
            "[--template FILE | --payload JSON]",
            "[--topic TOPIC] [--push-type TYPE] [--priority 10|5|1]",
            "[--expiration TIME] [--collapse-id ID]",
            "[--content-state-schema FILE]",
            "((--key FILE | --key-env NAME) --key-id ID --team-id ID",
            " | (--cert FILE | --cert-env NAME) [--cert-key FILE]",
            "   [--cert-password-file FILE])",
            "[--environment ENV | --production | --sandbox]",
            "[--endpoint HOST[:PORT]] [--proxy URL] [--ca-file PEM]",
            "[--concurrency N] [--connections N]",
            "[--timeout DURATION] [--connect-timeout DURATION]",
            "[--pause-max DURATION] [--grace-period DURATION]",
            "[--retries N] [--rate N]",
            "[--report FILE] [--report-format jsonl|csv]",
            "[--file-mode MODE]",
            "[--progress auto|always|never] [--summary-json FILE]",
            "[--metrics-file FILE] [--campaign NAME]",
            "[--log-format text|json]",
            "[--config FILE] [--profile NAME]",
        ] + campaignSynopsis(dryRun: true) + [
            "[--verbose] [--quiet]",
        ],
        description: [
            "Reads recipients from --input (CSV or JSONL, streamed) or from --device tokens, renders each row's "
                + "payload from the template, sends the notifications to APNs over HTTP/2 with token "
                + "authentication (--key) or certificate authentication (--cert), and writes one report line per "
                + "row as it settles.",
            "Transient failures (429, 500, 503, a lost connection, no answer within --timeout) are retried "
                + "with back-off up to --retries times; requests a server refused unprocessed (GOAWAY) are sent "
                + "again on a new connection. Credentials APNs refuses stop the run early. The exit status says "
                + "whether every row was delivered.",
        ],
        operand: nil,
        options: [
            Send.input, Send.format, Send.tokenField, Send.device,
            Send.template, Send.payload, Send.contentStateSchema,
            Send.topic, Send.pushType, Send.priority, Send.expiration, Send.collapseID,
            Send.key, Send.keyEnv, Send.keyID, Send.teamID, Send.cert, Send.certEnv, Send.certKey, Send.certPasswordFile,
            Send.environment, Send.production, Send.sandbox, Send.endpoint, Send.proxy, Send.caFile,
            Send.concurrency, Send.connections,
            Send.timeout, Send.connectTimeout, Send.pauseMax, Send.gracePeriod, Send.retries, Send.rate,
            Send.report, Send.reportFormat, Send.fileMode,
            Send.progress, Send.summaryJSON, Send.metricsFile, Send.campaign, Send.logFormat,
            .config, .profile,
            OptionSpec.Campaign.dryRun,
        ] + OptionSpec.Campaign.shared + [
            .verbose, .quiet, .help,
        ],
        examples: [
            CommandExample(
                description: "A CSV campaign: a template filled from each row, a .p8 key, production, a CSV report.",
                command: """
                    apnsctl send --input recipients.csv --template payload.json \\
                        --topic com.example.app --push-type alert \\
                        --key AuthKey_ABC123DEFG.p8 --key-id ABC123DEFG --team-id DEF123GHIJ \\
                        --production --report report.csv
                    """),
            CommandExample(
                description: "One test device, report on stdout, rows that did not arrive listed with jq.",
                command: """
                    apnsctl send --device "$TEST_DEVICE_TOKEN" \\
                        --payload '{"aps":{"alert":"Hello"}}' --topic com.example.app \\
                        --key AuthKey_ABC123DEFG.p8 --key-id ABC123DEFG --team-id DEF123GHIJ \\
                        | jq -c 'select(.outcome != "delivered")'
                    """),
            CommandExample(
                description: "Certificate authentication through a proxy: the topic is the certificate's bundle ID, "
                    + "the .p12 password is read from a file.",
                command: """
                    apnsctl send --input recipients.csv --template payload.json \\
                        --cert push.p12 --cert-password-file ~/.config/apnsctl/p12-password \\
                        --production --proxy http://proxy.example.com:3128 --report report.jsonl
                    """),
            CommandExample(
                description: "A weekly campaign from cron. The crontab line runs a script (where % needs no "
                    + "escaping); the script takes credentials, topic and environment from the config file's "
                    + "prod-app profile, prints nothing but errors, writes metrics for node_exporter's textfile "
                    + "collector and the summary as JSON next to the report. With --resume, a run that was "
                    + "interrupted or crashed is simply started again: rows already in the day's report are not "
                    + "pushed twice, and a run still going when the next one starts makes that one exit 3 at once "
                    + "(the report is locked). The exit status is 0 when every row has APNs' final answer, stale "
                    + "tokens included.",
                command: """
                    # crontab:  0 9 * * MON  $HOME/bin/weekly-push
                    day=$(date +%F)
                    apnsctl send --profile prod-app --quiet --resume \\
                        --input /srv/push/weekly.csv --template /srv/push/weekly.json \\
                        --report /srv/push/reports/weekly-$day.csv \\
                        --summary-json /srv/push/reports/weekly-$day.json \\
                        --metrics-file /var/lib/node_exporter/textfile/apnsctl-weekly.prom \\
                        --campaign weekly
                    """),
            CommandExample(
                description: "Update a Live Activity: its push token, the liveactivity push type and topic suffix, "
                    + "a payload with the current time.",
                command: """
                    apnsctl send --profile prod-app --device "$ACTIVITY_PUSH_TOKEN" \\
                        --push-type liveactivity \\
                        --topic com.example.app.push-type.liveactivity \\
                        --payload '{"aps":{"timestamp":'"$(date +%s)"',"event":"update",
                                   "content-state":{"home":2,"away":1}}}'
                    """),
        ])
}

private typealias Send = OptionSpec.Send
