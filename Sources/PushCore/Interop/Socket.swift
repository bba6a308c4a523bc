#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Why a TCP connection could not be made, in words a user can act on.
public struct ConnectError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable { case dns, refused, timeout, unreachable, other }
    public var kind: Kind
    public var description: String
}

/// Thin wrappers over the socket system calls: every one used by apnsctl lives here.
package enum Socket {
    /// Resolves `host` afresh (no cache: APNs asks for a new lookup per connection) and connects to the
    /// first address that answers within `timeoutMs`. Returns a non-blocking socket with TCP_NODELAY.
    package static func connect(host: String, port: Int, timeoutMs: Int32) throws(ConnectError) -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_ADDRCONFIG | AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0, let first = list else {
            let why = rc == 0 ? "no addresses" : String(cString: gai_strerror(rc))
            throw ConnectError(kind: .dns, description: "cannot resolve \(host): \(why)")
        }
        defer { freeaddrinfo(list) }
        var lastError = ConnectError(kind: .other, description: "no usable address for \(host)")
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let ai = cursor {
            cursor = ai.pointee.ai_next
            let fd = socket(ai.pointee.ai_family, ai.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), ai.pointee.ai_protocol)
            if fd < 0 { continue }
            setNonBlocking(fd)
            setNoDelay(fd)
            if Glibc.connect(fd, ai.pointee.ai_addr, ai.pointee.ai_addrlen) == 0 { return fd }
            let err = errno
            if err == EINPROGRESS {
                var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                let ready = poll(&pfd, 1, timeoutMs)
                if ready == 1 {
                    var soError: Int32 = 0
                    var len = socklen_t(MemoryLayout<Int32>.size)
                    getsockopt(fd, SOL_SOCKET, SO_ERROR, &soError, &len)
                    if soError == 0 { return fd }
                    lastError = describe(soError, host: host, port: port)
                } else {
                    lastError = ConnectError(kind: .timeout,
                                             description: "connecting to \(host):\(port) timed out after \(timeoutMs) ms")
                }
            } else {
                lastError = describe(err, host: host, port: port)
            }
            close(fd)
        }
        throw lastError
    }

    private static func describe(_ err: Int32, host: String, port: Int) -> ConnectError {
        let text = String(cString: strerror(err))
        switch err {
        case ECONNREFUSED:
            return ConnectError(kind: .refused, description: "\(host):\(port) refused the connection (nothing listening there?)")
        case ENETUNREACH, EHOSTUNREACH:
            return ConnectError(kind: .unreachable, description: "\(host):\(port) is unreachable: \(text)")
        case ETIMEDOUT:
            return ConnectError(kind: .timeout, description: "connecting to \(host):\(port) timed out")
        default:
            return ConnectError(kind: .other, description: "cannot connect to \(host):\(port): \(text)")
        }
    }

    /// Binds and listens on `host:port` (port 0 picks a free port). Returns the socket and the bound port.
    package static func listen(host: String, port: Int) throws(ConnectError) -> (fd: Int32, port: Int) {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0, let ai = list else {
            throw ConnectError(kind: .dns, description: "cannot resolve listen address \(host): \(String(cString: gai_strerror(rc)))")
        }
        defer { freeaddrinfo(list) }
        let fd = socket(ai.pointee.ai_family, ai.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), ai.pointee.ai_protocol)
        guard fd >= 0 else { throw ConnectError(kind: .other, description: "socket: \(String(cString: strerror(errno)))") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        guard bind(fd, ai.pointee.ai_addr, ai.pointee.ai_addrlen) == 0 else {
            let text = String(cString: strerror(errno))
            close(fd)
            throw ConnectError(kind: .other, description: "cannot listen on \(host):\(port): \(text)")
        }
        guard Glibc.listen(fd, 512) == 0 else {
            let text = String(cString: strerror(errno))
            close(fd)
            throw ConnectError(kind: .other, description: "listen on \(host):\(port): \(text)")
        }
        setNonBlocking(fd)
        var storage = sockaddr_storage()
        var len = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let bound = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        var boundPort = port
        if bound == 0 {
            if Int32(storage.ss_family) == AF_INET {
                boundPort = withUnsafePointer(to: &storage) {
                    $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin_port)) }
                }
            } else if Int32(storage.ss_family) == AF_INET6 {
                boundPort = withUnsafePointer(to: &storage) {
                    $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin6_port)) }
                }
            }
        }
        return (fd, boundPort)
    }

    /// Accepts one pending connection (non-blocking, TCP_NODELAY), or nil when none is waiting.
    package static func accept(_ listener: Int32) -> Int32? {
        let fd = Glibc.accept(listener, nil, nil)
        guard fd >= 0 else { return nil }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        setNonBlocking(fd)
        setNoDelay(fd)
        return fd
    }

    package static func setNonBlocking(_ fd: Int32) {
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
    }

    package static func setNoDelay(_ fd: Int32) {
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    package static func close(_ fd: Int32) { _ = Glibc.close(fd) }

    /// Closes with a TCP RST instead of a FIN (SO_LINGER 0): the peer sees "connection reset". Bytes the peer
    /// has already received stay readable there; bytes still in our send queue are lost.
    package static func reset(_ fd: Int32) {
        var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
        _ = Glibc.close(fd)
    }

    /// Reads and throws away what is waiting on a non-blocking socket. False once the peer has closed (or the
    /// socket failed); true when nothing more is waiting.
    package static func discardInput(_ fd: Int32, scratch: UnsafeMutableRawBufferPointer) -> Bool {
        while true {
            let n = Glibc.read(fd, scratch.baseAddress, scratch.count)
            if n > 0 { continue }
            if n < 0 && errno == EINTR { continue }
            return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)
        }
    }

    /// Sends FIN after whatever is queued; reading goes on (a lingering close).
    package static func shutdownWrite(_ fd: Int32) { _ = Glibc.shutdown(fd, Int32(SHUT_WR)) }

    /// Ignores SIGPIPE for the whole process: a peer reset must be an error return, not a kill (exit 141).
    package static func ignoreSIGPIPE() { signal(SIGPIPE, SIG_IGN) }
}

