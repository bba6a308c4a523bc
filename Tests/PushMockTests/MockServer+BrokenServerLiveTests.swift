import Foundation
import PushCore
import Testing
@testable import PushMock

/// The broken-server switches (`ConnectionOpening`, `--max-streams 0`, `--outage`, `--timestamp`) over real TLS on
/// 127.0.0.1, driven by curl and nghttp; what the server did is read from its statistics.
@Suite("MockServer: broken on purpose, live",
       .enabled(if: LiveTestSupport.canRunLiveTests, "needs the openssl tool and a curl built with HTTP/2 (curl -V | grep HTTP2)"))
struct MockServerBrokenServerLiveTests {
    static let token = String(repeating: "ab", count: 32)
    /// curl's exit status when --max-time ran out.
    static let curlTimedOut: Int32 = 28

    static func start(_ opening: ConnectionOpening) throws -> LiveTestSupport.RunningServer {
        try LiveTestSupport.startServer { configuration, _ in configuration.opening = opening }
    }

    @Test func closeOnConnectClosesAfterTheHandshakeWithoutAnAnswer() throws {
        let running = try Self.start(.closeOnConnect)
        let response = try LiveTestSupport.post(to: running, token: Self.token, extra: ["--max-time", "5"])
        #expect(response.status == "000")
        #expect(response.exitStatus != 0 && response.exitStatus != Self.curlTimedOut, "\(response.error)")
        #expect(running.stop())
        let statistics = running.server.statistics
        #expect(statistics.connections == 1 && statistics.handshakes == 1)
        #expect(statistics.requests == 0)
    }

    @Test func goAwayOnConnectRefusesEveryRequestUnprocessed() throws {
        let running = try Self.start(.goAwayOnConnect)
        let response = try LiveTestSupport.post(to: running, token: Self.token, extra: ["--max-time", "5"])
        #expect(response.status == "000", "\(response.error)")
        #expect(running.stop())
        let statistics = running.server.statistics
        #expect(statistics.goAways == 1)
        #expect(statistics.handshakes == 1)
        #expect(statistics.requests == 0 && statistics.accepted == 0)
    }

    @Test(.enabled(if: LiveTestSupport.hasNghttp, "needs nghttp (nghttp2-client)"))
    func goAwayOnConnectNamesStreamZero() throws {
        let running = try Self.start(.goAwayOnConnect)
        let transcript = try LiveTestSupport.nghttp(running, token: Self.token, multiply: 3)
        #expect(transcript.statuses.isEmpty, "\(transcript.text)")
        let goAway = try #require(transcript.goAways.first, "no GOAWAY in \(transcript.text)")
        #expect(goAway.lastStreamID == 0)
        #expect(goAway.debugData == #"{"reason":"Shutdown"}"#)
        #expect(running.stop())
    }

    @Test("No SETTINGS, a stalled handshake, stalled reads: the client waits until its own timeout", arguments: [
        (ConnectionOpening.noSettings, 1), (.stallHandshake, 0), (.stallReads, 1),
    ])
    func silentServers(opening: ConnectionOpening, handshakes: Int) throws {
        let running = try Self.start(opening)
        let response = try LiveTestSupport.post(to: running, token: Self.token, extra: ["--max-time", "2"])
        #expect(response.status == "000")
        #expect(response.exitStatus == Self.curlTimedOut, "\(response.error)")
        #expect(running.stop())
        let statistics = running.server.statistics
        #expect(statistics.connections == 1)
        #expect(statistics.handshakes == handshakes)
        #expect(statistics.requests == 0)
    }

    @Test(.enabled(if: LiveTestSupport.hasNghttp, "needs nghttp (nghttp2-client)"))
    func zeroStreamsAnnouncesZeroAndAnswersNothing() throws {
        let running = try LiveTestSupport.startServer { configuration, _ in configuration.maxStreams = 0 }
        let transcript = try LiveTestSupport.nghttp(running, token: Self.token)
        #expect(transcript.maxConcurrentStreams.first == 0, "\(transcript.text)")
        #expect(transcript.statuses.isEmpty)
        #expect(running.stop())
        #expect(running.server.statistics.requests == 0)
    }

    @Test("--outage: 503 ServiceUnavailable, or refused connections, until it ends", arguments: [
        MockOutage.Mode.unavailable, .refuse,
    ])
    func outage(mode: MockOutage.Mode) throws {
        let outageMs = 3_000
        let started = Date()
        let running = try LiveTestSupport.startServer { configuration, _ in
            configuration.outage = MockOutage(startMs: 0, endMs: outageMs, mode: mode)
        }
        let during = try LiveTestSupport.post(to: running, token: Self.token, extra: ["--max-time", "2"])
        // On a loaded machine curl may finish after the outage; then there is nothing to check about "during".
        if Date().timeIntervalSince(started) < Double(outageMs) / 1000 - 0.1 {
            if mode == .unavailable {
                #expect(during.status == "503")
                #expect(during.body == #"{"reason":"ServiceUnavailable"}"#)
            } else {
                #expect(during.status == "000")
                #expect(during.error.contains("Couldn't connect") || during.error.contains("refused"), "\(during.error)")
            }
        }
        let left = Double(outageMs) / 1000 + 0.3 - Date().timeIntervalSince(started)
        if left > 0 { Thread.sleep(forTimeInterval: left) }
        let after = try LiveTestSupport.post(to: running, token: Self.token)
        #expect(after.status == "200", "\(after.error)")
        #expect(running.stop())
        #expect(running.server.statistics.accepted == 1)
    }

    @Test func rawTimestampsReachTheWireVerbatim() throws {
        let running = try LiveTestSupport.startServer { configuration, _ in
            configuration.responseRules = [MockResponseRule(prefix: "ab", status: 410, reason: "Unregistered")]
            configuration.timestampRules = [MockTimestampRule(prefix: "ab", text: "1e400")]
        }
        let response = try LiveTestSupport.post(to: running, token: Self.token)
        #expect(response.status == "410")
        #expect(response.body == #"{"reason":"Unregistered","timestamp":1e400}"#)
        #expect(running.stop())
    }
}
