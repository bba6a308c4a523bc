import Testing
@testable import PushMock

@Suite("ConnectionEnding: GOAWAY and drop bookkeeping per connection")
struct ConnectionEndingBookkeepingTests {
    typealias Intake = ConnectionEnding.Intake

    func run(_ ending: inout ConnectionEnding, _ streams: [Int32]) -> [Intake] {
        streams.map { ending.requestEnded(stream: $0) }
    }

    @Test func withoutLimitsEverythingIsTaken() {
        var ending = ConnectionEnding()
        #expect(run(&ending, [1, 3, 5, 7]) == [.take, .take, .take, .take])
        #expect(ending.taken == 4)
        #expect(ending.goAwayLastStreamID == nil)
    }

    @Test func goAwayAfterNNamesTheNthStreamAndIgnoresLaterOnes() {
        var ending = ConnectionEnding(goAwayAfter: 2)
        #expect(run(&ending, [1, 3, 5, 7]) == [.take, .takeThenGoAway(lastStreamID: 3), .ignore, .ignore])
        #expect(ending.goAwayLastStreamID == 3)
        #expect(ending.taken == 2)
    }

    @Test func streamsBelowTheLastStreamIDThatEndLateAreStillTaken() {
        // Streams 1 and 3 are open; 5 ends first and is the 1st request; then 3, then 1 (below L = 3).
        var ending = ConnectionEnding(goAwayAfter: 2)
        #expect(run(&ending, [5, 3, 1, 7]) == [.take, .takeThenGoAway(lastStreamID: 3), .take, .ignore])
        #expect(ending.taken == 3)
    }

    @Test func goAwayIsSentOnce() {
        var ending = ConnectionEnding(goAwayAfter: 1)
        #expect(run(&ending, [3, 1]) == [.takeThenGoAway(lastStreamID: 3), .take])
    }

    @Test func dropAfterNThenEverythingIsIgnored() {
        var ending = ConnectionEnding(dropAfter: 3)
        #expect(run(&ending, [1, 3, 5, 7, 9]) == [.take, .take, .takeThenDrop, .ignore, .ignore])
        #expect(ending.dropStreamID == 5)
    }

    @Test func dropWinsOverGoAwayOnTheSameRequest() {
        var ending = ConnectionEnding(goAwayAfter: 2, dropAfter: 2)
        #expect(run(&ending, [1, 3, 5]) == [.take, .takeThenDrop, .ignore])
        #expect(ending.goAwayLastStreamID == nil)
    }

    @Test func aDropCanFollowAGoAway() {
        var ending = ConnectionEnding(goAwayAfter: 1, dropAfter: 2)
        #expect(run(&ending, [3, 1, 5]) == [.takeThenGoAway(lastStreamID: 3), .takeThenDrop, .ignore])
    }

    @Test func nonPositiveLimitsAreRaisedToOne() {
        var ending = ConnectionEnding(goAwayAfter: 0, dropAfter: -5)
        #expect(ending.goAwayAfter == 1)
        #expect(ending.dropAfter == 1)
        #expect(run(&ending, [1]) == [.takeThenDrop])
    }
}
