#if canImport(Glibc)
import Glibc
#endif

/// What a file descriptor is ready for (or asked to wait for).
package struct PollEvents: OptionSet, Sendable {
    package let rawValue: Int16
    package init(rawValue: Int16) { self.rawValue = rawValue }

    package static let readable = PollEvents(rawValue: Int16(POLLIN))
    package static let writable = PollEvents(rawValue: Int16(POLLOUT))
    /// Error, hang-up or invalid descriptor: reported whether asked for or not.
    package static let failed = PollEvents(rawValue: Int16(POLLERR) | Int16(POLLHUP) | Int16(POLLNVAL))
}

/// A reusable `poll(2)` set: fill it, wait, read the results by index. One thread only.
package struct PollSet {
    private var fds: [pollfd] = []

    package init(capacity: Int = 16) { fds.reserveCapacity(capacity) }

    package var count: Int { fds.count }

    /// Empties the set, keeping its storage.
    package mutating func removeAll() { fds.removeAll(keepingCapacity: true) }

    /// Adds `fd`; returns its index for `events(at:)`.
    @discardableResult
    package mutating func add(_ fd: Int32, _ events: PollEvents) -> Int {
        fds.append(pollfd(fd: fd, events: events.rawValue, revents: 0))
        return fds.count - 1
    }

    /// Blocks until a descriptor is ready or `timeoutMs` passes (-1 waits forever). Returns how many are ready;
    /// an interrupted wait (EINTR) returns 0.
    @discardableResult
    package mutating func wait(timeoutMs: Int32) -> Int {
        let n = fds.withUnsafeMutableBufferPointer { poll($0.baseAddress, nfds_t($0.count), timeoutMs) }
        return n < 0 ? 0 : Int(n)
    }

    /// Blocks until a descriptor is ready, waiting again after an interruption (EINTR); returns at once on any
    /// other failure (the events then read empty).
    package mutating func waitUntilReady() {
        while fds.withUnsafeMutableBufferPointer({ poll($0.baseAddress, nfds_t($0.count), -1) }) < 0 && errno == EINTR {}
    }

    package func events(at index: Int) -> PollEvents { PollEvents(rawValue: fds[index].revents) }
}
