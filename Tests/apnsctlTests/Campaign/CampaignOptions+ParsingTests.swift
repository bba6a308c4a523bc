import Testing
import PushCore
@testable import apnsctl

@Suite("Campaign options: parsing and validation")
struct CampaignOptionsParsingTests {
    @Test("--keep takes a comma list of field names")
    func keep() throws {
        let options = try #require(sendOptions(validSend + ["--keep", "user_id, campaign"]))
        #expect(options.plan.keep == ["user_id", "campaign"])
        #expect(usageMessage(validSend + ["--keep", "a,,b"]) == "--keep: 'a,,b' has an empty field name")
        #expect(usageMessage(validSend + ["--keep", "a,a"]) == "--keep: 'a' is named twice")
        #expect(usageMessage(validSend + ["--keep", "status"]) == "--keep: 'status' is already a report field; the report "
            + "has line, token, outcome, status, reason, apns_id, apns_unique_id, unregistered_at, attempts, latency_ms, finished_at, push_type")
        #expect(usageMessage(validDeviceSend + ["--keep", "x"]) == "--keep applies only to --input")
    }
}

@Suite("Campaign options: --shard")
struct ShardOptionParsingTests {
    @Test("--shard K/N with 1 ≤ K ≤ N")
    func shard() throws {
        let options = try #require(sendOptions(validSend + ["--shard", "2/8"]))
        #expect(options.plan.shard == Shard(index: 2, count: 8))
        #expect(usageMessage(validSend + ["--shard", "2"]) == "--shard: '2' is not K/N (shard K of N, e.g. 1/4)")
        #expect(usageMessage(validSend + ["--shard", "a/b"]) == "--shard: 'a/b' is not K/N (shard K of N, e.g. 1/4)")
        #expect(usageMessage(validSend + ["--shard", "0/4"]) == "--shard: '0/4': K must be between 1 and 4 (shards count from 1)")
        #expect(usageMessage(validSend + ["--shard", "5/4"]) == "--shard: '5/4': K must be between 1 and 4 (shards count from 1)")
        #expect(usageMessage(validSend + ["--shard", "1/0"]) == "--shard: '1/0': N must be between 1 and 1000000")
    }
}

@Suite("Campaign options: --resume and --dedupe")
struct ResumeOptionParsingTests {
    @Test("--resume needs a report file; --dedupe is a flag")
    func resume() throws {
        let options = try #require(sendOptions(validSend + ["--resume", "--dedupe"]))
        #expect(options.plan.resume)
        #expect(options.plan.dedupe)
        #expect(usageMessage(validDeviceSend + ["--resume"]) == "--resume needs --report FILE: the report on stdout cannot be read back")
        #expect(usageMessage(removing("--report", from: validSend) + ["--report", "-", "--resume"]) ==
            "--resume needs --report FILE: the report on stdout cannot be read back")
    }
}
