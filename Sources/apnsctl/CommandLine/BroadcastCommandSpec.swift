import PushCore

/// Defaults of `apnsctl broadcast`.
enum BroadcastDefaults {
    /// The column that names a row's channel (what `apnsctl channel create` writes).
    static let channelField = "channel_id"
}

// `apnsctl broadcast`: `send` in broadcast mode. Its table is send's, less what names a device (--device,
// --token-field, --push-type, --collapse-id, --prune-list, --connect) and with --bundle-id for --topic.

extension OptionSpec {
    enum Broadcast {
        static let bundleID = OptionSpec(
            "bundle-id", value: "ID", category: .headers,
            summary: "The app's bundle ID, without a push-type suffix",
            longHelp: ["Broadcasts go to POST /4/broadcasts/apps/ID on the push host. A push-type suffix "
                + "(.push-type.liveactivity) is refused: APNs would answer TopicDisallowed. Without it, --topic's "
                + "setting (APNSCTL_TOPIC, the config file's topic) or the bundle ID of --cert is used; a row's "
                + "topic field overrides it."],
            defaultText: "the topic setting, or the bundle ID of --cert")
        static let channels = OptionSpec(
            "channels", value: "FILE", category: .recipients,
            summary: "Take each channel's storage policy from apnsctl channel's output",
            longHelp: ["FILE is what apnsctl channel create or channel read wrote (CSV or JSONL, gzip or not): "
                + "channel_id and storage_policy per line. A row without its own storage_policy takes its channel's "
                + "from FILE, so an expiration other than 0 on a No Message Stored channel is invalid before it is "
                + "sent. A row on a channel FILE does not hold as live (not there, or its read was rejected) is "
                + "invalid too: create the channel, or read it again."],
            completion: .file)

        /// Send's options a broadcast does not take.
        static let notTaken: Set<String> = [
            OptionSpec.Send.device.long, OptionSpec.Send.tokenField.long, OptionSpec.Send.topic.long,
            OptionSpec.Send.pushType.long, OptionSpec.Send.collapseID.long, OptionSpec.Campaign.pruneList.long,
            OptionSpec.Campaign.connect.long,
        ]
    }
}

extension CommandSpec {
    static let broadcast = CommandSpec(
        name: "broadcast",
        summary: "Send a Live Activity update on each channel of a CSV or JSONL file",
        synopsis: [
            "--input FILE [--format csv|jsonl]",
            "[--template FILE | --payload JSON]",
            "[--content-state-schema FILE]",
            "[--channels FILE] [--bundle-id ID] [--priority 10|5]",
            "[--expiration TIME]",
        ] + credentialSynopsis + runSynopsis + [
            "[--dry-run] [--keep FIELD,...]",
            "[--shard K/N] [--dedupe]",
            "[--resume | --force] [--strict]",
            "[--verbose] [--quiet]",
        ],
        description: [
            "Broadcast push (iOS 18 and later): one request per row to POST /4/broadcasts/apps/BUNDLE-ID on the push "
                + "host, naming the row's channel_id in apns-channel-id, with apns-push-type liveactivity and the "
                + "payload rendered from the template. Every subscriber of the channel gets it. The channels come "
                + "from apnsctl channel create, whose output is a ready input.",
            "A row carries channel_id (base64, as APNs made it) and may override priority (5 or 10, default 10), "
                + "expiration (default 0; a UNIX time, an RFC 3339 time or a duration from the send such as 1h) and "
                + "apns_request_id; the payload may use {{$now}} and {{$now+15m}}, stamped when each request is sent, "
                + "and is checked by the Live Activity rules (and --content-state-schema); a storage_policy of 0 (as channel create writes it, "
                + "or as --channels says) makes any expiration but 0 invalid. Rows whose payload starts an activity (aps.event start), "
                + "exceeds 5120 bytes, or name a bundle ID with a push-type suffix are reported invalid, never sent.",
            "Everything send does applies: connections and concurrency, retries with back-off, the circuit breaker, "
                + "--rate, --resume, --shard, --keep, --dry-run, the summary, progress and metrics. The report names "
                + "channel_id and apns_request_id where send's names token and apns_id. FeatureNotEnabled or "
                + "TopicMismatch stop the run (exit 3) with what to enable where.",
        ],
        operand: nil,
        options: broadcastOptions,
        examples: [
            CommandExample(
                description: "Update the score on every game's channel; the channels came from apnsctl channel "
                    + "create, the scores are joined in by the CSV.",
                command: """
                    apnsctl broadcast --input scores.csv --template score-update.json \\
                        --bundle-id com.example.app --profile prod-app \\
                        --report scores-report.jsonl
                    """),
        ])
}

extension CommandSpec {
    /// Send's synopsis lines of the credentials, the environment and where to connect (broadcast and channel take
    /// them as send does).
    static var credentialSynopsis: [String] {
        Array(send.synopsis.drop { !$0.hasPrefix("((--key") }.prefix { !$0.hasPrefix("[--concurrency") })
    }

    /// Send's options less the ones a broadcast does not take, with --bundle-id where --topic was.
    /// Send's synopsis lines of how a run goes (concurrency to profiles), which broadcast takes as send does.
    static var runSynopsis: [String] {
        Array(send.synopsis.drop { !$0.hasPrefix("[--concurrency") }.prefix { !$0.hasPrefix("[--dry-run") && !$0.hasPrefix("[--verbose") })
    }

    private static var broadcastOptions: [OptionSpec] {
        send.options.flatMap { option -> [OptionSpec] in
            if option == OptionSpec.Send.topic { return [OptionSpec.Broadcast.bundleID, OptionSpec.Broadcast.channels] }
            return OptionSpec.Broadcast.notTaken.contains(option.long) ? [] : [option]
        }
    }
}
