import Testing
@testable import PushCore

/// Drives the connection state machine through each event without sockets: times are plain numbers.
@Suite("ConnectionStateMachine: every event, no sockets")
struct ConnectionStateMachineEventsTests {
    static let second: UInt64 = 1_000_000_000

    static func machine(cap: Int = 10, retries: Int = 3, timeoutS: UInt64 = 5, settingsTimeoutS: UInt64 = 10,
                        pingAfterS: UInt64 = 60) -> ConnectionStateMachine {
        ConnectionStateMachine(configuration: .init(
            streamCap: cap, requestTimeoutNs: timeoutS * second, settingsTimeoutNs: settingsTimeoutS * second,
            pingAfterNs: pingAfterS * second, retryPolicy: RetryPolicy(maxRetries: retries, baseDelayMs: 1000)),
            now: 0, seed: 1)
    }

    static func ready(cap: Int = 10, streams: Int = 100, retries: Int = 3) -> ConnectionStateMachine {
        var machine = machine(cap: cap, retries: retries)
        _ = machine.settingsReceived(maxConcurrentStreams: streams, now: 0)
        return machine
    }

    /// Submits a row for `token` at `now`; returns its tag.
    @discardableResult
    static func send(_ machine: inout ConnectionStateMachine, _ token: String, stream: Int32, now: UInt64 = 1) -> Int {
        let tag = machine.reserveTag()
        machine.submitted(Delivery(PushNotification(line: Int(stream), token: token, payload: [])), stream: stream,
                          tag: tag, now: now)
        return tag
    }

    /// The server answers `tag` with `status` (and an error body) and ends the stream.
    static func answer(_ machine: inout ConnectionStateMachine, tag: Int, status: String, body: String = "",
                       now: UInt64 = second / 10) -> ConnectionStateMachine.Action {
        header(&machine, tag: tag, ":status", status)
        var bytes = Array(body.utf8)
        if !bytes.isEmpty { bytes.withUnsafeMutableBufferPointer { machine.data(tag: tag, bytes: UnsafeBufferPointer($0)) } }
        machine.stamp(now: now, wallMs: 42)
        return machine.streamClosed(tag: tag, errorCode: 0, refused: false)
    }

    static func header(_ machine: inout ConnectionStateMachine, tag: Int, _ name: String, _ value: String) {
        var name = name, value = value
        name.withUTF8 { n in value.withUTF8 { v in machine.header(tag: tag, name: n, value: v) } }
    }

    @Test("connecting: nothing is sent before the first SETTINGS; SETTINGS opens min(cap, server limit)")
    func settings() {
        var machine = Self.machine(cap: 10)
        #expect(machine.phase == .connecting && machine.freeSlots == 0)
        #expect(machine.settingsReceived(maxConcurrentStreams: 3, now: 0) == .none)
        #expect(machine.phase == .ready(maxStreams: 3) && machine.freeSlots == 3)
        #expect(machine.settingsReceived(maxConcurrentStreams: 500, now: 0) == .log("server allows 500 concurrent streams"))
        #expect(machine.freeSlots == 10, "our own cap")
        Self.send(&machine, "aa", stream: 1)
        #expect(machine.freeSlots == 9 && machine.inFlight == 1)
    }

    @Test("no SETTINGS within the connect timeout: lost, stalled, named")
    func noSettings() {
        var machine = Self.machine(settingsTimeoutS: 10)
        #expect(machine.tick(now: 9 * Self.second) == .none)
        #expect(machine.tick(now: 11 * Self.second) == .lose("no SETTINGS from the server within 10s"))
        #expect(machine.stalled && machine.trouble?.contains("SETTINGS") == true)
    }

