import Testing
import Foundation
@testable import PushCore

@Suite("WorkQueue and Ring")
struct WorkQueueTests {
    private func note(_ line: Int) -> PushNotification {
        PushNotification(line: line, token: String(format: "%064x", line), payload: Array("{}".utf8))
    }

    @Test("ring keeps FIFO order across growth, with prepends first")
    func ringOrder() {
        var ring = Ring<Int>(capacity: 4)
        for i in 1...10 { ring.append(i) }
        ring.prepend(0)
        ring.prepend(-1)
        var out: [Int] = []
        while !ring.isEmpty { out.append(ring.removeFirst()) }
        #expect(out == Array(-1...10))
    }

    @Test("take returns at most max, in order; requeued items come first")
    func takeAndRequeue() {
        let queue = WorkQueue(capacity: 10)
        let waker = Waker()
        for i in 1...5 { queue.push(note(i)) }
        guard case .items(let first, _) = queue.take(max: 2, waker: waker) else { Issue.record("expected items"); return }
        #expect(first.map(\.notification.line) == [1, 2])
        queue.reschedule(first.map { ($0, 0) })
        guard case .items(let again, _) = queue.take(max: 10, waker: waker) else { Issue.record("expected items"); return }
        #expect(again.map(\.notification.line) == [1, 2, 3, 4, 5])
        guard case .items(let none, _) = queue.take(max: 10, waker: waker) else { Issue.record("expected items"); return }
        #expect(none.isEmpty, "empty but not finished: no items, waker registered")
        queue.finish()
        guard case .items(let stillOut, _) = queue.take(max: 10, waker: waker), stillOut.isEmpty else {
            Issue.record("five rows are still out (taken, not settled): not exhausted yet")
            return
        }
        queue.settled(5)
        guard case .exhausted = queue.take(max: 10, waker: waker) else { Issue.record("expected exhausted"); return }
    }

    @Test("the ring hands out its first n last first, across the wrap, after what the array held")
    func ringRemoveFirstReversed() {
        var ring = Ring<Int>(capacity: 4)
        for i in 1...3 { ring.append(i) }
        _ = ring.removeFirst()
        _ = ring.removeFirst()
        for i in 4...6 { ring.append(i) }   // head at 2: 3, 4, 5, 6 wrap around the storage's end
        var out = [99]
        ring.removeFirst(3, reversedInto: &out)
        #expect(out == [99, 5, 4, 3])
        #expect(ring.count == 1 && ring.removeFirst() == 6)
    }

    @Test("take(reversedInto:) gives the caller rows last first, due retries first, and counts them out")
    func takeReversed() {
        let queue = WorkQueue(capacity: 10)
        let waker = Waker()
        for i in 1...4 { queue.push(note(i)) }
        var taken: [Delivery] = []
        guard case .taken = queue.take(max: 3, waker: waker, reversedInto: &taken) else { Issue.record("expected rows"); return }
        #expect(taken.map(\.notification.line) == [3, 2, 1])
        var sent: [Int] = []
        while let row = taken.popLast() { sent.append(row.notification.line) }
        #expect(sent == [1, 2, 3], "popLast sends them in input order")
        queue.reschedule([(Delivery(note(9)), 0)])
        guard case .taken = queue.take(max: 5, waker: waker, reversedInto: &taken) else { Issue.record("expected rows"); return }
        #expect(taken.map(\.notification.line) == [4, 9])
        queue.finish()
        queue.settled(4)
        guard case .exhausted = queue.take(max: 5, waker: waker, reversedInto: &taken) else {
            Issue.record("input finished and every row taken was settled: exhausted"); return
        }
    }

    @Test("a full queue blocks the producer until a consumer takes")
    func backPressure() async throws {
        let queue = WorkQueue(capacity: 3)
        let pushed = Counter()
        let producer = Thread { [self] in
            for i in 1...6 {
                queue.push(note(i))
                pushed.increment()
            }
        }
        producer.start()
        try await Task.sleep(for: .milliseconds(200))
        #expect(pushed.value == 3, "the producer must wait while 3 items are queued")
        let waker = Waker()
        guard case .items(let got, _) = queue.take(max: 3, waker: waker) else { Issue.record("expected items"); return }
        #expect(got.count == 3)
        _ = try await TestTime.asyncWaitUntil(seconds: 2) { pushed.value >= 6 }
        #expect(pushed.value == 6)
        #expect(queue.count == 3)
    }

