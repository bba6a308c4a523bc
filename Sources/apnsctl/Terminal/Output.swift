import Foundation

/// stdout carries data, stderr carries people's text. A closed stdout (`apnsctl help | head -1`)
/// ends output quietly instead of killing the process.
enum Output {
    /// Writes to stdout; false when the reader has gone away.
    @discardableResult
    static func standardOutput(_ text: String) -> Bool {
        do {
            try FileHandle.standardOutput.write(contentsOf: Data(text.utf8))
            return true
        } catch {
            return false
        }
    }

    static func standardError(_ text: String) {
        try? FileHandle.standardError.write(contentsOf: Data(text.utf8))
    }

    /// A write to a closed pipe then fails with EPIPE instead of raising SIGPIPE (exit 141).
    static func ignoreBrokenPipeSignal() {
        signal(SIGPIPE, SIG_IGN)
    }

    /// SIGINT and SIGTERM reach apnsctl even when the parent started it with them blocked (a thread of a
    /// test runner or supervisor passes its signal mask on): otherwise Ctrl-C and `kill` would do nothing.
    /// Call before any thread starts, so every thread inherits the mask.
    static func unblockStopSignals() {
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &signals, nil)
    }
}
