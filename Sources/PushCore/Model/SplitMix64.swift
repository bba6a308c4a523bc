/// SplitMix64 (Steele, Lea and Flood 2014; Vigna's reference `splitmix64.c`): a tiny, fast, seedable generator
/// whose every output is a strong mix of a counter. The mock uses it wherever a run must be reproducible; each
/// client connection has one for back-off jitter (no locks, no shared state).
public struct SplitMix64: RandomNumberGenerator, Sendable, Equatable {
    public private(set) var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return Self.mix(state)
    }

    /// The output function: a bijective scramble of 64 bits.
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A double in [0, 1) from the top 53 bits of `value`.
    public static func unitInterval(_ value: UInt64) -> Double {
        Double(value >> 11) * 0x1.0p-53
    }
}


extension SplitMix64 {
    /// A uniformly random integer in `0...upper` (0 when `upper` ≤ 0).
    public mutating func next(upTo upper: Int) -> Int {
        upper <= 0 ? 0 : Int.random(in: 0...upper, using: &self)
    }
}