    @Test("0 streams allowed for a whole --timeout: lost and stalled; a raised limit in time keeps it")
    func zeroStreams() {
        var machine = Self.machine(timeoutS: 5)
        _ = machine.settingsReceived(maxConcurrentStreams: 0, now: 0)
        #expect(machine.freeSlots == 0)
        #expect(machine.tick(now: 4 * Self.second) == .none)
        #expect(machine.tick(now: 6 * Self.second) == .lose("the server allowed no stream for 5s"))
        #expect(machine.stalled)

        var recovering = Self.machine(timeoutS: 5)
        _ = recovering.settingsReceived(maxConcurrentStreams: 0, now: 0)
        _ = recovering.settingsReceived(maxConcurrentStreams: 10, now: 3 * Self.second)
        #expect(recovering.tick(now: 9 * Self.second) == .none && !recovering.stalled)
    }

    @Test("answers settle once, by the retry policy: 200 delivered, 410 rejected with its timestamp")
    func answers() {
        var machine = Self.ready()
        let ok = Self.send(&machine, "aa", stream: 1)
        let gone = Self.send(&machine, "bb", stream: 3)
        #expect(Self.answer(&machine, tag: ok, status: "200") == .none)
        #expect(Self.answer(&machine, tag: gone, status: "410", body: #"{"reason":"Unregistered","timestamp":7}"#) == .none)
        #expect(machine.settled.map(\.outcome) == [.delivered, .rejected])
        #expect(machine.settled[1].unregisteredAt == 7 && machine.settled[1].reason == "Unregistered")
        #expect(machine.settled[0].latencyMs == Double(Self.second / 10 - 1) / 1_000_000 && machine.settled[0].finishedAtMs == 42)
        #expect(machine.answered == 2 && machine.inFlight == 0 && machine.retries.isEmpty)
    }

    @Test("a malformed :status is a protocol error, retried; a 410 timestamp out of range settles without it, never a trap")
    func protocolErrors() {
        var machine = Self.ready()
        let tag = Self.send(&machine, "aa", stream: 1)
        _ = Self.answer(&machine, tag: tag, status: "410", body: #"{"reason":"Unregistered","timestamp":1e400}"#)
        #expect(machine.settled.count == 1 && machine.settled[0].outcome == .rejected)
        #expect(machine.settled[0].reason == "Unregistered" && machine.settled[0].unregisteredAt == nil)
        let weird = Self.send(&machine, "bb", stream: 3)
        #expect(Self.answer(&machine, tag: weird, status: "2x0") == .log("protocol error by the server on stream 3: malformed :status"))
        #expect(machine.retries.count == 1 && machine.retries[0].delivery.lastFailure == "ProtocolError")
        #expect(machine.settled.count == 1)
    }

    @Test("a stream reset after a partial 200 HEADERS is not delivered")
    func partialHeaders() {
        var machine = Self.ready(retries: 0)
        let tag = Self.send(&machine, "aa", stream: 1)
        Self.header(&machine, tag: tag, ":status", "200")
        #expect(machine.streamClosed(tag: tag, errorCode: 8, refused: false) == .none)
        #expect(machine.settled.map(\.outcome) == [.failed] && machine.settled[0].reason == "StreamReset(8)")
        #expect(machine.answered == 0)
    }

    @Test("--timeout: the request's stream is cancelled and it settles Timeout, not delivered, even after a partial 200")
    func timeout() {
        var machine = Self.ready(retries: 0)
        let early = Self.send(&machine, "aa", stream: 1)
        _ = Self.answer(&machine, tag: early, status: "200")
        let late = Self.send(&machine, "bb", stream: 3, now: Self.second)
        Self.header(&machine, tag: late, ":status", "200")
        #expect(machine.tick(now: 7 * Self.second) == .none)
        #expect(machine.streamsToCancel == [3])
        _ = machine.streamClosed(tag: late, errorCode: 8, refused: false)
        #expect(machine.settled.map(\.outcome) == [.delivered, .failed] && machine.settled[1].reason == "Timeout")
    }

    @Test("nothing answered within --timeout on a connection that answered nothing: lost and stalled")
    func stalledConnection() {
        var machine = Self.ready()
        Self.send(&machine, "aa", stream: 1)
        Self.send(&machine, "bb", stream: 3)
        #expect(machine.tick(now: 6 * Self.second) == .lose("no answer to any request within 5s"))
        #expect(machine.stalled && machine.trouble == "answered none of 2 requests within --timeout 5s")
        machine.lost(reason: "no answer", now: 6 * Self.second, wallMs: 1)
        #expect(machine.retries.count == 2 && machine.retries.allSatisfy { $0.delivery.lastFailure == "Timeout" })
        #expect(machine.phase == .closed && machine.inFlight == 0)
    }

    @Test("refusals: not attempts; counted only on a connection that answered nothing")
    func refusals() {
        var machine = Self.ready()
        let first = Self.send(&machine, "aa", stream: 1)
        _ = machine.streamClosed(tag: first, errorCode: 7, refused: true)
        #expect(machine.retries.count == 1 && machine.retries[0].delivery.attempts == 0 && machine.retries[0].delivery.refusals == 1)

        var healthy = Self.ready()
        _ = Self.answer(&healthy, tag: Self.send(&healthy, "aa", stream: 1), status: "200")
        let refused = Self.send(&healthy, "bb", stream: 3)
        _ = healthy.goAwayReceived(lastStreamID: 1, errorCode: 0, debugData: [])
        _ = healthy.streamClosed(tag: refused, errorCode: 7, refused: true)
        #expect(healthy.retries.count == 1 && healthy.retries[0].delivery.refusals == 0,
                "a healthy server's GOAWAY does not bring a row closer to failing")
    }

