import PushCore

/// Defaults of `apnsctl channel`.
enum ChannelDefaults {
    static let storagePolicy = 1
    static let count = 1
    /// APNs keeps at most 10,000 channels per app and environment.
    static let countRange = 1...10_000
}

extension OptionSpec {
    enum Channel {
        static let storagePolicy = OptionSpec(
            "storage-policy", value: "POLICY", category: .channels,
            summary: "Storage policy of the channels created: 0 No Message Stored, 1 Most Recent Message Stored",
            longHelp: ["0 gives the higher publishing budget for frequent updates (scores), and broadcasts on the "
                + "channel must have expiration 0; 1 keeps the latest message up to 8 hours for devices that were "
                + "offline. It cannot be changed after creation."],
            defaultText: String(ChannelDefaults.storagePolicy), completion: .choices(["0", "1"]))
        static let count = OptionSpec(
            "count", value: "N", category: .channels,
            summary: "Create N channels (one output row each)",
            longHelp: ["Between \(ChannelDefaults.countRange.lowerBound) and \(ChannelDefaults.countRange.upperBound) "
                + "(APNs' limit per app and environment). Creating stops at the limit (CannotCreateChannelConfig): "
                + "the channels made so far are written and the exit status is 1."],
            defaultText: String(ChannelDefaults.count))
        static let channelID = OptionSpec(
            "channel-id", value: "ID", category: .channels,
            summary: "The channel to read or delete (base64, as create wrote it)")
        static let input = OptionSpec(
            "input", short: "i", value: "FILE", category: .channels,
            summary: "Read or delete the channels in the channel_id column or key of a CSV or JSONL file",
            longHelp: ["channel create's output is such a file. The requests go out --concurrency at a time; each "
                + "row gets an output row."],
            completion: .file)
        static let output = OptionSpec(
            "output", short: "o", value: "FILE", category: .channels,
            summary: "Write the rows to FILE instead of stdout",
            longHelp: ["A file it creates gets --file-mode (600 by default)."],
            defaultText: "-", completion: .file)
        static let format = OptionSpec(
            "format", value: "FORMAT", category: .channels,
            summary: "Format of the rows: jsonl or csv",
            defaultText: "csv when --output ends in .csv, else jsonl",
            completion: .choices(ReportFormatChoice.allCases.map(\.rawValue)))
    }
}

extension CommandSpec {
    static let channel = CommandSpec(
        name: "channel",
        summary: "Create, read, delete or list the broadcast channels of an app",
        synopsis: [
            "create [--storage-policy 0|1] [--count N]",
            "| read|delete (--channel-id ID | --input FILE)",
            "| list",
            "[--bundle-id ID] [--output FILE] [--format jsonl|csv]",
        ] + credentialSynopsis + [
            "[--concurrency N] [--connections N]",
            "[--timeout DURATION] [--connect-timeout DURATION]",
            "[--retries N]",
            "[--file-mode MODE] [--config FILE] [--profile NAME]",
            "[--verbose] [--quiet]",
        ],
        description: [
            "Manages the channels of broadcast push (iOS 18 and later) on APNs' channel-management host: "
                + "api-manage-broadcast.push.apple.com:2196 in production, "
                + "api-manage-broadcast.sandbox.push.apple.com:2195 in the sandbox (--endpoint overrides). The "
                + "Broadcast Capability must be enabled for the App ID at developer.apple.com.",
            "create makes channels (201, the new id in apns-channel-id), read shows a channel's storage policy, "
                + "delete removes it (204), list names every channel of the app. Each request carries its own "
                + "apns-request-id (a UUID), recorded in the output.",
            "Output: one row per channel, JSONL or CSV, with channel_id, storage_policy, push_type, apns_request_id, "
                + "outcome (created, read, deleted, listed; rejected, failed, invalid), status and reason. create's "
                + "rows are the input of apnsctl broadcast. FeatureNotEnabled, TopicMismatch or refused credentials "
                + "stop the run (exit 3) with what to enable where; ChannelNotRegistered and BadChannelId are "
                + "reported per row (exit 1).",
        ],
        operand: OperandSpec(name: "OPERATION", choices: ChannelOperation.allCases.map(\.rawValue), optional: false),
        options: [
            OptionSpec.Channel.storagePolicy, OptionSpec.Channel.count, OptionSpec.Channel.channelID,
            OptionSpec.Channel.input, OptionSpec.Channel.output, OptionSpec.Channel.format,
            OptionSpec.Broadcast.bundleID,
            Send.key, Send.keyEnv, Send.keyID, Send.teamID, Send.cert, Send.certEnv, Send.certKey, Send.certPasswordFile,
            Send.environment, Send.production, Send.sandbox, Send.endpoint, Send.proxy, Send.caFile,
            Send.concurrency, Send.connections, Send.timeout, Send.connectTimeout, Send.retries, Send.fileMode,
            .config, .profile,
            .verbose, .quiet, .help,
        ],
        examples: [
            CommandExample(
                description: "Make a channel for each of tonight's 12 games (no stored messages: frequent score "
                    + "updates), then broadcast on them.",
                command: """
                    apnsctl channel create --count 12 --storage-policy 0 \\
                        --bundle-id com.example.app --profile prod-app --output games.csv
                    apnsctl broadcast --input games.csv --template score.json \\
                        --bundle-id com.example.app --profile prod-app --report scores.jsonl
                    """),
            CommandExample(
                description: "Delete yesterday's channels in a batch.",
                command: """
                    apnsctl channel delete --input games.csv \\
                        --bundle-id com.example.app --profile prod-app
                    """),
        ])
}

private typealias Send = OptionSpec.Send
