import Foundation

/// Payload arrays handed back by the connections once their streams closed, for the reader to render the next rows
/// into. Without it every payload is allocated on the reader's thread and freed on a connection's: glibc then takes
/// its slow path on both sides (~600 instructions a malloc, the freed memory never reaching the reader's cache).
///
/// Bounded (`limit` arrays, none over `largestCapacity` bytes): memory stays flat. Thread-safe: connections give
/// a batch per loop pass, the reader takes one per row, each under the lock.
package final class PayloadBuffers: @unchecked Sendable {
    private let lock = NSLock()
    // `@exclusivity(unchecked)`: only touched with `lock` held.
    @exclusivity(unchecked) private var spare: [[UInt8]] = []
    package let limit: Int
    /// Arrays with more capacity than this are dropped, not kept.
    package static let largestCapacity = 8192

    package init(limit: Int = 1024) {
        self.limit = limit
    }

    /// An array to render into (its contents are stale: empty it first), or nil when none was given back.
    package func take() -> [UInt8]? {
        lock.lock()
        defer { lock.unlock() }
        return spare.popLast()
    }

    /// Keeps the arrays of `buffers` (up to `limit` in all) and empties it.
    package func give(_ buffers: inout [[UInt8]]) {
        lock.lock()
        while spare.count < limit, let buffer = buffers.popLast() {
            if buffer.capacity <= Self.largestCapacity { spare.append(buffer) }
        }
        lock.unlock()
        buffers.removeAll(keepingCapacity: true)
    }

    /// Arrays held now (for tests).
    package var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return spare.count
    }
}