    @Test("GOAWAY: draining until the last stream closed; credential reasons stop the run; token reasons ask the source")
    func goAway() {
        var machine = Self.ready()
        let tag = Self.send(&machine, "aa", stream: 1)
        #expect(machine.goAwayReceived(lastStreamID: 1, errorCode: 0, debugData: Array(#"{"reason":"Shutdown"}"#.utf8)) == .none)
        #expect(machine.phase == .draining(lastStreamID: 1) && machine.freeSlots == 0 && !machine.isDrained)
        #expect(machine.trouble?.hasPrefix("sent GOAWAY before answering anything") == true)
        _ = Self.answer(&machine, tag: tag, status: "200")
        #expect(machine.isDrained)

        var refused = Self.ready()
        let stop = refused.goAwayReceived(lastStreamID: 0, errorCode: 0, debugData: Array(#"{"reason":"InvalidProviderToken"}"#.utf8))
        guard case .stopRun(let message) = stop else { Issue.record("\(stop)"); return }
        #expect(message.contains("InvalidProviderToken"))

        var expired = Self.ready()
        #expect(expired.goAwayReceived(lastStreamID: 0, errorCode: 0, debugData: Array(#"{"reason":"ExpiredProviderToken"}"#.utf8))
                == .checkExpiredToken(acceptedBefore: false))
    }

    @Test("ExpiredProviderToken: the source decides; a retry goes to a new connection; clock wrong stops the run")
    func expiredToken() {
        var machine = Self.ready()
        machine.authorizationChanged()
        let ok = Self.send(&machine, "aa", stream: 1)
        #expect(Self.answer(&machine, tag: ok, status: "200") == .tokenAccepted)
        let tag = Self.send(&machine, "bb", stream: 3)
        #expect(Self.answer(&machine, tag: tag, status: "403", body: #"{"reason":"ExpiredProviderToken"}"#)
                == .checkExpiredToken(acceptedBefore: true))
        #expect(machine.phase == .closing, "the connection stays unusable after a token error")
        #expect(machine.expiredTokenVerdict(.retryAfter(ms: 30_000)) == .none)
        #expect(machine.retries.count == 1 && machine.retries[0].delayMs == 30_000 && machine.retries[0].delivery.attempts == 0)

        var wrongClock = Self.ready()
        wrongClock.authorizationChanged()
        let refused = Self.send(&wrongClock, "cc", stream: 1)
        #expect(Self.answer(&wrongClock, tag: refused, status: "403", body: #"{"reason":"ExpiredProviderToken"}"#)
                == .checkExpiredToken(acceptedBefore: false))
        guard case .stopRun(let message) = wrongClock.expiredTokenVerdict(.clockWrong) else { Issue.record("no stop"); return }
        #expect(message.contains("clock"))

