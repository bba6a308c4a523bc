import Testing
@testable import PushCore

@Suite("CampaignGuard: stop when every answer says the same thing")
struct CampaignGuardTests {
    private func row(_ status: Int?, _ reason: String?, outcome: Outcome = .rejected) -> ReportRow {
        ReportRow(line: 1, token: "ab", outcome: status == 200 ? .delivered : outcome, status: status, reason: reason,
                  finishedAtMs: 0)
    }

    @Test("48 BadDeviceToken in the first 50 answers trips once, naming the other environment")
    func wrongEnvironment() {
        var guardian = CampaignGuard(environmentFlag: "--production")
        var message: String?
        for i in 0..<60 {
            let verdict = guardian.record(i % 25 == 0 ? row(200, nil) : row(400, "BadDeviceToken"))
            if let verdict { #expect(message == nil, "trips once"); message = verdict }
        }
        #expect(message?.contains("48 of the first 50") == true)
        #expect(message?.contains("try --sandbox") == true)
    }

    @Test("a campaign with some bad tokens goes on")
    func mixedIsFine() {
        var guardian = CampaignGuard()
        for i in 0..<200 {
            #expect(guardian.record(i % 5 == 0 ? row(200, nil) : row(400, "BadDeviceToken")) == nil)
        }
    }

    @Test("invalid rows and unanswered failures do not count as answers")
    func onlyAnswers() {
        var guardian = CampaignGuard(minimumSample: 5)
        for _ in 0..<10 { #expect(guardian.record(row(nil, "field 'token': not hex", outcome: .invalid)) == nil) }
        for _ in 0..<10 { #expect(guardian.record(row(nil, "ConnectionLost", outcome: .failed)) == nil) }
        #expect(guardian.answered == 0)
    }

    @Test("Forbidden for each of the first 20 requests trips; one success before that does not")
    func forbidden() {
        var guardian = CampaignGuard()
        var verdicts: [String] = []
        for _ in 0..<25 { if let v = guardian.record(row(403, "Forbidden")) { verdicts.append(v) } }
        #expect(verdicts.count == 1)
        var lucky = CampaignGuard()
        #expect(lucky.record(row(200, nil)) == nil)
        for _ in 0..<30 { #expect(lucky.record(row(403, "Forbidden")) == nil) }
    }
}
