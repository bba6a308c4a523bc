import Testing
@testable import PushCore

/// Rows go to the connections in batches while the input has more buffered, and at once when the next row would
/// need another read: a slow pipe's rows are never held back waiting for input.
@Suite("RowFeeder hands rows over in batches")
struct RowFeederBatchTests {
    final class Log: @unchecked Sendable {
        var sent: [Int] = []            // lines, in the order send received them
        var batches: [Int] = []         // size of each batch
        var sentAtRead: [Int] = []      // rows sent when each read of the source began
    }

    /// Hands out one chunk per read and notes how many rows had been sent by then.
    private struct WatchedSource: ByteSource {
        var chunks: [[UInt8]]
        let log: Log
        mutating func read(into buffer: inout [UInt8], max: Int) throws -> Int {
            log.sentAtRead.append(log.sent.count)
            guard !chunks.isEmpty else { return 0 }
            let chunk = chunks.removeFirst()
            buffer.append(contentsOf: chunk)
            return chunk.count
        }
    }

    private func feed(_ chunks: [String]) throws -> Log {
        let log = Log()
        var reader = try CSVReader(source: WatchedSource(chunks: chunks.map { Array($0.utf8) }, log: log), name: "in.csv")
        let preparer = RowPreparer(template: try PayloadTemplate(text: #"{"aps":{"alert":"hi"}}"#),
                                   defaults: NotificationDefaults())
        var planner = RowPlanner(plan: RowPlan(preparer: preparer))
        let control = RunControl()
        let sink = ReportSink(writer: try ReportWriter(path: "/dev/null", format: .jsonl), summary: RunSummary(startedAtMs: 0),
                              control: control)
        let error = RowFeeder.feed(reader: &reader, planner: &planner, control: control, sink: sink) { batch in
            log.batches.append(batch.count)
            log.sent += batch.map(\.line)
            batch.removeAll()
            return true
        }
        #expect(error == nil)
        return log
    }

    private static func token(_ i: Int) -> String { String(repeating: "0", count: 60) + String(format: "%04x", i) }

    @Test("every row is sent once, in order; a buffered input goes in batches of at most 64")
    func batches() throws {
        let rows = (1...150).map { Self.token($0) + "\n" }.joined()
        let log = try feed(["token\n" + rows])
        #expect(log.sent == Array(2...151))
        #expect(log.batches.allSatisfy { $0 <= RowFeeder.batchSize })
        #expect(log.batches.count < 10, "150 buffered rows take a few batches, not one per row: \(log.batches)")
    }

    @Test("rows read before the input stalls are handed over before the next read")
    func slowSource() throws {
        let log = try feed(["token\n" + Self.token(1) + "\n" + Self.token(2) + "\n", Self.token(3) + "\n"])
        #expect(log.sent == [2, 3, 4])
        // Reads: the header's chunk, then the one for line 4 (by then lines 2 and 3 went), then the end.
        #expect(log.sentAtRead.count >= 2)
        #expect(log.sentAtRead[1] == 2, "lines 2 and 3 were sent before the source was read again")
    }
}
