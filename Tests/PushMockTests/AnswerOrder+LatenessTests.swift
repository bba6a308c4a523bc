import Testing
@testable import PushMock

@Suite("AnswerOrder: answers that come back after much newer ones")
struct AnswerOrderLatenessTests {
    struct Row: Sendable, CustomTestStringConvertible {
        var streams: [Int32]
        var late: [Bool]
        var maxReorder: Int
        var testDescription: String { streams.map(String.init).joined(separator: ",") }
    }

    static let table: [Row] = [
        // In order: never late, no reorder.
        Row(streams: [1, 3, 5, 7], late: [false, false, false, false], maxReorder: 0),
        // 3 answered after 5: one request behind.
        Row(streams: [1, 5, 3], late: [false, false, false], maxReorder: 1),
        // 999 requests behind: not yet late.
        Row(streams: [2001, 3], late: [false, false], maxReorder: 999),
        // 1,000 requests behind: late.
        Row(streams: [2001, 1], late: [false, true], maxReorder: 1000),
        // Several late ones; the newest answered so far is what counts.
        Row(streams: [1, 4001, 3, 2001, 1999, 4003, 2003], late: [false, false, true, true, true, false, true],
            maxReorder: 1999),
    ]

    @Test(arguments: table)
    func lateness(_ row: Row) {
        var order = AnswerOrder()
        var maximum = 0
        for (stream, late) in zip(row.streams, row.late) {
            let result = order.answered(stream: stream)
            #expect(result.late == late, "stream \(stream)")
            #expect(result.newMaximum == (order.maxReorder > maximum))
            maximum = order.maxReorder
        }
        #expect(order.maxReorder == row.maxReorder)
        #expect(order.newestAnswered == row.streams.max())
    }
}
