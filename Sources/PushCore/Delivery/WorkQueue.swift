import Foundation

/// The queue between the reader (one producer) and the connection threads (consumers), with the rows that
/// wait to be retried.
///
/// The producer blocks in `push` while the queue is full: that is the back-pressure that keeps memory flat
/// whatever the input size. Consumers never block here: each one runs its own poll loop, takes up to its
/// free stream capacity with `take`, and when nothing is ready it leaves a `Waker` that the next `push`,
/// `reschedule` or `finish` pokes. A row waiting for its retry time sits in a timer heap here, holding no
/// stream and no concurrency slot. Rows handed back for an immediate resend (refused by GOAWAY) go to the
/// front and are never refused for lack of space.
///
/// The queue also counts rows *out* (taken, not yet settled or handed back), so it knows when the whole
/// campaign is done: input finished, nothing queued, nothing waiting, nothing out.
package final class WorkQueue: @unchecked Sendable {
    private let condition = NSCondition()
    // `@exclusivity(unchecked)`: only touched with the lock held; dynamic checks cost ~75 instructions per access.
    @exclusivity(unchecked) private var ring: Ring<Delivery>
    @exclusivity(unchecked) private var delayed = TimerHeap<Delivery>()
    private let capacity: Int
    private var inputFinished = false
    private var aborted = false
    @exclusivity(unchecked) private var outstanding = 0
    private var waiting: [ObjectIdentifier: Waker] = [:]

    /// Where connections give back the payloads of settled rows (the template's), nil when nothing renders into them.
    package let payloadBuffers: PayloadBuffers?

    package init(capacity: Int, payloadBuffers: PayloadBuffers? = nil) {
        self.capacity = max(1, capacity)
        self.payloadBuffers = payloadBuffers
        ring = Ring(capacity: self.capacity)
    }

    /// Adds one notification, waiting while the queue is full. Returns false when the run was aborted.
    @discardableResult
    package func push(_ notification: consuming PushNotification) -> Bool {
        condition.lock()
        while ring.count >= capacity && !aborted { condition.wait() }
        if aborted {
            condition.unlock()
            return false
        }
        ring.append(Delivery(notification))
        let wakers = takeWaiters()
        condition.unlock()
        for waker in wakers { waker.wake() }
        return true
    }

    /// Adds the notifications of `batch` in order (emptying it; its storage is kept for the next batch), waiting
    /// while the queue is full: one lock and one wake-up for many rows. Returns false when the run was aborted.
    @discardableResult
    package func push(batch: inout [PushNotification]) -> Bool {
        // Rows leave by popLast: moved out, in order. Reversed through the buffer pointer, whose swaps move the rows
        // (Array's own `reverse()` copies each one: a retain and a release per string of the row).
        batch.withUnsafeMutableBufferPointer { $0.reverse() }
        defer { batch.removeAll(keepingCapacity: true) }
        while !batch.isEmpty {
            condition.lock()
            while ring.count >= capacity && !aborted { condition.wait() }
            if aborted {
                condition.unlock()
                return false
            }
            while ring.count < capacity, let row = batch.popLast() { ring.append(Delivery(row)) }
            let wakers = takeWaiters()
            condition.unlock()
            for waker in wakers { waker.wake() }
        }
        return true
    }

    /// Hands back rows that were taken: each is sent again after its delay (0: before anything else).
    package func reschedule(_ retries: [(delivery: Delivery, delayMs: Int)], nowNs: UInt64 = Clock.monotonicNanoseconds()) {
        guard !retries.isEmpty else { return }
        condition.lock()
        outstanding -= retries.count
        if !aborted {
            for (delivery, delayMs) in retries.reversed() where delayMs <= 0 { ring.prepend(delivery) }
            for (delivery, delayMs) in retries where delayMs > 0 {
                delayed.insert(delivery, dueNs: nowNs + UInt64(delayMs) * 1_000_000)
            }
        }
        let wakers = takeWaiters()
        condition.unlock()
        for waker in wakers { waker.wake() }
    }

    /// `count` taken rows were settled (written to the report).
    package func settled(_ count: Int) {
        guard count > 0 else { return }
        condition.lock()
        outstanding -= count
        let done = isExhaustedLocked
        let wakers = done ? takeWaiters() : []
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
    /// Queued and waiting rows are dropped; they were never sent (a later `--resume` sends them).
    package func abort() {
        condition.lock()
        aborted = true
        ring.removeAll()
        delayed.removeAll()
        let wakers = takeWaiters()
        condition.broadcast()
        condition.unlock()
        for waker in wakers { waker.wake() }
    }

    package var isAborted: Bool {
        condition.lock()
        defer { condition.unlock() }
        return aborted
    }

    package enum Take {
        /// Up to `max` rows (possibly none: the waker will be poked when more arrive). `nextDueNs` is when the
        /// earliest waiting retry becomes due, so the caller can wake up for it.
        case items([Delivery], nextDueNs: UInt64?)
        /// The campaign is done (input finished or aborted; nothing queued, waiting or out): nothing more will come.
        case exhausted
    }

    /// Takes up to `max` rows without blocking. Due retries come first. When none are ready, `waker` is
    /// registered to be poked by the next push, reschedule, finish or abort.
    package func take(max: Int, waker: Waker, nowNs: UInt64 = Clock.monotonicNanoseconds()) -> Take {
        var items: [Delivery] = []
        guard case .taken(let nextDueNs) = take(max: max, waker: waker, nowNs: nowNs, reversedInto: &items) else {
            return .exhausted
        }
        return .items(items.reversed(), nextDueNs: nextDueNs)
    }

    package enum Taken {
        /// Rows (possibly none) were added; `nextDueNs` as in `Take.items`.
        case taken(nextDueNs: UInt64?)
        case exhausted
    }

    /// `take(max:waker:nowNs:)` for the connections' hot path: the rows are appended to `items` last first, so the
    /// caller takes them in order with `popLast()`: moved out, never copied (a copy retains every string of a row),
    /// into an array the caller keeps from pass to pass.
    package func take(max: Int, waker: Waker, nowNs: UInt64 = Clock.monotonicNanoseconds(),
                      reversedInto items: inout [Delivery]) -> Taken {
        condition.lock()
        defer { condition.unlock() }
        var due: [Delivery] = []
        while let next = delayed.popDue(nowNs: nowNs) { due.append(next) }
        for delivery in due.reversed() { ring.prepend(delivery) }
        if ring.isEmpty || max <= 0 {
            if ring.isEmpty && isExhaustedLocked { return .exhausted }
            waiting[ObjectIdentifier(waker)] = waker
            return .taken(nextDueNs: delayed.nextDueNs)
        }
        let n = Swift.min(max, ring.count)
        ring.removeFirst(n, reversedInto: &items)
        outstanding += n
        if ring.count < capacity { condition.signal() }
        return .taken(nextDueNs: delayed.nextDueNs)
    }

    /// True when the campaign is done: input finished (or aborted) and nothing queued, waiting or out.
    package var isExhausted: Bool {
        condition.lock()
        defer { condition.unlock() }
        return isExhaustedLocked
    }

    private var isExhaustedLocked: Bool {
        (inputFinished || aborted) && ring.isEmpty && delayed.isEmpty && outstanding <= 0
    }

    /// Rows queued or waiting to be retried.
    package var count: Int {
        condition.lock()
        defer { condition.unlock() }
        return ring.count + delayed.count
    }

    private func takeWaiters() -> [Waker] {
        guard !waiting.isEmpty else { return [] }
        let wakers = Array(waiting.values)
        waiting.removeAll(keepingCapacity: true)
        return wakers
    }
}

/// A min-heap of values by due time (FIFO among equal times).
struct TimerHeap<Element> {
    private var entries: [(dueNs: UInt64, sequence: UInt64, value: Element)] = []
    private var nextSequence: UInt64 = 0

    var isEmpty: Bool { entries.isEmpty }
    var count: Int { entries.count }
    var nextDueNs: UInt64? { entries.first?.dueNs }

    mutating func insert(_ value: Element, dueNs: UInt64) {
        entries.append((dueNs, nextSequence, value))
        nextSequence += 1
        var child = entries.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard less(child, parent) else { break }
            entries.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the earliest value if it is due at `nowNs`.
    mutating func popDue(nowNs: UInt64) -> Element? {
        guard let first = entries.first, first.dueNs <= nowNs else { return nil }
        entries.swapAt(0, entries.count - 1)
        let value = entries.removeLast().value
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < entries.count && less(left, smallest) { smallest = left }
            if right < entries.count && less(right, smallest) { smallest = right }
            if smallest == parent { break }
            entries.swapAt(parent, smallest)
            parent = smallest
        }
        return value
    }

    mutating func removeAll() { entries.removeAll() }

    private func less(_ a: Int, _ b: Int) -> Bool {
        entries[a].dueNs != entries[b].dueNs ? entries[a].dueNs < entries[b].dueNs : entries[a].sequence < entries[b].sequence
    }
}

/// A growable ring buffer (FIFO with cheap prepend).
struct Ring<Element> {
    private var storage: [Element?]
    private var head = 0
    private(set) var count = 0

    init(capacity: Int) { storage = Array(repeating: nil, count: Swift.max(4, capacity)) }

    var isEmpty: Bool { count == 0 }

    // Elements are moved in (`consuming`) and out (`take()`), never copied: a row's strings are not retained again.
    mutating func append(_ element: consuming Element) {
        if count == storage.count { grow() }
        storage[(head + count) % storage.count] = element
        count += 1
    }

    mutating func prepend(_ element: consuming Element) {
        if count == storage.count { grow() }
        head = (head - 1 + storage.count) % storage.count
        storage[head] = element
        count += 1
    }

    mutating func removeFirst() -> Element {
        precondition(count > 0, "removeFirst on an empty ring")
        let taken = storage[head].take()
        head = (head + 1) % storage.count
        count -= 1
        return taken!
    }

    /// Moves the first `n` elements to the end of `out`, the `n`th first and the first last.
    mutating func removeFirst(_ n: Int, reversedInto out: inout [Element]) {
        precondition(n >= 0 && n <= count, "removeFirst(\(n)) of a ring of \(count)")
        out.reserveCapacity(out.count + n)
        var offset = n
        while offset > 0 {
            offset -= 1
            // `take()` moves the element out, leaving nil (a swap with a nil local moved it three times).
            guard let element = storage[(head + offset) % storage.count].take() else { preconditionFailure("ring slot empty") }
            out.append(element)
        }
        head = (head + n) % storage.count
        count -= n
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
