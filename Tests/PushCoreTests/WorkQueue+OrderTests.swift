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
        guard case .items(let first) = queue.take(max: 2, waker: waker) else { Issue.record("expected items"); return }
        #expect(first.map(\.line) == [1, 2])
        queue.requeue(first)
        guard case .items(let again) = queue.take(max: 10, waker: waker) else { Issue.record("expected items"); return }
        #expect(again.map(\.line) == [1, 2, 3, 4, 5])
        guard case .items(let none) = queue.take(max: 10, waker: waker) else { Issue.record("expected items"); return }
        #expect(none.isEmpty, "empty but not finished: no items, waker registered")
        queue.finish()
        guard case .exhausted = queue.take(max: 10, waker: waker) else { Issue.record("expected exhausted"); return }
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
        guard case .items(let got) = queue.take(max: 3, waker: waker) else { Issue.record("expected items"); return }
        #expect(got.count == 3)
        for _ in 0..<50 where pushed.value < 6 { try await Task.sleep(for: .milliseconds(20)) }
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
        for _ in 0..<50 where result.value == 0 { try await Task.sleep(for: .milliseconds(20)) }
        #expect(result.value == 1, "push returns false after abort")
        #expect(queue.count == 0)
        guard case .exhausted = queue.take(max: 1, waker: Waker()) else { Issue.record("expected exhausted"); return }
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.lock(); count += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}