    @Test("abort releases a blocked producer and drops what was queued")
    func abortReleases() async throws {
        let queue = WorkQueue(capacity: 1)
        queue.push(note(1))
        let result = Counter()
        let producer = Thread { [self] in
            if !queue.push(note(2)) { result.increment() }
        }
        producer.start()
        try await Task.sleep(for: .milliseconds(100))
        queue.abort()
        _ = try await TestTime.asyncWaitUntil(seconds: 2) { result.value != 0 }
        #expect(result.value == 1, "push returns false after abort")
        #expect(queue.count == 0)
        guard case .exhausted = queue.take(max: 1, waker: Waker()) else { Issue.record("expected exhausted"); return }
    }
}

extension WorkQueueTests {
    @Test("a retry waits in the timer heap until it is due, holding no slot, and comes before new rows")
    func delayedRetry() {
        let queue = WorkQueue(capacity: 10)
        let waker = Waker()
        queue.push(note(1))
        queue.push(note(2))
        guard case .items(let first, _) = queue.take(max: 1, waker: waker, nowNs: 1_000) else { Issue.record("items"); return }
        queue.reschedule([(first[0], 50)], nowNs: 1_000)   // due at 1_000 + 50 ms
        guard case .items(let early, let due) = queue.take(max: 5, waker: waker, nowNs: 2_000) else { Issue.record("items"); return }
        #expect(early.map(\.notification.line) == [2], "the waiting retry is not taken before it is due")
        #expect(due == 1_000 + 50_000_000)
        queue.finish()
        queue.settled(1)
        guard case .items(let none, _) = queue.take(max: 5, waker: waker, nowNs: 3_000) else {
            Issue.record("a waiting retry keeps the campaign open")
            return
        }
        #expect(none.isEmpty)
        guard case .items(let late, let after) = queue.take(max: 5, waker: waker, nowNs: 60_000_000) else {
            Issue.record("items")
            return
        }
        #expect(late.map(\.notification.line) == [1])
        #expect(after == nil)
        queue.settled(1)
        #expect(queue.isExhausted)
    }

    @Test("timer heap pops in due order, FIFO among equal times")
    func timerHeap() {
        var heap = TimerHeap<Int>()
        for (value, due) in [(1, 50), (2, 10), (3, 50), (4, 30), (5, 10)] { heap.insert(value, dueNs: UInt64(due)) }
        var out: [Int] = []
        while let v = heap.popDue(nowNs: 100) { out.append(v) }
        #expect(out == [2, 5, 4, 1, 3])
        heap.insert(9, dueNs: 200)
        #expect(heap.popDue(nowNs: 199) == nil)
        #expect(heap.nextDueNs == 200)
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.lock(); count += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}

extension WorkQueueTests {
    @Test("a batch goes in in order, waits for room when larger than the queue, and leaves the batch empty")
    func batchPush() async throws {
        let queue = WorkQueue(capacity: 4)
        let done = Counter()
        let producer = Thread { [self] in
            var batch = (1...10).map(note)
            if queue.push(batch: &batch), batch.isEmpty { done.increment() }
        }
        producer.start()
        var lines: [Int] = []
        let waker = Waker()
        for _ in 0..<200 where lines.count < 10 {
            if case .items(let got, _) = queue.take(max: 3, waker: waker) {
                #expect(got.count <= 3)
                lines += got.map(\.notification.line)
            }
            try await Task.sleep(for: .milliseconds(5))
        }
        _ = try await TestTime.asyncWaitUntil(seconds: 2) { done.value != 0 }
        #expect(lines == Array(1...10))
        #expect(done.value == 1)
    }

    @Test("abort releases a producer blocked in the middle of a batch")
    func batchAbort() async throws {
        let queue = WorkQueue(capacity: 2)
        let refused = Counter()
        let producer = Thread { [self] in
            var batch = (1...5).map(note)
            if !queue.push(batch: &batch) { refused.increment() }
        }
        producer.start()
        try await Task.sleep(for: .milliseconds(100))
        #expect(queue.count == 2, "the first two rows went in; the producer waits for room")
        queue.abort()
        _ = try await TestTime.asyncWaitUntil(seconds: 2) { refused.value != 0 }
        #expect(refused.value == 1)
        #expect(queue.count == 0)
    }
}