        var stale = Self.ready()
        stale.authorizationChanged()
        let old = Self.send(&stale, "dd", stream: 1)
        stale.authorizationChanged()
        _ = Self.answer(&stale, tag: old, status: "403", body: #"{"reason":"ExpiredProviderToken"}"#)
        #expect(stale.retries.count == 1 && stale.retries[0].delayMs == 0, "a token already replaced: resend at once")
    }

    @Test("credentials refused in an answer: the row is rejected and the run stops")
    func credentials() {
        var machine = Self.ready()
        let tag = Self.send(&machine, "aa", stream: 1)
        guard case .stopRun = Self.answer(&machine, tag: tag, status: "403", body: #"{"reason":"InvalidProviderToken"}"#) else {
            Issue.record("no stop")
            return
        }
        #expect(machine.settled.map(\.outcome) == [.rejected])
    }

    @Test("Shutdown asks for a new connection: the row is retried and the connection closes")
    func newConnection() {
        var machine = Self.ready()
        let tag = Self.send(&machine, "aa", stream: 1)
        #expect(Self.answer(&machine, tag: tag, status: "503", body: #"{"reason":"Shutdown"}"#)
                == .log("Shutdown: continuing on a new connection"))
        #expect(machine.phase == .closing && machine.isDrained && machine.retries.count == 1)
    }

    @Test("PING after silence; no answer to it within --timeout loses the connection; any bytes clear it")
    func ping() {
        var machine = Self.machine(timeoutS: 5, pingAfterS: 60)
        _ = machine.settingsReceived(maxConcurrentStreams: 10, now: 0)
        #expect(machine.tick(now: 61 * Self.second) == .ping)
        #expect(machine.tick(now: 62 * Self.second) == .none)
        machine.bytesReceived(now: 63 * Self.second, wallMs: 1)
        #expect(machine.tick(now: 70 * Self.second) == .none)
        #expect(machine.tick(now: 124 * Self.second) == .ping)
        #expect(machine.tick(now: 130 * Self.second) == .lose("no answer to a PING for 5s"))
    }

    @Test("lost: every request in flight is a transport failure; out of retries it settles failed ConnectionLost")
    func lost() {
        var machine = Self.ready(retries: 0)
        Self.send(&machine, "aa", stream: 1)
        Self.send(&machine, "bb", stream: 3)
        machine.lost(reason: "the server closed the connection before answering anything", now: 1, wallMs: 1)
        #expect(machine.settled.map(\.reason) == ["ConnectionLost", "ConnectionLost"])
        #expect(machine.trouble == "the server closed the connection before answering anything")
        #expect(machine.ending(now: 2 * Self.second) == ReconnectPolicy.Ending(answered: 0, submitted: 2, livedNs: 2 * Self.second))
    }

    @Test("closing and abandoning: nothing new is sent; abandoned requests are counted, not settled")
    func closing() {
        var machine = Self.ready()
        Self.send(&machine, "aa", stream: 1)
        machine.beginClosing()
        #expect(machine.freeSlots == 0 && !machine.isDrained)
        #expect(machine.abandon() == 1 && machine.settled.isEmpty && machine.phase == .closed)
    }

    @Test("a connection window below one DATA frame holds new requests back while older ones wait for it")
    func connectionWindow() {
        var machine = Self.ready(cap: 10)
        #expect(machine.freeSlots(connectionWindow: 0) == 10, "nothing in flight: the first request always goes")
        Self.send(&machine, "aa", stream: 1)
        #expect(machine.freeSlots(connectionWindow: 16_383) == 0)
        #expect(machine.freeSlots(connectionWindow: 65_535) == 9)
    }

    @Test("tags are reused after their stream closes")
    func tags() {
        var machine = Self.ready()
        let first = Self.send(&machine, "aa", stream: 1)
        _ = Self.answer(&machine, tag: first, status: "200")
        #expect(Self.send(&machine, "bb", stream: 3) == first)
    }
}
