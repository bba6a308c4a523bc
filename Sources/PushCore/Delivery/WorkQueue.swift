import Foundation

/// The bounded queue between the reader (one producer) and the connection threads (consumers).
///
/// The producer blocks in `push` while the queue is full: that is the back-pressure that keeps memory flat
/// whatever the input size. Consumers never block here: each one runs its own poll loop, takes up to its
/// free stream capacity with `take`, and when it finds the queue empty it leaves a `Waker` that the next
/// `push` (or `finish`) pokes. Requests handed back by a connection (refused by GOAWAY) go to the front and
/// are never refused for lack of space.
package final class WorkQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var ring: Ring<PushNotification>
    private let capacity: Int
    private var inputFinished = false
    private var aborted = false
    private var waiting: [ObjectIdentifier: Waker] = [:]

    package init(capacity: Int) {
        self.capacity = max(1, capacity)
        ring = Ring(capacity: self.capacity)
    }

    /// Adds one notification, waiting while the queue is full. Returns false when the run was aborted.
    @discardableResult
    package func push(_ notification: PushNotification) -> Bool {
        condition.lock()
        while ring.count >= capacity && !aborted { condition.wait() }
        if aborted {
            condition.unlock()
            return false
        }
        ring.append(notification)
        let wakers = takeWaiters()
        condition.unlock()
        for waker in wakers { waker.wake() }
        return true
    }

    /// Puts back notifications that were never processed by the server; they are sent before anything else.
    package func requeue(_ notifications: [PushNotification]) {
        guard !notifications.isEmpty else { return }
        condition.lock()
        for n in notifications.reversed() { ring.prepend(n) }
        let wakers = takeWaiters()
        condition.unlock()
        for waker in wakers { waker.wake() }
    }

    /// No more input will come.
    package func finish() {
        condition.lock()
        inputFinished = true
        let wakers = takeWaiters()
        condition.unlock()
        for waker in wakers { waker.wake() }
    }

    /// Stops the run: wakes a blocked producer (its `push` returns false) and every consumer.
    /// Queued notifications are dropped; they were never sent (a later `--resume` sends them).
    package func abort() {
        condition.lock()
        aborted = true
        ring.removeAll()
        let wakers = takeWaiters()
        condition.broadcast()
        condition.unlock()
        for waker in wakers { waker.wake() }
    }

    package enum Take {
        /// Up to `max` notifications (possibly none: the waker will be poked when more arrive).
        case items([PushNotification])
        /// Input is finished (or the run aborted) and the queue is empty: nothing more will come.
        case exhausted
    }

    /// Takes up to `max` notifications without blocking. When none are available, `waker` is registered
    /// to be poked by the next push, requeue, finish or abort.
    package func take(max: Int, waker: Waker) -> Take {
        condition.lock()
        defer { condition.unlock() }
        if ring.isEmpty {
            if inputFinished || aborted { return .exhausted }
            waiting[ObjectIdentifier(waker)] = waker
            return .items([])
        }
        var items: [PushNotification] = []
        let n = Swift.min(max, ring.count)
        items.reserveCapacity(n)
        for _ in 0..<n { items.append(ring.removeFirst()) }
        if ring.count < capacity { condition.signal() }
        return .items(items)
    }

    /// Notifications waiting to be sent.
    package var count: Int {
        condition.lock()
        defer { condition.unlock() }
        return ring.count
    }

    private func takeWaiters() -> [Waker] {
        guard !waiting.isEmpty else { return [] }
        let wakers = Array(waiting.values)
        waiting.removeAll(keepingCapacity: true)
        return wakers
    }
}

/// A growable ring buffer (FIFO with cheap prepend).
struct Ring<Element> {
    private var storage: [Element?]
    private var head = 0
    private(set) var count = 0

    init(capacity: Int) { storage = Array(repeating: nil, count: Swift.max(4, capacity)) }

    var isEmpty: Bool { count == 0 }

    mutating func append(_ element: Element) {
        if count == storage.count { grow() }
        storage[(head + count) % storage.count] = element
        count += 1
    }

    mutating func prepend(_ element: Element) {
        if count == storage.count { grow() }
        head = (head - 1 + storage.count) % storage.count
        storage[head] = element
        count += 1
    }

    mutating func removeFirst() -> Element {
        precondition(count > 0, "removeFirst on an empty ring")
        let element = storage[head]!
        storage[head] = nil
        head = (head + 1) % storage.count
        count -= 1
        return element
    }

    mutating func removeAll() {
        while count > 0 { _ = removeFirst() }
    }

    private mutating func grow() {
        var bigger: [Element?] = Array(repeating: nil, count: storage.count * 2)
        for i in 0..<count { bigger[i] = storage[(head + i) % storage.count] }
        storage = bigger
        head = 0
    }
}
