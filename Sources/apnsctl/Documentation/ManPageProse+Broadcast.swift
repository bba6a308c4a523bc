/// The man page's section on broadcast channels: `apnsctl channel` and `apnsctl broadcast` together.
extension ManPageProse {
    static let broadcastChannels = DocSection(title: "BROADCAST CHANNELS", blocks: [
        .paragraph("Broadcast push (iOS 18 and later) sends one Live Activity update to every device subscribed to a "
            + "channel. Enable the Broadcast Capability for the App ID at developer.apple.com first (disabling it "
            + "deletes every channel). Channels live on their own host, one per environment: "
            + "api-manage-broadcast.sandbox.push.apple.com:2195 and api-manage-broadcast.push.apple.com:2196; "
            + "broadcasts go to the usual push host. Up to 10,000 channels per app and environment."),
        .paragraph("`apnsctl channel create --count N` makes N channels and writes one row per channel (channel_id, "
            + "storage_policy, push_type, apns_request_id, outcome, status, reason): the input of "
            + "`apnsctl broadcast`. `channel read` and `channel delete` take `--channel-id` or `--input` (any file "
            + "with a channel_id column or key, such as create's output); `channel list` names every channel."),
        .paragraph("`apnsctl broadcast --input FILE --template FILE --bundle-id ID` sends each row to "
            + "POST /4/broadcasts/apps/ID with apns-channel-id, apns-push-type liveactivity, apns-priority (5 or 10, "
            + "default 10) and apns-expiration (default 0). These row fields are read:"),
        .definitions([
            .init("channel_id", "The channel, as APNs made it (base64): never changed, no length assumed."),
            .init("storage_policy", "0 or 1, as channel create wrote it: with 0 (No Message Stored) an expiration "
                + "other than 0 is invalid. Without it, `--channels FILE` (channel create or read's output) gives "
                + "each channel's policy, and a row on a channel FILE does not hold as live is invalid."),
            .init("priority", "5 or 10."),
            .init("expiration", "UNIX seconds; 0 on No Message Stored channels."),
            .init("apns_request_id", "A UUID sent as apns-request-id; APNs assigns one when it is absent."),
            .init("topic", "The bundle ID, for this row (no push-type suffix)."),
        ]),
        .paragraph("Rows whose payload starts an activity (aps.event start: broadcasts only update or end one), "
            + "exceeds 5120 bytes, or names a bundle ID with a push-type suffix are invalid and never sent. The "
            + "report is send's, with channel_id and apns_request_id in place of token and apns_id; --resume, "
            + "--shard, --keep, retries, --rate and the summary work the same."),
        .paragraph("Answers: FeatureNotEnabled (broadcast not enabled for the app) and TopicMismatch stop the run with "
            + "exit status 3, like refused credentials; CannotCreateChannelConfig (the channel limit) stops "
            + "channel create with the channels made so far written and exit status 1; ChannelNotRegistered, "
            + "BadChannelId and the other 400s are per row."),
        .paragraph("`apnsctl mock --manage-listen` emulates both APIs over one channel store per bundle id. One "
            + "mock is one environment (`--environment sandbox|production`): channels made on a sandbox mock are "
            + "unknown to a production one, and only the sandbox answers with apns-unique-id, as with APNs."),
    ])
}
