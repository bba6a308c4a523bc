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
            + #""stream_limit_drops":2,"tls_failures":1,"tokens_accepted_more_than_once":1}"# + "\n")
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(stats.jsonText)) as? [String: Any])
        #expect(parsed["unanswered"] as? Int == 3)
    }
}
