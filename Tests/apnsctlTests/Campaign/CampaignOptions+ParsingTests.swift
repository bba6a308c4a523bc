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
            + "has line, token, outcome, status, reason, apns_id, apns_unique_id, unregistered_at, attempts, latency_ms, finished_at")
        #expect(usageMessage(validDeviceSend + ["--keep", "x"]) == "--keep applies only to --input")
    }
}
