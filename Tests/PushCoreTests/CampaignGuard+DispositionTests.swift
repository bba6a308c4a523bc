import Foundation
import Testing
@testable import PushCore

@Suite("CampaignGuard: answers that stop the run are not settled rows")
struct CampaignGuardDispositionTests {
    private static func row(_ line: Int, _ status: Int?, _ reason: String?) -> ReportRow {
        ReportRow(line: line, token: String(format: "ab%02x", line % 256), outcome: status == 200 ? .delivered : .rejected,
                  status: status, reason: reason, attempts: 1, finishedAtMs: 0)
    }

    @Test("The table: credential reasons stop; BadDeviceToken and Forbidden wait while their trip wire is undecided")
    func table() {
        var guardian = CampaignGuard(minimumSample: 50)
        #expect(guardian.disposition(status: 200, reason: nil) == .write)
        #expect(guardian.disposition(status: nil, reason: "Timeout") == .write)
        #expect(guardian.disposition(status: 403, reason: "InvalidProviderToken") == .stopped)
        #expect(guardian.disposition(status: 403, reason: "BadEnvironmentKeyInToken") == .stopped)
        #expect(guardian.disposition(status: 403, reason: "ExpiredProviderToken") == .stopped)
        #expect(guardian.disposition(status: 410, reason: "Unregistered") == .write)
        #expect(guardian.disposition(status: 400, reason: "BadDeviceToken") == .hold)
        #expect(guardian.disposition(status: 403, reason: "Forbidden") == .hold)
        _ = guardian.record(Self.row(1, 200, nil))
        #expect(guardian.disposition(status: 403, reason: "Forbidden") == .write, "one other answer: Forbidden cannot trip")
        for line in 2...50 { _ = guardian.record(Self.row(line, 200, nil)) }
        #expect(guardian.disposition(status: 400, reason: "BadDeviceToken") == .write, "decided: the guard did not trip")
        #expect(guardian.trip == nil)
    }

    @Test("Tripped: every BadDeviceToken answer, before and after the trip, is stopped")
    func tripped() {
        var guardian = CampaignGuard(minimumSample: 50)
        var stop: String?
        for line in 1...50 { stop = stop ?? guardian.record(Self.row(line, 400, "BadDeviceToken")) }
        #expect(stop != nil)
        #expect(guardian.trip == .wrongEnvironment)
        #expect(guardian.disposition(status: 400, reason: "BadDeviceToken") == .stopped)
        #expect(guardian.disposition(status: 200, reason: nil) == .write)
        #expect(guardian.disposition(status: 410, reason: "Unregistered") == .write)
    }

    /// A sink over a report file, with the guard of a real run.
    private static func sink(_ path: String, control: RunControl) throws -> ReportSink {
        ReportSink(writer: try ReportWriter(path: path, format: .jsonl), summary: RunSummary(startedAtMs: 0),
                   control: control, guard: CampaignGuard(minimumSample: 50))
    }

    @Test("Through the sink: a tripped guard leaves every BadDeviceToken row out of report and summary")
    func sinkTripped() throws {
        let directory = try TemporaryDirectory()
        let path = directory.url.appendingPathComponent("r.jsonl").path
        let control = RunControl()
        let sink = try Self.sink(path, control: control)
        sink.settle([Self.row(2, 200, nil)] + (3...40).map { Self.row($0, 400, "BadDeviceToken") })
        #expect(try ReportReader(path: path).readAll().map(\.line) == [2], "BadDeviceToken rows wait for the decision")
        sink.settle((41...60).map { Self.row($0, 400, "BadDeviceToken") })
        sink.close()
        #expect(control.fatal?.description.hasPrefix("stopped early: 49 of the first 50") == true)
        #expect(try ReportReader(path: path).readAll().map(\.line) == [2])
        #expect(sink.finalSummary.total == 1)
        #expect(sink.finalSummary.stopped == 58)
    }

    @Test("Through the sink: a guard that does not trip writes the held rows, and a short run writes them at the end")
    func sinkReleased() throws {
        let directory = try TemporaryDirectory()
        let path = directory.url.appendingPathComponent("r.jsonl").path
        let sink = try Self.sink(path, control: RunControl())
        sink.settle((2...11).map { Self.row($0, 400, "BadDeviceToken") })
        sink.settle((12...51).map { Self.row($0, 200, nil) })
        #expect(try ReportReader(path: path).readAll().count == 50)
        sink.close()

        let short = directory.url.appendingPathComponent("short.jsonl").path
        let shortSink = try Self.sink(short, control: RunControl())
        shortSink.settle((2...4).map { Self.row($0, 400, "BadDeviceToken") })
        shortSink.close()
        #expect(try ReportReader(path: short).readAll().count == 3)
        #expect(shortSink.finalSummary.count(.rejected) == 3)
        #expect(shortSink.finalSummary.stopped == 0)
    }

    @Test("Credential refusals are stopped, never written; a write failure stops the run and counts nothing unwritten")
    func credentialsAndWriteFailure() throws {
        let directory = try TemporaryDirectory()
        let path = directory.url.appendingPathComponent("r.jsonl").path
        let sink = try Self.sink(path, control: RunControl())
        sink.settle([Self.row(2, 403, "InvalidProviderToken"), Self.row(3, 200, nil)])
        sink.close()
        #expect(try ReportReader(path: path).readAll().map(\.line) == [3])
        #expect(sink.finalSummary.stopped == 1)

        let control = RunControl()
        let full = try Self.sink("/dev/full", control: control)
        full.settleUnsent([ReportRow(line: 2, token: "aa", outcome: .invalid, reason: "bad", finishedAtMs: 0)])
        full.settle([Self.row(3, 200, nil)])
        full.settle([Self.row(4, 200, nil)])
        full.close()
        #expect(control.fatal?.description.hasPrefix("cannot write the report: /dev/full") == true)
        #expect(full.finalSummary.total == 0)
    }
}
