import Testing
@testable import PushCore

@Suite("Latency histogram")
struct LatencyHistogramPercentileTests {
    @Test("sub-256 µs samples are exact; nearest-rank percentiles")
    func exactSmallValues() {
        var histogram = LatencyHistogram()
        for micros in 1...100 { histogram.record(milliseconds: Double(micros) / 1000) }
        #expect(histogram.count == 100)
        #expect(histogram.percentile(50) == 0.050)
        #expect(histogram.percentile(90) == 0.090)
        #expect(histogram.percentile(99) == 0.099)
        #expect(histogram.percentile(100) == 0.100)
        #expect(histogram.percentile(0.001) == 0.001)
        #expect(histogram.min == 0.001)
        #expect(histogram.max == 0.100)
        #expect(histogram.mean == 0.0505)
    }

    @Test("1 … 10000 ms: percentiles within 0.4% of the true value, max exact")
    func relativeError() {
        var histogram = LatencyHistogram()
        for ms in 1...10_000 { histogram.record(milliseconds: Double(ms)) }
        for (p, truth) in [(50.0, 5000.0), (90, 9000), (99, 9900), (99.9, 9990), (10, 1000), (1, 100)] {
            let value = histogram.percentile(p) ?? 0
            #expect(abs(value - truth) / truth < 0.004, "p\(p) = \(value), expected about \(truth)")
        }
        #expect(histogram.max == 10_000)
    }

    @Test("every bucket's midpoint lies in the bucket and buckets are contiguous")
    func bucketLayout() {
        var previous = -1
        var gaps = 0
        var misplacedMidpoints = 0
        var bucketStart: Int64 = 0
        for micros in stride(from: Int64(0), through: 1 << 18, by: 1) {
            let bucket = LatencyHistogram.bucket(of: micros)
            if bucket != previous && bucket != previous + 1 { gaps += 1 }
            if bucket != previous {
                if previous >= 0 {
                    let midpoint = LatencyHistogram.midpoint(ofBucket: previous)
                    if midpoint < bucketStart || midpoint >= micros { misplacedMidpoints += 1 }
                }
                bucketStart = micros
            }
            previous = bucket
        }
        #expect(gaps == 0)
        #expect(misplacedMidpoints == 0)
        #expect(LatencyHistogram.bucket(of: LatencyHistogram.maxMicrosValue) < LatencyHistogram.bucketCount)
    }

    @Test("memory does not grow with samples; merging equals recording everything in one")
    func mergeAndBounds() {
        var a = LatencyHistogram()
        var b = LatencyHistogram()
        var all = LatencyHistogram()
        for i in 0..<50_000 {
            let ms = Double(i % 977) * 0.731 + Double(i % 7)
            if i % 2 == 0 { a.record(milliseconds: ms) } else { b.record(milliseconds: ms) }
            all.record(milliseconds: ms)
        }
        a.merge(b)
        #expect(a == all)
        var huge = LatencyHistogram()
        huge.record(milliseconds: 1e15)
        huge.record(milliseconds: -5)
        huge.record(milliseconds: .nan)
        #expect(huge.count == 2)
        #expect(huge.min == 0)
        #expect(huge.max == Double(LatencyHistogram.maxMicrosValue) / 1000)
        #expect(LatencyHistogram().percentile(50) == nil)
    }
}
