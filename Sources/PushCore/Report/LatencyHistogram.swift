/// Latency samples in a log-bucketed histogram: fixed memory (at most 4,480 counters, ≈35 KB,
/// allocated on the first sample) whatever the number of samples.
///
/// Samples are kept in whole microseconds. Values below 256 µs are exact; above, each power of
/// two is split into 128 buckets, so a percentile is within 0.4% of the true sample (the bucket
/// midpoint is reported, clamped to the exact minimum and maximum). Percentiles use the
/// nearest-rank definition: p50 of 1…100 is 50.
public struct LatencyHistogram: Sendable, Equatable {
    public private(set) var count = 0
    /// Exact extremes and sum, in microseconds.
    public private(set) var minMicros: Int64 = .max
    public private(set) var maxMicros: Int64 = 0
    public private(set) var sumMicros: Int64 = 0
    private var buckets: [Int] = []

    /// Values are capped here (2^40 µs ≈ 12.7 days).
    static let maxMicrosValue: Int64 = 1 << 40
    static let bucketCount = 256 + (40 - 7) * 128

    public init() {}

    public mutating func record(milliseconds: Double) {
        guard milliseconds.isFinite else { return }
        let micros = Swift.min(Swift.max((milliseconds * 1000).rounded(), 0), Double(Self.maxMicrosValue))
        record(micros: Int64(micros))
    }

    public mutating func record(micros value: Int64) {
        let micros = Swift.min(Swift.max(value, 0), Self.maxMicrosValue)
        if buckets.isEmpty { buckets = [Int](repeating: 0, count: Self.bucketCount) }
        buckets[Self.bucket(of: micros)] += 1
        count += 1
        minMicros = Swift.min(minMicros, micros)
        maxMicros = Swift.max(maxMicros, micros)
        sumMicros &+= micros
    }

    public mutating func merge(_ other: LatencyHistogram) {
        guard other.count > 0 else { return }
        if buckets.isEmpty { buckets = [Int](repeating: 0, count: Self.bucketCount) }
        for index in other.buckets.indices where other.buckets[index] != 0 { buckets[index] += other.buckets[index] }
        count += other.count
        minMicros = Swift.min(minMicros, other.minMicros)
        maxMicros = Swift.max(maxMicros, other.maxMicros)
        sumMicros &+= other.sumMicros
    }

    /// The `p`th percentile (0 < p ≤ 100) in milliseconds; nil without samples.
    public func percentile(_ p: Double) -> Double? {
        guard count > 0 else { return nil }
        let rank = Swift.max(1, Swift.min(count, Int((p / 100 * Double(count)).rounded(.up))))
        var seen = 0
        for (index, n) in buckets.enumerated() where n != 0 {
            seen += n
            if seen >= rank {
                let value = Swift.min(Swift.max(Self.midpoint(ofBucket: index), minMicros), maxMicros)
                return Double(value) / 1000
            }
        }
        return Double(maxMicros) / 1000
    }

    public var max: Double? { count > 0 ? Double(maxMicros) / 1000 : nil }
    public var min: Double? { count > 0 ? Double(minMicros) / 1000 : nil }
    public var mean: Double? { count > 0 ? Double(sumMicros) / Double(count) / 1000 : nil }

    /// 0…255 exact; above, 128 buckets per power of two.
    static func bucket(of micros: Int64) -> Int {
        if micros < 256 { return Int(micros) }
        let highestBit = 63 - micros.leadingZeroBitCount  // ≥ 8
        let shift = highestBit - 7                         // ≥ 1
        let mantissa = Int(micros >> Int64(shift))         // 128…255
        return 256 + (shift - 1) * 128 + (mantissa - 128)
    }

    /// The middle of the values a bucket holds (the value itself below 256).
    static func midpoint(ofBucket index: Int) -> Int64 {
        if index < 256 { return Int64(index) }
        let shift = (index - 256) / 128 + 1
        let mantissa = Int64((index - 256) % 128 + 128)
        let low = mantissa << Int64(shift)
        let high = ((mantissa + 1) << Int64(shift)) - 1
        return (low + high) / 2
    }
}
