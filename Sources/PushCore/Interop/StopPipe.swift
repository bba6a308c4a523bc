#if canImport(Glibc)
import Glibc
#endif

/// The write end of the pipe the stop signal handler writes to (-1: none). Written before the handler is installed.
nonisolated(unsafe) private var signalStopFD: Int32 = -1
/// The last signal the handler caught (0: none).
nonisolated(unsafe) private var lastCaughtSignal: Int32 = 0

/// A pipe that asks a poll loop to stop. `trigger()` writes one byte and never blocks, so it is safe from any
/// thread and from a signal handler. The loop polls `readFD`; readable means "stop". The byte is never drained.
package final class StopPipe: @unchecked Sendable {
    package let readFD: Int32
    private let writeFD: Int32

    /// SIGINT and SIGTERM.
    package static let defaultSignals: [Int32] = [SIGINT, SIGTERM]

    package init() {
        var fds: [Int32] = [0, 0]
        if pipe(&fds) != 0 { fatalError("pipe failed: \(errno)") }
        readFD = fds[0]
        writeFD = fds[1]
        for fd in fds {
            Socket.setNonBlocking(fd)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
    }

    deinit {
        if signalStopFD == writeFD { signalStopFD = -1 }
        Glibc.close(readFD)
        Glibc.close(writeFD)
    }

    package func trigger() {
        var byte: UInt8 = 1
        _ = Glibc.write(writeFD, &byte, 1)   // a full pipe already says "stop": ignore EAGAIN
    }

    /// True once `trigger()` ran (checks without waiting).
    package var isTriggered: Bool {
        var pfd = pollfd(fd: readFD, events: Int16(POLLIN), revents: 0)
        return poll(&pfd, 1, 0) == 1
    }

    /// The last signal caught by the handler of `triggerOnSignals` (nil: none), e.g. to exit 130 after SIGINT.
    package static var caughtSignal: Int32? { lastCaughtSignal == 0 ? nil : lastCaughtSignal }

    /// Makes `signals` trigger this pipe, process-wide. The handler only calls write(2). One pipe at a time receives
    /// signals: a later call moves them. Keep the pipe alive while the handler is installed.
    package func triggerOnSignals(_ signals: [Int32] = StopPipe.defaultSignals) {
        signalStopFD = writeFD
        for signo in signals {
            signal(signo) { caught in
                let saved = errno
                lastCaughtSignal = caught
                var byte: UInt8 = 1
                _ = Glibc.write(signalStopFD, &byte, 1)
                errno = saved
            }
        }
    }
}
