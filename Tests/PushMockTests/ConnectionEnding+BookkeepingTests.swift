import Testing
@testable import PushMock

@Suite("ConnectionEnding: GOAWAY and drop bookkeeping per connection")
struct ConnectionEndingBookkeepingTests {
    typealias Intake = ConnectionEnding.Intake

    func run(_ ending: inout ConnectionEnding, _ streams: [Int32]) -> [Intake] {
        streams.map { ending.requestEnded(stream: $0) }
    }

    @Test func withoutLimitsEverythingIsTaken() {
        var ending = ConnectionEnding(goAway: [])
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
        #expect(ending.goAwayTriggers == [.init(count: 1, scope: .connection)])
        #expect(ending.dropTriggers.first?.count == 1)
        #expect(run(&ending, [1]) == [.takeThenDrop])
    }

    /// Two connections sharing the server-wide count, requests alternating between them.
    @Test func serverWideTriggersFireOnEveryNthRequestOfTheServer() {
        let every3 = [ConnectionEnding.Trigger(count: 3, scope: .server)]
        var a = ConnectionEnding(goAway: every3)
        var b = ConnectionEnding(goAway: every3)
        var serverTaken = 0
        var intakes: [String] = []
        for (index, stream) in ([1, 1, 3, 3, 5, 5, 7, 7] as [Int32]).enumerated() {
            let isA = index % 2 == 0
            let intake = isA ? a.requestEnded(stream: stream, serverTakenBefore: serverTaken)
                             : b.requestEnded(stream: stream, serverTakenBefore: serverTaken)
            if intake != .ignore { serverTaken += 1 }
            intakes.append("\(isA ? "a" : "b")\(stream):\(intake)")
        }
        // The server's 3rd request (a3) and 6th (b7) fire; a ignores 5 and 7 (above its L = 3), which do not count.
        #expect(intakes == ["a1:take", "b1:take", "a3:takeThenGoAway(lastStreamID: 3)", "b3:take",
                            "a5:ignore", "b5:take", "a7:ignore", "b7:takeThenGoAway(lastStreamID: 7)"])
        #expect(serverTaken == 6)
    }

    @Test func aServerWideDropResetsWhicheverConnectionCarriesTheNthRequest() {
        var ending = ConnectionEnding(drop: [.init(count: 1500, scope: .server)])
        #expect(ending.requestEnded(stream: 1, serverTakenBefore: 1498) == .take)
        #expect(ending.requestEnded(stream: 3, serverTakenBefore: 1499) == .takeThenDrop)
        #expect(ending.requestEnded(stream: 5, serverTakenBefore: 1500) == .ignore)
    }

    @Test func aGoAwayEveryNDoesNotRepeatOnAConnectionAlreadyGoingAway() {
        var ending = ConnectionEnding(goAway: [.init(count: 2, scope: .server)])
        #expect(ending.requestEnded(stream: 3, serverTakenBefore: 1) == .takeThenGoAway(lastStreamID: 3))
        #expect(ending.requestEnded(stream: 1, serverTakenBefore: 3) == .take, "a late stream below L")
    }

    @Test func perConnectionAndServerWideTriggersCombine() {
        var ending = ConnectionEnding(goAway: [.init(count: 500, scope: .connection)],
                                      drop: [.init(count: 1500, scope: .server)])
        var intakes: [ConnectionEnding.Intake] = []
        for i in 0..<500 { intakes.append(ending.requestEnded(stream: Int32(2 * i + 1), serverTakenBefore: 1000 + i)) }
        // The 500th request on the connection is also the server's 1500th: the drop wins.
        #expect(intakes.last == .takeThenDrop)
        #expect(intakes.dropLast().allSatisfy { $0 == .take })
    }
}
