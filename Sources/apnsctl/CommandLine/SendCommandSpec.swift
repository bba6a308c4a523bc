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
            longHelp: ["The suffix a push type needs (.voip, .push-type.liveactivity, .complication...) is "
                + "added to a bare bundle ID; a topic whose suffix belongs to another push type is refused. "
                + "A row's topic field overrides it."])
        static let pushType = OptionSpec(
            "push-type", value: "TYPE", category: .headers,
            summary: "The apns-push-type of every notification",
            longHelp: ["A row's push_type field overrides it."],
            completion: .choices(PushType.known.map(\.rawValue)))
        static let priority = OptionSpec(
            "priority", value: "N", category: .headers,
            summary: "Delivery priority: 10 now, 5 power-considerate, 1 power-first",
            longHelp: ["Left out, the header is not sent and APNs uses 10. A row's priority field overrides it."],
            completion: .choices(["10", "5", "1"]))
        static let expiration = OptionSpec(
            "expiration", value: "UNIX-SECONDS", category: .headers,
            summary: "Keep retrying delivery until this time; 0 means try once",
            longHelp: ["Left out, APNs applies its own storage policy. A row's expiration field overrides it."])
        static let collapseID = OptionSpec(
            "collapse-id", value: "ID", category: .headers,
            summary: "Collapse notifications that share this ID into one on the device")
        // Credentials
        static let key = OptionSpec(
            "key", value: "FILE", category: .credentials,
            summary: "The .p8 signing key (AuthKey_KEYID.p8) for provider tokens",
            longHelp: ["The key never appears in output or error messages."],
            completion: .file, environmentVariable: "APNSCTL_KEY")
        static let keyID = OptionSpec(
            "key-id", value: "ID", category: .credentials,
            summary: "The 10-character key ID of --key",
            environmentVariable: "APNSCTL_KEY_ID")
        static let teamID = OptionSpec(
            "team-id", value: "ID", category: .credentials,
            summary: "The 10-character Apple Developer team ID",
            environmentVariable: "APNSCTL_TEAM_ID")
        // Connection
        static let production = OptionSpec(
            "production", category: .connection,
            summary: "Send to the production service (App Store, TestFlight, ad-hoc builds)")
        static let sandbox = OptionSpec(
            "sandbox", category: .connection,
            summary: "Send to the sandbox service (development builds)",
            defaultText: "on, unless --production")
        static let endpoint = OptionSpec(
            "endpoint", value: "HOST[:PORT]", category: .connection,
            summary: "Connect here instead of Apple's host (a mock, a proxy); port 443 if left out",
            longHelp: ["An IPv6 address goes in brackets: [::1]:2197."])
        static let caFile = OptionSpec(
            "ca-file", value: "PEM", category: .connection,
            summary: "Trust the CA certificates in this PEM file instead of the system's",
            completion: .file)
        static let concurrency = OptionSpec(
            "concurrency", short: "c", value: "N", category: .connection,
            summary: "Requests in flight at once, spread over the connections",
            longHelp: ["Between \(SendDefaults.concurrencyRange.lowerBound) and "
                + "\(SendDefaults.concurrencyRange.upperBound). Each connection also keeps "
                + "within the stream limit the server announces."],
            defaultText: String(SendDefaults.concurrency))
        static let connections = OptionSpec(
            "connections", value: "N", category: .connection,
            summary: "HTTP/2 connections to open",
            longHelp: ["Between \(SendDefaults.connectionsRange.lowerBound) and "
                + "\(SendDefaults.connectionsRange.upperBound)."],
            defaultText: String(SendDefaults.connections))
        static let timeout = OptionSpec(
            "timeout", value: "DURATION", category: .connection,
            summary: "Give up on a request that has no answer after DURATION",
            longHelp: ["The row is reported failed with reason Timeout and the stream is cancelled. "
                + "DURATION is a number with a unit: 500ms, 30s, 5m (a bare number is seconds)."],
            defaultText: DurationText.format(milliseconds: SendDefaults.timeoutMs))
        static let connectTimeout = OptionSpec(
            "connect-timeout", value: "DURATION", category: .connection,
            summary: "Stop (exit 3) when no connection can be made for DURATION",
            longHelp: ["Connection attempts are retried with exponential back-off until then. "
                + "A failed certificate check or a server without HTTP/2 stops at once."],
            defaultText: DurationText.format(milliseconds: SendDefaults.connectTimeoutMs))
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
            "--topic TOPIC [--push-type TYPE] [--priority 10|5|1]",
            "[--expiration UNIX-SECONDS] [--collapse-id ID]",
            "--key FILE --key-id ID --team-id ID",
            "[--production | --sandbox] [--endpoint HOST[:PORT]]",
            "[--ca-file PEM] [--concurrency N] [--connections N]",
            "[--timeout DURATION] [--connect-timeout DURATION]",
            "[--report FILE] [--report-format jsonl|csv]",
        ] + campaignSynopsis(dryRun: true) + [
            "[--verbose] [--quiet]",
        ],
        description: [
            "Reads recipients from --input (CSV or JSONL, streamed) or from --device tokens, renders each row's "
                + "payload from the template, sends the notifications to APNs over HTTP/2 with token "
                + "authentication, and writes one report line per row as it settles.",
            "Requests refused unprocessed by a server that is going away (GOAWAY) are sent again on a new "
                + "connection. A request whose connection is lost, or that gets no answer within --timeout, is "
                + "reported failed. The exit status says whether every row was delivered.",
        ],
        operand: nil,
        options: [
            Send.input, Send.format, Send.tokenField, Send.device,
            Send.template, Send.payload,
            Send.topic, Send.pushType, Send.priority, Send.expiration, Send.collapseID,
            Send.key, Send.keyID, Send.teamID,
            Send.production, Send.sandbox, Send.endpoint, Send.caFile, Send.concurrency, Send.connections,
            Send.timeout, Send.connectTimeout,
            Send.report, Send.reportFormat,
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
        ])
}

private typealias Send = OptionSpec.Send
