/// `--dedupe`: remembers the first line of every token of the run, to report a repeated token `skipped`
/// instead of pushing it twice.
///
/// A token is stored as its 64-bit FNV-1a hash (the key) with a second, independent 32-bit hash and the
/// line (the value): a row counts as a duplicate only when 96 bits match, so a false duplicate (a row
/// wrongly skipped) needs a 96-bit collision, about n²/2^97 for n tokens — never, in practice. Two
/// different tokens that share the 64-bit hash (n²/2^65: about 3 in a million for 10 million tokens) are
/// both sent; only the first one is then remembered. Memory: about 16 to 32 bytes per distinct token
/// (some 300 MB for 10 million).
public struct DuplicateTokens: Sendable {
    private var seen: [UInt64: UInt64] = [:]

    public init() {}

    public var count: Int { seen.count }

    /// Records `token` (lowercase hex) first seen on `line`; returns the line of its first appearance when
    /// it was already seen, nil when it is new.
    public mutating func firstLine(of token: String, line: Int) -> Int? {
        let key = TokenHash.fnv1a64(token)
        let check = UInt64(Self.fnv1a32(token))
        let value = check << 32 | UInt64(UInt32(clamping: line))
        guard let existing = seen[key] else {
            seen[key] = value
            return nil
        }
        guard existing >> 32 == check else { return nil }   // a 64-bit collision of two different tokens
        return Int(existing & 0xFFFF_FFFF)
    }

    /// FNV-1a, 32 bits, of the lowercased token: the check that makes a false duplicate need 96 bits.
    static func fnv1a32(_ token: String) -> UInt32 {
        var hash: UInt32 = 0x811c_9dc5
        for byte in token.utf8 {
            let lowered = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
            hash = (hash ^ UInt32(lowered)) &* 0x0100_0193
        }
        return hash
    }
}
