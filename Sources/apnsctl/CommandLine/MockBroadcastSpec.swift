import PushCore
import PushMock

/// Defaults of the mock's broadcast emulation.
enum MockBroadcastDefaults {
    static let channelLimit = ChannelStore.apnsLimitPerBundle
    static let channelLimitRange = 1...ChannelStore.apnsLimitPerBundle
}

/// The options of `apnsctl mock` that emulate broadcast channels (apns-protocol.md §9).
extension OptionSpec.Mock {
    static let manageListen = OptionSpec(
        "manage-listen", value: "HOST:PORT", category: .server,
        summary: "Also serve the broadcast channel-management API on HOST:PORT; port 0 picks a free port",
        longHelp: ["A second TLS + HTTP/2 port with the same certificate and the same auth rules as the push port "
            + "(provider tokens checked as --auth-key says, or client certificates with --require-client-cert): "
            + "POST /1/apps/BUNDLE/channels with {\"message-storage-policy\":0|1,\"push-type\":\"LiveActivity\"} "
            + "answers 201 with apns-channel-id; GET (read) and DELETE (204) of /1/apps/BUNDLE/channels take the "
            + "apns-channel-id header; GET /1/apps/BUNDLE/all-channels lists {\"channels\":[...]}. Every answer "
            + "carries apns-request-id (the request's, else a new UUID). The channels, per bundle id, are shared "
            + "with POST /4/broadcasts/apps/BUNDLE on the push port. Without this option broadcasts only ever "
            + "find unregistered channels.",
            "--latency, --outage (503) and --stream-drop apply to both ports; the connection misbehaviours "
            + "(--goaway-after, --goaway-every, --drop-after, --drop-every, --close-on-connect, "
            + "--goaway-on-connect, --no-settings, --stall, --outage-mode refuse) to the push port only. "
            + "--stats counts the requests of both ports in requests, accepted and rejected, the management "
            + "port's connections in broadcast.manage_connections (connections counts the push port's)."])
    static let managePortFile = OptionSpec(
        "manage-port-file", value: "FILE", category: .server,
        summary: "Write the management port actually listened on to FILE once ready",
        longHelp: ["Needs --manage-listen. Written before the --port-file, so a script that waits for the "
            + "--port-file can read both."],
        completion: .file)
    static let broadcastDisabled = OptionSpec(
        "broadcast-disabled", category: .responses,
        summary: "Answer every broadcast and management request 400 FeatureNotEnabled",
        longHelp: ["As APNs does for an app whose App ID lacks the broadcast capability. Checked after the "
            + "provider token, before anything else."])
    static let channelLimit = OptionSpec(
        "channel-limit", value: "N", category: .responses,
        summary: "Channels per bundle id; one more create answers 400 CannotCreateChannelConfig",
        longHelp: ["APNs allows 10,000 channels per app and environment; a lower N reaches the limit in a test. "
            + "Over all bundle ids the mock keeps at most 100,000 channels."],
        defaultText: String(MockBroadcastDefaults.channelLimit))
    static let respondChannel = OptionSpec(
        "respond-channel", value: "PREFIX=STATUS:REASON[:K]", category: .responses,
        summary: "Answer broadcasts to channel ids starting with PREFIX with STATUS and REASON (repeatable)",
        longHelp: ["PREFIX is base64 text compared case-sensitively and may be empty (every channel); the longest "
            + "matching prefix wins. The rule applies once the request's provider token, the broadcast feature "
            + "and the channel id's syntax have passed, before the channel is looked up: made-up channel ids get "
            + "the answer too. K, as for --respond, counted per channel id."],
        repeatable: true)
    static let respondManage = OptionSpec(
        "respond-manage", value: "OP=STATUS:REASON[:K]", category: .responses,
        summary: "Answer management requests of operation OP (create, read, delete, list) with STATUS and REASON "
            + "(repeatable)",
        longHelp: ["Applies after the provider token and the broadcast feature were checked. With K, only the "
            + "first K requests of that operation (counted over all connections) get the error; later ones are "
            + "served as usual. For example create=400:CannotCreateChannelConfig or "
            + "delete=500:InternalServerError:1."],
        repeatable: true)

    /// In the order the command's option list shows them.
    static let broadcastOptions = [manageListen, managePortFile, broadcastDisabled, channelLimit, respondChannel,
                                   respondManage]
}
