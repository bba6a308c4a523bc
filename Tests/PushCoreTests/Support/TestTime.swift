import Foundation

/// The suite's waits and time limits, stretched for slow builds: `APNSCTL_TEST_TIME_SCALE` (a number, at least 1;
/// 1 when unset) multiplies each of them. scripts/sanitize sets it, since sanitizer builds run several times
/// slower; what a test asserts stays the same, only how long it waits for it. One file for the three test targets
/// (PushMockTests and apnsctlTests link to it).
enum TestTime {
    static let scale: Double = {
        guard let text = ProcessInfo.processInfo.environment["APNSCTL_TEST_TIME_SCALE"],
              let value = Double(text), value.isFinite, value >= 1 else { return 1 }
        return value
    }()

    /// `seconds` stretched by the scale.
    static func seconds(_ seconds: Double) -> Double { seconds * scale }

    /// Whole minutes (stretched, rounded up) for a `.timeLimit` trait.
    static func minutes(_ minutes: Int) -> Int { Int((Double(minutes) * scale).rounded(.up)) }

    /// `seconds` (stretched, whole) as curl's `--max-time` value.
    static func curlMaxTime(_ seconds: Double) -> String { String(Int(Self.seconds(seconds).rounded(.up))) }

    /// A dispatch deadline `seconds` (stretched) from now, for `DispatchSemaphore.wait(timeout:)`.
    static func deadline(_ seconds: Double) -> DispatchTime { .now() + Self.seconds(seconds) }

    /// Checks `condition` every 20 ms for up to `seconds` (stretched); true once it holds.
    static func waitUntil(seconds: Double, _ condition: () throws -> Bool) rethrows -> Bool {
        let end = ContinuousClock.now + .milliseconds(Int64(Self.seconds(seconds) * 1000))
        while try !condition() {
            if ContinuousClock.now >= end { return false }
            usleep(20_000)
        }
        return true
    }

    /// `waitUntil` for async tests: sleeps without holding a thread.
    static func asyncWaitUntil(seconds: Double, _ condition: () -> Bool) async throws -> Bool {
        let end = ContinuousClock.now + .milliseconds(Int64(Self.seconds(seconds) * 1000))
        while !condition() {
            if ContinuousClock.now >= end { return false }
            try await Task.sleep(for: .milliseconds(20))
        }
        return true
    }
}
