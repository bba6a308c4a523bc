import PushCore

/// A canned answer for device tokens that start with `prefix`:
/// `apnsctl mock --respond PREFIX=STATUS:REASON[:K]`.
public struct MockResponseRule: Sendable, Equatable {
    /// Lowercase hex; matched against the start of the lowercased token. Empty matches every token.
    public var prefix: String
    /// HTTP status to answer (a 410 also gets `timestamp`; a 200 means "accept normally").
    public var status: Int
    /// The APNs `reason` to put in the body.
    public var reason: String
    /// With K: the rule answers only the first K requests for each matching token (attempts 1…K); from attempt
    /// K+1 on the token is treated as if no rule matched (accepted, unless `--fail-rate` says otherwise).
    /// nil: every request.
    public var firstAttempts: Int?

    public init(prefix: String, status: Int, reason: String, firstAttempts: Int? = nil) {
        self.prefix = prefix
        self.status = status
        self.reason = reason
        self.firstAttempts = firstAttempts
    }

    /// True when the rule answers the `attempt`-th request (1-based) for a token it matches.
    public func applies(toAttempt attempt: Int) -> Bool {
        guard let firstAttempts else { return true }
        return attempt <= firstAttempts
    }

    /// The rule with the longest prefix the token starts with (case-insensitively); among equal prefixes, the
    /// first given. Longest wins so that `--respond de=… --respond dead=…` means what it says in any order.
    public static func bestMatch(in rules: [MockResponseRule], token: some StringProtocol) -> MockResponseRule? {
        ASCII.longestPrefixMatch(in: rules, prefix: \.prefix, token: token)
    }

    /// True when `token` starts with one of `prefixes` (case-insensitively): `apnsctl mock --silent PREFIX`.
    public static func matchesAny(_ prefixes: [String], token: some StringProtocol) -> Bool {
        prefixes.contains { ASCII.hasPrefixIgnoringCase(token.utf8, $0.utf8) }
    }
}

/// `apnsctl mock --timestamp PREFIX=TEXT`: error answers from `--respond` rules for tokens starting with `prefix`
/// carry `"timestamp":TEXT`, written verbatim, instead of the current time (410) or nothing: a way to send values
/// no real clock gives (`1e19`, `1e400`, `-1e300`, `"soon"`) to test a client's parsing.
public struct MockTimestampRule: Sendable, Equatable {
    /// Lowercase hex; matched like `MockResponseRule.prefix` (longest wins).
    public var prefix: String
    /// The JSON text after `"timestamp":`, exactly as given.
    public var text: String

    public init(prefix: String, text: String) {
        self.prefix = prefix
        self.text = text
    }

    /// The text of the rule with the longest prefix the token starts with, nil when none matches.
    public static func text(in rules: [MockTimestampRule], token: some StringProtocol) -> String? {
        ASCII.longestPrefixMatch(in: rules, prefix: \.prefix, token: token)?.text
    }
}

/// Byte-level ASCII helpers that allocate nothing.
enum ASCII {
    static func lower(_ byte: UInt8) -> UInt8 {
        (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) ? byte | 0x20 : byte
    }

    static func hasPrefixIgnoringCase<T: Sequence<UInt8>, P: Sequence<UInt8>>(_ text: T, _ prefix: P,
                                                                            ignoringCase: Bool = true) -> Bool {
        var t = text.makeIterator()
        for p in prefix {
            guard let c = t.next(), ignoringCase ? lower(c) == lower(p) : c == p else { return false }
        }
        return true
    }

    /// The item whose prefix is the longest one `token` starts with (case-insensitively unless `ignoringCase` is
    /// false); among equal prefixes, the first.
    static func longestPrefixMatch<Item>(in items: [Item], prefix: (Item) -> String,
                                         token: some StringProtocol, ignoringCase: Bool = true) -> Item? {
        var best: Item?
        var bestLength = -1
        for item in items {
            let candidate = prefix(item)
            if candidate.utf8.count > bestLength
                && hasPrefixIgnoringCase(token.utf8, candidate.utf8, ignoringCase: ignoringCase) {
                best = item
                bestLength = candidate.utf8.count
            }
        }
        return best
    }

    static func isHex(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"),
             UInt8(ascii: "A")...UInt8(ascii: "F"): return true
        default: return false
        }
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// `text` lowercased; the same string (no copy) when it has no capitals, the common case for tokens.
    static func lowercased(_ text: some StringProtocol) -> String {
        if text.utf8.contains(where: { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) {
            return String(decoding: text.utf8.map(lower), as: UTF8.self)
        }
        return String(text)
    }
}
