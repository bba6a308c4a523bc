#if canImport(Glibc)
import Glibc
#endif

/// The two clocks apnsctl reads: monotonic for durations and deadlines, wall for report timestamps.
public enum Clock {
    /// Nanoseconds on the monotonic clock (never jumps with NTP or the user).
    @inline(__always)
    public static func monotonicNanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }

    /// Milliseconds since the UNIX epoch (UTC).
    public static func wallMilliseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }

    /// Seconds since the UNIX epoch (UTC), for JWT `iat`.
    public static func wallSeconds() -> Int64 { wallMilliseconds() / 1000 }
}
