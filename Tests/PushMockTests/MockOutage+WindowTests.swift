import Testing
@testable import PushMock

@Suite("MockOutage: a timed server-wide outage")
struct MockOutageWindowTests {
    static let outage = MockOutage(startMs: 10_000, endMs: 40_000)

    @Test("Active from FROM (inclusive) to TO (exclusive)", arguments: [
        (Int64(0), false), (9_999, false), (10_000, true), (25_000, true), (39_999, true), (40_000, false), (90_000, false),
    ])
    func window(elapsed: Int64, active: Bool) {
        #expect(Self.outage.isActive(elapsedMs: elapsed) == active)
        #expect(Self.outage.answersUnavailable(elapsedMs: elapsed) == active)
        var refusing = Self.outage
        refusing.mode = .refuse
        #expect(!refusing.answersUnavailable(elapsedMs: elapsed))
    }

    struct ListenerRow: Sendable {
        var elapsed: Int64
        var listening: Bool
        var change: MockOutage.ListenerChange
    }

    @Test("Refuse mode closes the listener during the outage and opens it again after", arguments: [
        ListenerRow(elapsed: 5_000, listening: true, change: .none),
        ListenerRow(elapsed: 10_000, listening: true, change: .close),
        ListenerRow(elapsed: 20_000, listening: false, change: .none),
        ListenerRow(elapsed: 40_000, listening: false, change: .reopen),
        ListenerRow(elapsed: 50_000, listening: true, change: .none),
    ])
    func listener(_ row: ListenerRow) {
        let refusing = MockOutage(startMs: 10_000, endMs: 40_000, mode: .refuse)
        #expect(refusing.listenerChange(elapsedMs: row.elapsed, listening: row.listening) == row.change)
        // 503 mode never touches the listener.
        #expect(Self.outage.listenerChange(elapsedMs: row.elapsed, listening: row.listening) == .none)
    }

    @Test("The server wakes at each edge", arguments: [
        (Int64(0), Int64?.some(10_000)), (10_000, 40_000), (39_999, 40_000), (40_000, nil),
    ])
    func nextChange(elapsed: Int64, next: Int64?) {
        #expect(Self.outage.nextChange(afterElapsedMs: elapsed) == next)
    }

    @Test func aWindowNeverEndsBeforeItBegins() {
        let odd = MockOutage(startMs: 5_000, endMs: 1_000)
        #expect(odd.endMs == 5_000)
        #expect(!odd.isActive(elapsedMs: 5_000))
    }
}
