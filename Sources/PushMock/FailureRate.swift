import PushCore

/// `apnsctl mock --fail-rate P --seed S`: which otherwise-accepted requests get 500 InternalServerError.
///
/// The decision for one request is a draw keyed by (seed, token, attempt): the first output of a SplitMix64
/// seeded with `seed ^ fnv1a64(token) ^ mix(attempt)`, as a fraction of 2^64, below `rate` fails. So it is:
/// - per request: the attempt number is in the key, so a retry of the same token draws again and may succeed;
/// - reproducible: the same seed, token and attempt always decide the same way, whatever the order in which
///   requests arrive over however many connections;
/// - close to `rate` over many requests (each draw is uniform).
public struct FailureRate: Sendable, Equatable {
    /// Fraction of draws that fail, 0 (never) to 1 (always).
    public var rate: Double
    public var seed: UInt64

    public init(rate: Double, seed: UInt64) {
        self.rate = min(1, max(0, rate))
        self.seed = seed
    }

    /// True when the `attempt`-th request (1-based) for `token` is to fail. Tokens compare case-insensitively.
    public func fails(token: some StringProtocol, attempt: Int) -> Bool {
        guard rate > 0 else { return false }
        guard rate < 1 else { return true }
        return draw(token: token, attempt: attempt) < rate
    }

    /// The draw in [0, 1) for a token and attempt.
    public func draw(token: some StringProtocol, attempt: Int) -> Double {
        var generator = SplitMix64(seed: seed ^ Self.fnv1a64(token) ^ SplitMix64.mix(UInt64(truncatingIfNeeded: attempt)))
        return SplitMix64.unitInterval(generator.next())
    }

    /// FNV-1a over the lowercased ASCII bytes.
    static func fnv1a64(_ text: some StringProtocol) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash = (hash ^ UInt64(ASCII.lower(byte))) &* 0x0000_0100_0000_01B3
        }
        return hash
    }
}
