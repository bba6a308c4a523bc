import PushCore

/// A canned answer for device tokens that start with `prefix`: `apnsctl mock --respond PREFIX=STATUS:REASON`.
public struct MockResponseRule: Sendable, Equatable {
    /// Lowercase hex; matched against the start of the lowercased token. Empty matches every token.
    public var prefix: String
    /// HTTP status to answer (a 410 also gets `timestamp`; a 200 means "accept normally").
    public var status: Int
    /// The APNs `reason` to put in the body.
    public var reason: String

    public init(prefix: String, status: Int, reason: String) {
        self.prefix = prefix
        self.status = status
        self.reason = reason
    }

    /// The rule with the longest prefix the token starts with (case-insensitively); among equal prefixes, the
    /// first given. Longest wins so that `--respond de=… --respond dead=…` means what it says in any order.
    public static func bestMatch(in rules: [MockResponseRule], token: some StringProtocol) -> MockResponseRule? {
        var best: MockResponseRule?
        for rule in rules where ASCII.hasPrefixIgnoringCase(token.utf8, rule.prefix.utf8) {
            if best == nil || rule.prefix.utf8.count > best!.prefix.utf8.count { best = rule }
        }
        return best
    }
}

/// Everything `MockServer` needs besides its TLS identity. Plain values, built by `apnsctl mock` from its options.
public struct MockConfiguration: Sendable {
    /// Where to listen; port 0 picks a free port (`MockServer.start()` returns it).
    public var listen: Endpoint
    /// SETTINGS_MAX_CONCURRENT_STREAMS announced after a connection's first accepted request (before it: 1).
    public var maxStreams: Int
    /// Canned answers by token prefix; the longest matching prefix wins.
    public var responseRules: [MockResponseRule]
    /// Token authentication: requests need `authorization: bearer <JWT>` (else 403 MissingProviderToken), and
    /// connections allow one stream until the first accepted request. False models certificate auth.
    public var requireProviderToken: Bool
    /// Checks a JWT: nil result means valid, else the APNs reason to answer (403, or 429 for
    /// TooManyProviderTokenUpdates). Without a verifier any non-empty bearer token is accepted.
    /// Called on the server thread for every request: cache inside if verifying is costly.
    public var tokenVerifier: (@Sendable (String) -> Reason?)?
    /// JSONL request log (truncated at start); nil turns logging off.
    public var logPath: String?
    /// Suppresses the server's notes on stderr (failed handshakes, peers without h2).
    public var quiet: Bool

    public init(listen: Endpoint = Endpoint(host: "127.0.0.1", port: 2197), maxStreams: Int = 1000,
                responseRules: [MockResponseRule] = [], requireProviderToken: Bool = true,
                tokenVerifier: (@Sendable (String) -> Reason?)? = nil, logPath: String? = nil, quiet: Bool = false) {
        self.listen = listen
        self.maxStreams = maxStreams
        self.responseRules = responseRules
        self.requireProviderToken = requireProviderToken
        self.tokenVerifier = tokenVerifier
        self.logPath = logPath
        self.quiet = quiet
    }
}

/// Byte-level ASCII helpers that allocate nothing.
enum ASCII {
    static func lower(_ byte: UInt8) -> UInt8 {
        (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) ? byte | 0x20 : byte
    }

    static func hasPrefixIgnoringCase<T: Sequence<UInt8>, P: Sequence<UInt8>>(_ text: T, _ prefix: P) -> Bool {
        var t = text.makeIterator()
        for p in prefix {
            guard let c = t.next(), lower(c) == lower(p) else { return false }
        }
        return true
    }

    static func isHex(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"),
             UInt8(ascii: "A")...UInt8(ascii: "F"): return true
        default: return false
        }
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}
