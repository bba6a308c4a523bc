/// FNV-1a, 64 bits: a small, stable hash (the same on every machine, version and run), for shards and
/// duplicate detection. Not for adversarial input; device tokens are random.
public enum TokenHash {
    static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    static let prime: UInt64 = 0x0000_0100_0000_01b3

    /// The hash of `token` with ASCII letters lowercased (`ABCD` and `abcd` are the same token).
    public static func fnv1a64(_ token: String) -> UInt64 {
        var hash = offsetBasis
        for byte in token.utf8 {
            let lowered = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
            hash = (hash ^ UInt64(lowered)) &* prime
        }
        return hash
    }
}

/// `--shard K/N`: this run sends only the rows whose token hashes to shard K of N (1 ≤ K ≤ N), so N runs
/// with K = 1...N — on N machines, by any job runner — cover the input exactly once. A row's shard is
/// `fnv1a64(lowercased token) % N + 1`; rows without a readable token (malformed lines) hash their empty
/// token, so exactly one shard reports them.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    /// 1-based.
    public let index: Int
    public let count: Int

    public init?(index: Int, count: Int) {
        guard count >= 1, (1...count).contains(index) else { return nil }
        self.index = index
        self.count = count
    }

    /// The 1-based shard a token belongs to among `count`.
    public static func of(token: String, count: Int) -> Int {
        Int(TokenHash.fnv1a64(token) % UInt64(count)) + 1
    }

    public func contains(token: String) -> Bool {
        Shard.of(token: token, count: count) == index
    }

    public var description: String { "\(index)/\(count)" }
}
