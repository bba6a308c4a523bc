import Testing
import PushCore
@testable import apnsctl

@Suite("Progress line: rendered from two samples, without a terminal")
struct ProgressLineRenderTests {
    /// A sample `seconds` into the run: `delivered`/`rejected`/`failed`/`invalid` rows settled, `read` rows read,
    /// `queued` of them waiting.
    static func sample(seconds: Double, read: Int, delivered: Int, rejected: Int = 0, failed: Int = 0, invalid: Int = 0,
                       queued: Int = 0, bytes: Int? = nil) -> ProgressSample {
        var summary = RunSummary(startedAtMs: 0)
        func add(_ n: Int, _ outcome: Outcome) {
            for _ in 0..<n { summary.record(ReportRow(line: 1, token: "aa", outcome: outcome, finishedAtMs: 0)) }
        }
        add(delivered, .delivered)
        add(rejected, .rejected)
        add(failed, .failed)
        add(invalid, .invalid)
        return ProgressSample(progress: CampaignProgress(rowsRead: read, queued: queued, summary: summary),
                              elapsedNanoseconds: UInt64(seconds * 1e9), bytesRead: bytes)
    }

    @Test("Known total (--device): read/total, counts, in flight, the rate between the samples, the ETA")
    func knownTotal() {
        let previous = Self.sample(seconds: 1, read: 300, delivered: 200)
        let current = Self.sample(seconds: 2, read: 700, delivered: 580, rejected: 12, failed: 3, queued: 40)
        // 395 settled in the second between the samples; 1000 - 595 left → 405 / 395 per second → 2 s.
        #expect(ProgressLine.render(current: current, previous: previous, total: .rows(1000), width: 120)
            == "rows 700/1000, 580 delivered, 12 rejected, 3 failed, 65 in flight, 395/s, ETA 2s")
    }

    @Test("A file: the share of bytes read, and an ETA from the estimated row count")
    func fileTotal() {
        let current = Self.sample(seconds: 4, read: 2500, delivered: 2000, bytes: 250_000)
        // 25% of 1 MB read → about 10000 rows; 8000 left at 500/s (no previous sample: since the start).
        #expect(ProgressLine.render(current: current, previous: nil, total: .bytes(1_000_000), width: 200)
            == "rows 2500 (25%), 2000 delivered, 0 rejected, 0 failed, 500 in flight, 500/s, ETA 16s")
    }

    @Test("stdin: counts only, no ETA; invalid rows appear once there are some")
    func unknownTotal() {
        let current = Self.sample(seconds: 2, read: 21, delivered: 10, invalid: 1)
        #expect(ProgressLine.render(current: current, previous: nil, total: .unknown, width: 200)
            == "rows 21, 10 delivered, 0 rejected, 0 failed, 1 invalid, 10 in flight, 5.5/s")
    }

    @Test("Too narrow: zero counts go first, then in flight, invalid, the rate; never wider than width - 1")
    func narrow() {
        let current = Self.sample(seconds: 2, read: 700, delivered: 580, rejected: 12, queued: 40)
        let previous = Self.sample(seconds: 1, read: 300, delivered: 200)
        let full = ProgressLine.render(current: current, previous: previous, total: .rows(1000), width: 500)
        #expect(full == "rows 700/1000, 580 delivered, 12 rejected, 0 failed, 68 in flight, 392/s, ETA 2s")
        let widths = [71, 60, 50, 40, 30, 20, 10, 2]
        let lines = widths.map { ProgressLine.render(current: current, previous: previous, total: .rows(1000), width: $0) }
        #expect(lines[0] == "rows 700/1000, 580 delivered, 12 rejected, 68 in flight, 392/s, ETA 2s")
        #expect(lines[1] == "rows 700/1000, 580 delivered, 12 rejected, 392/s, ETA 2s")
        #expect(lines[2] == "rows 700/1000, 580 delivered, 12 rejected, ETA 2s")
        #expect(lines[3] == "rows 700/1000, 580 delivered, ETA 2s")
        #expect(lines[4] == "rows 700/1000, 580 delivered")
        for (width, line) in zip(widths, lines) { #expect(line.count <= width - 1, "\(width): \(line)") }
    }

    @Test("ETA and rate texts")
    func texts() {
        #expect(ProgressLine.duration(seconds: 0.2) == "1s")
        #expect(ProgressLine.duration(seconds: 59) == "59s")
        #expect(ProgressLine.duration(seconds: 725) == "12m05s")
        #expect(ProgressLine.duration(seconds: 3 * 3600 + 120) == "3h02m")
        #expect(ProgressLine.duration(seconds: .infinity) == "--")
        #expect(ProgressLine.rateText(8103.4) == "8103/s")
        #expect(ProgressLine.rateText(2.46) == "2.5/s")
        #expect(ProgressLine.rateText(0) == "0.0/s")
    }

    @Test("Nothing settled yet: the ETA is unknown, not zero; everything settled: 0s")
    func etaEdges() {
        let stalled = Self.sample(seconds: 1, read: 100, delivered: 0)
        #expect(ProgressLine.render(current: stalled, previous: nil, total: .rows(100), width: 200).hasSuffix("ETA --"))
        let done = Self.sample(seconds: 1, read: 100, delivered: 100)
        #expect(ProgressLine.render(current: done, previous: nil, total: .rows(100), width: 200).hasSuffix("ETA 0s"))
    }
}