/// The write end of the pipe the signal handler writes to (-1: none). Set before the handler is installed; atomic
/// because a waker's deinit may clear it while a signal is being handled on another thread.
private let signalWakeFD = Atomic<Int32>(-1)
/// The last signal the handler caught (0: none). Atomic: the handler stores into it on whatever thread the
/// signal lands, while the run loop reads it on another (a lock-free atomic is async-signal-safe; a lock is not).
private let lastCaughtSignal = Atomic<Int32>(0)

/// A self-pipe that wakes a thread blocked in `poll`. Any thread (and a signal handler) may `wake()`: it only
/// writes one byte and never blocks. The owner polls `readFD` and calls `drain()`; a pipe that is never drained
/// stays readable, which makes a sticky "stop" flag for a poll loop.
package final class Waker: @unchecked Sendable {
    package let readFD: Int32
    private let writeFD: Int32

    /// SIGINT and SIGTERM.
    package static let stopSignals: [Int32] = [SIGINT, SIGTERM]

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
        _ = signalWakeFD.compareExchange(expected: writeFD, desired: -1, ordering: .acquiringAndReleasing)
        Glibc.close(readFD)
        Glibc.close(writeFD)
    }

    package func wake() {
        var byte: UInt8 = 1
        _ = Glibc.write(writeFD, &byte, 1)   // a full pipe already means "wake up": ignore EAGAIN
    }

    /// Empties the pipe after poll reported it readable.
    package func drain() {
        var buffer = [UInt8](repeating: 0, count: 64)
        while Glibc.read(readFD, &buffer, buffer.count) > 0 {}
    }

    /// Waits up to `timeoutMs` for a wake (and drains it): a sleep that another thread can cut short.
    package func wait(timeoutMs: Int32) {
        var set = PollSet(capacity: 1)
        set.add(readFD, .readable)
        if set.wait(timeoutMs: timeoutMs) > 0 { drain() }
    }

    /// Blocks (or unblocks) `signals` on the calling thread; threads it starts afterwards inherit that. Blocking
    /// them everywhere but on one thread that waits in `poll` makes the kernel deliver them to that thread: the
    /// handler then runs at once (a thread blocked in a futex, as a semaphore wait is, may have it deferred by
    /// ThreadSanitizer until it wakes), and no other thread's system call is interrupted.
    package static func setBlocked(_ blocked: Bool, _ signals: [Int32] = Waker.stopSignals) {
        var set = sigset_t()
        sigemptyset(&set)
        for signo in signals { sigaddset(&set, signo) }
        pthread_sigmask(blocked ? SIG_BLOCK : SIG_UNBLOCK, &set, nil)
    }

    /// True when a wake is pending (checks without waiting).
    package var isWoken: Bool {
        var pfd = pollfd(fd: readFD, events: Int16(POLLIN), revents: 0)
        return poll(&pfd, 1, 0) == 1
    }

    /// The last signal caught by the handler of `wakeOnSignals` (nil: none), e.g. to exit 130 after SIGINT.
    package static var caughtSignal: Int32? {
        let caught = lastCaughtSignal.load(ordering: .acquiring)
        return caught == 0 ? nil : caught
    }

    /// Makes `signals` wake this waker, process-wide. The handler only calls write(2). One waker at a time
    /// receives signals: a later call moves them. Keep the waker alive while the handler is installed.
    ///
    /// Also unblocks `signals` on the calling thread: a process inherits its parent's signal mask across exec,
    /// and a parent that blocks them (Foundation's `Process` spawning from a thread that blocks nearly every
    /// signal, as Swift test runners do) would otherwise leave SIGTERM pending forever. Call it on the thread
    /// that lives as long as the handler should work (the main thread); threads it starts later inherit the mask.
    package func wakeOnSignals(_ signals: [Int32] = Waker.stopSignals) {
        signalWakeFD.store(writeFD, ordering: .releasing)
        Waker.setBlocked(false, signals)
        for signo in signals {
            signal(signo) { caught in
                let saved = errno
                lastCaughtSignal.store(caught, ordering: .releasing)
                var byte: UInt8 = 1
                _ = Glibc.write(signalWakeFD.load(ordering: .acquiring), &byte, 1)
                errno = saved
            }
        }
    }
}
