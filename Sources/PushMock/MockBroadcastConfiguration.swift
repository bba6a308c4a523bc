import PushCore

/// How the mock emulates broadcast channels (apns-protocol.md §9): the management port, the feature switch, the
/// channel limit and canned answers. Part of `MockConfiguration`.
public struct MockBroadcastConfiguration: Sendable, Equatable {
    /// Where the channel-management API listens (TLS + HTTP/2, the push port's certificate and auth rules);
    /// port 0 picks a free port. nil: no management port (broadcasts then only reach channels nobody created).
    public var manageListen: Endpoint?
    /// Every broadcast and management request is answered 400 FeatureNotEnabled (the app has no broadcast
    /// capability).
    public var disabled: Bool
    /// Channels per bundle id; creating one more answers 400 CannotCreateChannelConfig.
    public var channelLimit: Int
    /// Canned answers for broadcasts to channel ids starting with `prefix` (case-sensitive, longest wins).
    public var channelRules: [MockResponseRule]
    /// Canned answers for management operations: `prefix` is the operation's name (create, read, delete, list).
    public var manageRules: [MockResponseRule]
    /// Seed of new channel ids (the same ids in the same order on every run); nil: random.
    public var channelIDSeed: UInt64?

    public init(manageListen: Endpoint? = nil, disabled: Bool = false,
                channelLimit: Int = ChannelStore.apnsLimitPerBundle, channelRules: [MockResponseRule] = [],
                manageRules: [MockResponseRule] = [], channelIDSeed: UInt64? = nil) {
        self.manageListen = manageListen
        self.disabled = disabled
        self.channelLimit = channelLimit
        self.channelRules = channelRules
        self.manageRules = manageRules
        self.channelIDSeed = channelIDSeed
    }
}

extension MockResponseRule {
    /// The `--respond-channel` rule for `channelID`: the longest prefix it starts with, compared case-sensitively
    /// (base64 ids are case-sensitive); among equal prefixes, the first given.
    public static func bestMatch(in rules: [MockResponseRule], channelID: some StringProtocol) -> MockResponseRule? {
        ASCII.longestPrefixMatch(in: rules, prefix: \.prefix, token: channelID, ignoringCase: false)
    }

    /// The `--respond-manage` rule for `operation` (the first one given).
    public static func rule(in rules: [MockResponseRule], for operation: ChannelOperation) -> MockResponseRule? {
        rules.first { $0.prefix == operation.rawValue }
    }
}
