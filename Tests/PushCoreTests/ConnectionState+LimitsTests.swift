import Testing
@testable import PushCore

@Suite("ConnectionState: stream limits and draining")
struct ConnectionStateTests {
    @Test("starts at one stream until the server's SETTINGS raise it")
    func startsAtOne() {
        var state = ConnectionState(streamCap: 100)
        #expect(state.freeSlots == 0, "nothing may be sent before the connection is up")
        state.connected()
        #expect(state.freeSlots == 1)
        state.submitted()
        #expect(state.freeSlots == 0)
        state.settingsReceived(maxConcurrentStreams: 500)
        #expect(state.freeSlots == 99, "our own cap of 100 wins over the server's 500")
    }

    @Test("follows the server limit down and back up")
    func followsServer() {
        var state = ConnectionState(streamCap: 1000)
        state.connected()
        state.settingsReceived(maxConcurrentStreams: 10)
        for _ in 0..<10 { state.submitted() }
        state.settingsReceived(maxConcurrentStreams: 1)
        #expect(state.freeSlots == 0)
        for _ in 0..<9 { state.streamClosed(answered: true) }
        #expect(state.inFlight == 1)
        #expect(state.freeSlots == 0, "still at the server's limit of 1")
        state.streamClosed(answered: true)
        #expect(state.freeSlots == 1)
        state.settingsReceived(maxConcurrentStreams: 500)
        #expect(state.freeSlots == 500)
        #expect(state.answered == 10)
    }

    @Test("a server limit of 0 allows nothing; an absent (huge) limit allows our cap")
    func zeroAndUnlimited() {
        var state = ConnectionState(streamCap: 8)
        state.connected()
        state.settingsReceived(maxConcurrentStreams: 0)
        #expect(state.freeSlots == 0)
        state.settingsReceived(maxConcurrentStreams: Int(UInt32.max))
        #expect(state.freeSlots == 8)
    }

    @Test("GOAWAY drains: nothing new, done when in-flight reaches zero")
    func goAwayDrains() {
        var state = ConnectionState(streamCap: 10)
        state.connected()
        state.settingsReceived(maxConcurrentStreams: 10)
        state.submitted()
        state.submitted()
        state.goAwayReceived(lastStreamID: 3)
        #expect(state.phase == .draining(lastStreamID: 3))
        #expect(state.freeSlots == 0)
        #expect(!state.isDrained)
        state.goAwayReceived(lastStreamID: 5)
        #expect(state.phase == .draining(lastStreamID: 3), "a later GOAWAY can only lower last-stream-id")
        state.streamClosed(answered: true)
        state.streamClosed(answered: false)
        #expect(state.isDrained)
        #expect(state.answered == 1)
    }

    @Test("closing stops new work but lets in-flight finish")
    func closing() {
        var state = ConnectionState(streamCap: 4)
        state.connected()
        state.settingsReceived(maxConcurrentStreams: 4)
        state.submitted()
        state.beginClosing()
        #expect(state.freeSlots == 0)
        #expect(!state.isDrained)
        state.streamClosed(answered: true)
        #expect(state.isDrained)
        state.closed()
        #expect(state.phase == .closed)
    }
}

@Suite("Backoff")
struct BackoffTests {
    @Test("doubles from 250 ms up to 8 s and resets")
    func doubles() {
        var backoff = Backoff()
        let delays = (0..<8).map { _ in backoff.next() }
        #expect(delays == [250, 500, 1000, 2000, 4000, 8000, 8000, 8000])
        backoff.reset()
        #expect(backoff.next() == 250)
    }
}
