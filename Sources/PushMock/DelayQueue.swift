/// Elements due at given times, taken out earliest first; elements due at the same time come out in the order
/// they were scheduled. A binary min-heap on (due, sequence number). Pure: the caller passes the time.
///
/// `apnsctl mock --latency` puts each answer here instead of sleeping the poll loop; the loop waits until
/// `nextDue` and then takes out everything due.
public struct DelayQueue<Element> {
    private struct Entry {
        var due: Int64
        var sequence: UInt64
        var element: Element

        func precedes(_ other: Entry) -> Bool {
            due != other.due ? due < other.due : sequence < other.sequence
        }
    }

    private var heap: [Entry] = []
    private var nextSequence: UInt64 = 0

    public init() {}

    public var count: Int { heap.count }
    public var isEmpty: Bool { heap.isEmpty }

    /// When the earliest element is due, nil when empty.
    public var nextDue: Int64? { heap.first?.due }

    public mutating func schedule(_ element: Element, at due: Int64) {
        heap.append(Entry(due: due, sequence: nextSequence, element: element))
        nextSequence &+= 1
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].precedes(heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    /// The earliest element if it is due at `now` (due ≤ now), removed; else nil.
    public mutating func popDue(now: Int64) -> Element? {
        guard let first = heap.first, first.due <= now else { return nil }
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1
                let right = left + 1
                var smallest = parent
                if left < heap.count && heap[left].precedes(heap[smallest]) { smallest = left }
                if right < heap.count && heap[right].precedes(heap[smallest]) { smallest = right }
                if smallest == parent { break }
                heap.swapAt(parent, smallest)
                parent = smallest
            }
        }
        return first.element
    }

    /// Removes every element (e.g. at shutdown); returns how many there were.
    @discardableResult
    public mutating func removeAll() -> Int {
        defer { heap.removeAll() }
        return heap.count
    }
}
