import Foundation
import Testing
import PushCore

extension EndToEndTests {
    /// Answers a client must survive: error timestamps that fit no integer, and a server-wide outage in the middle
    /// of a campaign (`apnsctl mock --timestamp`, `--outage`).
    @Suite("Server trouble: odd answers and outages")
    struct ServerTrouble {
        static let payload = #"{"aps":{"alert":"Hi"}}"#

        @Test("Out-of-range timestamps in 410 answers: no crash, the rows rejected without unregistered_at, the run goes on")
        func outOfRangeTimestamps() throws {
            let odd = ["aa01": "1e19", "aa02": "1e400", "aa03": "-1e300"]
            let fixture = try MockFixture(mockArguments: ["--respond", "aa=410:Unregistered"]
                + odd.sorted { $0.key < $1.key }.flatMap { ["--timestamp", "\($0.key)=\($0.value)"] }
                + ["--timestamp", "aa04=1732630000000"])
            var tokens = odd.keys.sorted().map { deviceToken($0, 1) } + [deviceToken("aa04", 1)]
            tokens += (1...20).map { deviceToken("beef", $0) }
            let input = try fixture.write("recipients.csv", "token\n" + tokens.map { $0 + "\n" }.joined())
            let reportPath = fixture.path("r.jsonl")
            let result = try fixture.send(["--input", input, "--payload", Self.payload, "--topic", MockFixture.topic,
                                           "--concurrency", "4", "--report", reportPath] + fixture.connection)
            _ = try fixture.stopMock()

            // 410 is APNs' final answer about a token: with every other row delivered the run exits 0.
            #expect(result.reason == .exit && result.status == 0, "status \(result.status); stderr:\n\(result.stderr)")
            let rows = try ReportFile.rows(path: reportPath)
            #expect(rows.count == tokens.count)
            let byToken = Dictionary(rows.map { ($0.token, $0) }, uniquingKeysWith: { first, _ in first })
            for prefix in odd.keys {
                let row = try #require(byToken[deviceToken(prefix, 1)], "no row for \(prefix)")
                #expect(row.outcome == .rejected && row.status == 410 && row.reason == "Unregistered", "\(row)")
                #expect(row.unregisteredAt == nil, "\(prefix): \(String(describing: row.unregisteredAt))")
            }
            // A timestamp that fits is still read.
            #expect(byToken[deviceToken("aa04", 1)]?.unregisteredAt == 1_732_630_000_000)
            #expect(rows.filter { $0.outcome == .delivered }.count == 20)
        }

        struct Outage: Sendable, CustomTestStringConvertible {
            var mode: String
            /// Seconds after the mock starts.
            var from: Int
            var to: Int
            var rows: Int
            var rate: Int
            var testDescription: String { "\(mode), \(from)s..\(to)s, \(rows) rows at \(rate)/s" }
        }

        /// The scenario to survive is a 2-minute outage; `make test` runs a 10-second one (the tests run in under ten
        /// minutes in all). APNSCTL_LONG_TESTS=1 adds the 2-minute runs.
        static let outages: [Outage] = {
            var list = [Outage(mode: "503", from: 2, to: 12, rows: 600, rate: 40),
                        Outage(mode: "refuse", from: 2, to: 12, rows: 600, rate: 40)]
            if ProcessInfo.processInfo.environment["APNSCTL_LONG_TESTS"] == "1" {
                list += [Outage(mode: "503", from: 5, to: 125, rows: 3_000, rate: 20),
                         Outage(mode: "refuse", from: 5, to: 125, rows: 3_000, rate: 20)]
            }
            return list
        }()

        @Test("An outage in the middle of a campaign: every row delivered, no retries used up", arguments: outages)
        func outage(_ outage: Outage) throws {
            let fixture = try MockFixture(mockArguments: ["--outage", "\(outage.from)s..\(outage.to)s",
                                                          "--outage-mode", outage.mode])
            let input = try fixture.write("recipients.csv",
                                          "token\n" + (1...outage.rows).map { deviceToken("cafe", $0) + "\n" }.joined())
            let reportPath = fixture.path("r.jsonl")
            let child = try ChildProcess(try BinarySmokeTests.binary(),
                                         ["send", "--input", input, "--payload", Self.payload, "--topic", MockFixture.topic,
                                          "--rate", String(outage.rate), "--retries", "3", "--pause-max", "5s",
                                          "--report", reportPath] + fixture.connection,
                                         name: "send", directory: fixture.directory)
            let result = try child.wait(seconds: Double(outage.to) + Double(outage.rows / outage.rate) + 60)
            _ = try fixture.stopMock()
            let stats = try fixture.statistics()

            #expect(result.status == 0, "stderr:\n\(result.stderr)")
            let rows = try ReportFile.rows(path: reportPath)
            #expect(rows.count == outage.rows)
            let notDelivered = rows.filter { $0.outcome != .delivered }
            #expect(notDelivered.isEmpty, "\(notDelivered.count) rows not delivered, e.g. \(notDelivered.prefix(3))")
            #expect(rows.allSatisfy { $0.attempts <= 4 })
            // The outage did hit the campaign.
            if outage.mode == "503" {
                let unavailable = stats["rejected_by_reason"]?.objectValue?["ServiceUnavailable"]?.intValue ?? 0
                #expect(unavailable >= 1, "\(stats)")
            } else {
                #expect(stats["connections"]?.intValue ?? 0 >= 2, "no reconnection after the outage: \(stats)")
            }
        }
    }
}
