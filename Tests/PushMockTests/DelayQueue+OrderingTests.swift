import PushCore
import Testing
@testable import PushMock

@Suite("DelayQueue: timers for delayed answers")
struct DelayQueueOrderingTests {
    func drain(_ queue: inout DelayQueue<String>, now: Int64) -> [String] {
        var out: [String] = []
        while let element = queue.popDue(now: now) { out.append(element) }
        return out
    }

    @Test func nothingComesOutBeforeItIsDue() {
        var queue = DelayQueue<String>()
        #expect(queue.nextDue == nil)
        queue.schedule("a", at: 100)
        #expect(queue.nextDue == 100)
        #expect(queue.popDue(now: 99) == nil)
        #expect(queue.count == 1)
        #expect(queue.popDue(now: 100) == "a")
        #expect(queue.isEmpty)
    }

    @Test func earliestFirstAndTiesInSchedulingOrder() {
        var queue = DelayQueue<String>()
        queue.schedule("late", at: 300)
        queue.schedule("first-at-100", at: 100)
        queue.schedule("second-at-100", at: 100)
        queue.schedule("middle", at: 200)
        queue.schedule("third-at-100", at: 100)
        #expect(queue.nextDue == 100)
        #expect(drain(&queue, now: 250) == ["first-at-100", "second-at-100", "third-at-100", "middle"])
        #expect(queue.nextDue == 300)
        #expect(drain(&queue, now: 1000) == ["late"])
    }

    @Test func manyTimersComeOutSortedAndStable() {
        var queue = DelayQueue<Int>()
        var generator = SplitMix64(seed: 5)
        var expected: [(due: Int64, index: Int)] = []
        for index in 0..<2000 {
            let due = Int64(generator.next() % 50)
            queue.schedule(index, at: due)
            expected.append((due, index))
        }
        expected.sort { $0.due != $1.due ? $0.due < $1.due : $0.index < $1.index }
        var out: [Int] = []
        while let element = queue.popDue(now: 49) { out.append(element) }
        #expect(out == expected.map(\.index))
    }

    @Test func removeAllEmpties() {
        var queue = DelayQueue<String>()
        queue.schedule("a", at: 1)
        queue.schedule("b", at: 2)
        #expect(queue.removeAll() == 2)
        #expect(queue.popDue(now: .max) == nil)
    }
}
