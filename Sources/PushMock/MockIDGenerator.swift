import PushCore
/// Random version-4 UUIDs as lowercase text, for `apns-id` and `apns-unique-id`. A fast non-cryptographic
/// generator (xoshiro256**, seeded from the system generator): mock ids only need to be unique.
struct MockIDGenerator {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    init() {
        var system = SystemRandomNumberGenerator()
        self.init(seed: system.next())
    }

    /// A reproducible sequence (tests).
    init(seed: UInt64) {
        var seeder = SplitMix64(seed: seed)
        state = (seeder.next(), seeder.next(), seeder.next(), seeder.next())
    }

    mutating func next64() -> UInt64 {
        let result = ((state.1 &* 5) << 7 | (state.1 &* 5) >> 57) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = state.3 << 45 | state.3 >> 19
        return result
    }

    /// `xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx`, lowercase.
    mutating func next() -> String {
        let high = (next64() & ~0xF000) | 0x4000                           // version 4
        let low = (next64() & ~(0xC << 60)) | (0x8 << 60)                  // variant 10xx
        return String(unsafeUninitializedCapacity: 36) { buffer in
            var out = 0
            func emit(_ word: UInt64) {
                var w = word
                for _ in 0..<16 {
                    if out == 8 || out == 13 || out == 18 || out == 23 {
                        buffer[out] = UInt8(ascii: "-")
                        out += 1
                    }
                    let nibble = UInt8(truncatingIfNeeded: w >> 60)
                    buffer[out] = nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
                    out += 1
                    w <<= 4
                }
            }
            emit(high)
            emit(low)
            return out
        }
    }
}
