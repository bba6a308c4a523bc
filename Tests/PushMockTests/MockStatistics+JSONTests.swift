import Foundation
import PushCore
import Testing
@testable import PushMock

@Suite("MockStatistics: the --stats document")
struct MockStatisticsJSONTests {
    @Test func answersAreCountedByOutcomeAndReason() {
        var stats = MockStatistics()
        stats.requests = 6
        stats.recordAnswer(status: 200, reason: nil)
        stats.recordAnswer(status: 400, reason: .badDeviceToken)
        stats.recordAnswer(status: 400, reason: .badDeviceToken)
        stats.recordAnswer(status: 429, reason: .tooManyRequests)
        stats.silenced = 1
        #expect(stats.accepted == 1)
        #expect(stats.rejected == 3)
        #expect(stats.rejectedByReason == ["BadDeviceToken": 2, "TooManyRequests": 1])
        #expect(stats.unanswered == 1)
    }

    @Test func theDocumentHasEveryKeyInAFixedOrder() throws {
        var stats = MockStatistics()
        stats.requests = 10
        stats.recordAnswer(status: 500, reason: .internalServerError)
        stats.recordAnswer(status: 410, reason: .unregistered)
        for _ in 0..<5 { stats.recordAnswer(status: 200, reason: nil) }
        stats.ignored = 4
        stats.connections = 3
        stats.goAways = 2
        stats.drops = 1
        stats.streamLimitDrops = 2
        stats.tlsFailures = 1
        stats.tokensAcceptedMoreThanOnce = 1
        let text = String(decoding: stats.jsonText, as: UTF8.self)
        #expect(text == #"{"requests":10,"accepted":5,"rejected":2,"rejected_by_reason":{"InternalServerError":1,"#
            + #""Unregistered":1},"silenced":0,"unanswered":3,"ignored":4,"connections":3,"goaways":2,"drops":1,"#
            + #""stream_limit_drops":2,"tls_failures":1,"tokens_accepted_more_than_once":1,"handshakes":0,"#
            + #""client_certificates_refused":0,"late_answers":0,"max_reorder":0,"max_reorder_by_connection":{},"#
            + #""broadcast":{"manage_connections":0,"channels_created":0,"channels_read":0,"channels_deleted":0,"#
            + #""channels_listed":0,"management_rejected":0,"management_rejected_by_reason":{},"#
            + #""broadcasts_accepted":0,"broadcasts_rejected":0,"broadcasts_rejected_by_reason":{}}}"# + "\n")
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(stats.jsonText)) as? [String: Any])
        #expect(parsed["unanswered"] as? Int == 3)
    }

    @Test func reordersAreKeptPerConnectionInNumberOrderForTheFirstHundredConnections() throws {
        var stats = MockStatistics()
        stats.recordReorder(connection: 12, reorder: 3)
        stats.recordReorder(connection: 2, reorder: 1500)
        stats.recordReorder(connection: 12, reorder: 40)
        stats.lateAnswers = 7
        stats.handshakes = 2
        let text = String(decoding: stats.jsonText, as: UTF8.self)
        #expect(text.contains(#""handshakes":2,"client_certificates_refused":0,"late_answers":7,"max_reorder":1500,"#
            + #""max_reorder_by_connection":{"2":1500,"12":40},"broadcast":{"#))
        for connection in 100..<300 { stats.recordReorder(connection: connection, reorder: 1) }
        #expect(stats.maxReorderByConnection.count == MockStatistics.reorderConnectionsKept)
        // Two were listed already: 98 more fit.
        #expect(stats.maxReorderByConnection[197] == 1 && stats.maxReorderByConnection[198] == nil)
        // A connection already listed is still updated once the list is full.
        stats.recordReorder(connection: 2, reorder: 2000)
        #expect(stats.maxReorderByConnection[2] == 2000)
        #expect(stats.maxReorder == 2000)
    }
}
