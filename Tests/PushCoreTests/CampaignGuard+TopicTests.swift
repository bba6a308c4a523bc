import Testing
@testable import PushCore

@Suite("CampaignGuard: a topic every answer refuses stops the run")
struct CampaignGuardTopicTests {
    private func row(_ status: Int?, _ reason: String?) -> ReportRow {
        ReportRow(line: 1, token: "ab", outcome: status == 200 ? .delivered : .rejected, status: status, reason: reason,
                  finishedAtMs: 0)
    }

    @Test("20 topic refusals (mixed reasons) trip once, naming the topic and the fix for the most frequent reason",
          arguments: [
              ("TopicDisallowed", "a certificate covers only the topics it lists"),
              ("BadTopic", "is not one APNs knows"),
              ("DeviceTokenNotForTopic", "the tokens were not issued for topic"),
          ])
    func trips(main: String, fix: String) {
        var guardian = CampaignGuard()
        guardian.topic = "com.example.app.push-type.liveactivity"
        var verdicts: [String] = []
        for i in 0..<30 {
            let reason = i % 4 == 3 && main != "BadTopic" ? "BadTopic" : main
            if let v = guardian.record(row(400, reason)) { verdicts.append(v) }
        }
        #expect(verdicts.count == 1)
        #expect(guardian.trip == .topic)
        let message = verdicts.first ?? ""
        #expect(message.hasPrefix("stopped early: APNs refused each of the first 20 requests ("))
        #expect(message.contains("'com.example.app.push-type.liveactivity'"))
        #expect(message.contains(fix))
        #expect(guardian.disposition(status: 400, reason: main) == .stopped)
    }

    @Test("Before the sample is complete topic answers are held; one delivered row makes them plain rejections")
    func holdThenWrite() {
        var guardian = CampaignGuard()
        for _ in 0..<5 { _ = guardian.record(row(400, "DeviceTokenNotForTopic")) }
        #expect(guardian.disposition(status: 400, reason: "DeviceTokenNotForTopic") == .hold)
        _ = guardian.record(row(200, nil))
        #expect(guardian.disposition(status: 400, reason: "DeviceTokenNotForTopic") == .write)
        for _ in 0..<40 { #expect(guardian.record(row(400, "TopicDisallowed")) == nil) }
        #expect(guardian.trip == nil)
    }
}
