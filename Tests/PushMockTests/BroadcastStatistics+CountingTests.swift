import Foundation
import PushCore
import Testing
@testable import PushMock

@Suite("BroadcastStatistics: counting channel work")
struct BroadcastStatisticsCountingTests {
    @Test func answersCountByOperationAndReason() throws {
        var stats = BroadcastStatistics()
        stats.record(ChannelAnswer(operation: .create, channelID: "QQ=="), status: 201, reason: nil)
        stats.record(ChannelAnswer(operation: .create), status: 400, reason: ChannelReason.cannotCreateChannelConfig)
        stats.record(ChannelAnswer(operation: .read), status: 200, reason: nil)
        stats.record(ChannelAnswer(operation: .delete), status: 204, reason: nil)
        stats.record(ChannelAnswer(operation: .list), status: 200, reason: nil)
        stats.record(ChannelAnswer(operation: nil), status: 404, reason: .badPath)
        for _ in 0..<3 { stats.record(ChannelAnswer(operation: .broadcast), status: 200, reason: nil) }
        stats.record(ChannelAnswer(operation: .broadcast), status: 400, reason: ChannelReason.channelNotRegistered)
        stats.record(ChannelAnswer(operation: .broadcast), status: 413, reason: .payloadTooLarge)
        stats.manageConnections = 2
        var all = MockStatistics()
        all.broadcast = stats
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(all.jsonText)) as? [String: Any])
        let broadcast = try #require(parsed["broadcast"] as? [String: Any])
        #expect(broadcast["manage_connections"] as? Int == 2)
        #expect(broadcast["channels_created"] as? Int == 1)
        #expect(broadcast["channels_read"] as? Int == 1)
        #expect(broadcast["channels_deleted"] as? Int == 1)
        #expect(broadcast["channels_listed"] as? Int == 1)
        #expect(broadcast["management_rejected"] as? Int == 2)
        #expect(broadcast["management_rejected_by_reason"] as? [String: Int]
            == ["CannotCreateChannelConfig": 1, "BadPath": 1])
        #expect(broadcast["broadcasts_accepted"] as? Int == 3)
        #expect(broadcast["broadcasts_rejected"] as? Int == 2)
        #expect(broadcast["broadcasts_rejected_by_reason"] as? [String: Int]
            == ["ChannelNotRegistered": 1, "PayloadTooLarge": 1])
    }
}
