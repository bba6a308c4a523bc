import Foundation
import Testing
@testable import PushCore
@testable import PushMock

/// The connection engine against servers that misbehave at the connection level, over real TLS + HTTP/2.
@Suite("Delivery: reconnects are bounded and GOAWAYs never fail rows", .serialized)
struct DeliveryReconnectTests {
    @Test("every connection closed before an answer: exit 3 after 5 connections with growing back-off, naming it")
    func closedBeforeAnswering() throws {
        var live = LiveCampaign(tokens: LiveCampaign.tokens(20))
        live.mock.silentPrefixes = ["ab"]
        live.mock.dropAfter = 1
        let started = Date()
        let outcome = try live.run()
        let seconds = Date().timeIntervalSince(started)
        let fatal = try #require(outcome.result.fatal)
        #expect(fatal.contains("closed the connection before answering anything") && fatal.contains("5 connections"))
        #expect(outcome.result.exitStatus == 3)
        #expect(outcome.control.connectionsOpened == 5)
        #expect(outcome.control.reconnects == 4)
        // Equal jitter: at least half of each ceiling (0.25 s, 0.5 s, 1 s, 2 s) is waited.
        #expect(seconds >= 1.8 && seconds < 15, "\(seconds) s")
    }

    @Test("GOAWAY every 97 requests with 500 in flight: every row delivered, none refused to failure")
    func goAwayEvery97() throws {
        var live = LiveCampaign(tokens: LiveCampaign.tokens(3000))
        live.concurrency = 500
        live.mock = MockConfiguration(listen: Endpoint(host: "127.0.0.1", port: 0), maxStreams: 500)
        live.mock.goAway = MockGoAwayRule(afterRequests: 97)
        let outcome = try live.run()
        #expect(outcome.rows.count == 3000)
        #expect(outcome.rows.allSatisfy { $0.outcome == .delivered })
        #expect(outcome.result.exitStatus == 0)
        #expect(outcome.control.goAways >= 20)
    }

    @Test("GOAWAY whose debug data refuses the credentials stops the run naming the reason")
    func credentialGoAway() throws {
        var live = LiveCampaign(tokens: LiveCampaign.tokens(50))
        live.mock.goAway = MockGoAwayRule(afterRequests: 1, reason: "InvalidProviderToken")
        let outcome = try live.run()
        let fatal = try #require(outcome.result.fatal)
        #expect(fatal.contains("InvalidProviderToken"))
        #expect(outcome.result.exitStatus == 3)
    }
}
