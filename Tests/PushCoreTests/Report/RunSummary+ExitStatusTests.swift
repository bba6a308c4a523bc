import Testing
@testable import PushCore

@Suite("RunSummary: the exit status says whether every row has APNs' final answer")
struct RunSummaryExitStatusTests {
    private func summary(_ rows: [(Outcome, Int?, String?)], stopped: Int = 0) -> RunSummary {
        var summary = RunSummary(startedAtMs: 0)
        for (outcome, status, reason) in rows {
            summary.record(ReportRow(line: 1, token: "aa", outcome: outcome, status: status, reason: reason, finishedAtMs: 0))
        }
        summary.stopped = stopped
        return summary
    }

    @Test("Tokens gone or wrong and skipped rows are settled; other rejections, failures and invalid rows are not")
    func table() {
        let settled = summary([(.delivered, 200, nil), (.rejected, 410, "Unregistered"), (.rejected, 410, "ExpiredToken"),
                               (.rejected, 400, "BadDeviceToken"), (.rejected, 400, "DeviceTokenNotForTopic"),
                               (.skipped, nil, "duplicate token: first seen on line 2")])
        #expect(settled.exitStatus(strict: false) == 0)
        #expect(settled.exitStatus(strict: true) == 1)
        #expect(summary([(.delivered, 200, nil)]).exitStatus(strict: true) == 0)
        for other: (Outcome, Int?, String?) in [(.rejected, 413, "PayloadTooLarge"), (.rejected, 400, "TopicDisallowed"),
                                                (.failed, nil, "Timeout"), (.invalid, nil, "field 'token': empty")] {
            #expect(summary([(.delivered, 200, nil), other]).exitStatus(strict: false) == 1, "\(other)")
        }
        #expect(summary([(.delivered, 200, nil)], stopped: 1).exitStatus(strict: false) == 1)
        // An invalid row whose message happens to read like an APNs reason is not an answer.
        #expect(summary([(.invalid, nil, "Unregistered")]).exitStatus(strict: false) == 1)
    }

    @Test("Merged summaries (the report's rows and this run's) keep the count of token verdicts")
    func merged() {
        var campaign = summary([(.rejected, 410, "Unregistered")])
        campaign.merge(summary([(.delivered, 200, nil)]))
        #expect(campaign.exitStatus(strict: false) == 0)
        campaign.merge(summary([(.rejected, 400, "TopicDisallowed")]))
        #expect(campaign.exitStatus(strict: false) == 1)
    }
}
