import Foundation
import Testing
import PushCore

extension EndToEndTests {
    /// Servers broken at the connection level (`apnsctl mock --close-on-connect`, `--goaway-on-connect`,
    /// `--max-streams 0`, `--no-settings`, `--stall`, `--require-client-cert` with a foreign certificate): the run
    /// ends within a handful of connections and within its own time limits, naming what the server did.
    /// Connections are counted by the mock (`--stats`).
    @Suite("Broken servers: bounded connections and time, exit status naming the cause")
    struct BrokenServer {
        static let payload = #"{"aps":{"alert":"Hi"}}"#

        static func recipients(_ fixture: MockFixture, count: Int, prefix: String = "beef") throws -> String {
            try fixture.write("recipients.csv", "token\n" + (1...count).map { deviceToken(prefix, $0) + "\n" }.joined())
        }

        /// `send` with the fixture's key and CA, `rows` recipients and `extra`; the result and its wall time.
        static func timedSend(_ fixture: MockFixture, rows: Int, _ extra: [String]) throws
            -> (result: ChildProcess.Result, seconds: Double, report: [ReportRow]) {
            let input = try recipients(fixture, count: rows)
            let report = fixture.path("r.jsonl")
            let started = Date()
            let result = try fixture.send(["--input", input, "--payload", payload, "--topic", MockFixture.topic,
                                           "--report", report] + fixture.connection + extra)
            let seconds = Date().timeIntervalSince(started)
            return (result, seconds, (try? ReportFile.rows(path: report)) ?? [])
        }

        /// The tolerance for a run bounded by a time limit: 10 % plus one second (stretched by `TestTime`: a
        /// sanitizer build takes longer to start and to stop).
        static func bound(_ limitSeconds: Double) -> Double { limitSeconds * 1.1 + TestTime.seconds(1) }

        @Test("A client certificate from another CA, refused after the TLS 1.3 handshake: exit 3 within 5 connections, naming the certificate")
        func refusedClientCertificate() throws {
            // The mock trusts one local CA; the client presents a certificate (CN localhost, valid one year) from
            // another.
            let trusted = try LocalCertificateAuthority.generate()
            let foreign = try LocalCertificateAuthority.generate()
            let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("apnsctl-e2e-ca-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: scratch) }
            let trustedCA = scratch.appendingPathComponent("clients-ca.pem").path
            try trusted.caCertificatePEM.write(toFile: trustedCA, atomically: true, encoding: .utf8)
            // It expires 365 days after it was made (just now): the date, as YYYY-MM-DD in UTC, either side of a
            // midnight that may have passed meanwhile.
            let expiryDays = [-120.0, 0].map { offset in
                String(RFC3339.format(epochMilliseconds: Int64((Date().timeIntervalSince1970 + 365 * 86_400 + offset) * 1000))
                    .prefix(10))
            }

            let fixture = try MockFixture(mockArguments: ["--require-client-cert", trustedCA], verifyTokens: false)
            let certificate = try fixture.write("client.pem", foreign.serverCertificatePEM + foreign.serverKeyPEM)
            let input = try Self.recipients(fixture, count: 20)
            let started = Date()
            let result = try fixture.send(["--input", input, "--payload", Self.payload, "--topic", MockFixture.topic,
                                           "--cert", certificate, "--endpoint", "127.0.0.1:\(fixture.port)",
                                           "--ca-file", fixture.caPath, "--report", fixture.path("r.jsonl")])
            let seconds = Date().timeIntervalSince(started)
            _ = try fixture.stopMock()
            let stats = try fixture.statistics()

            #expect(result.status == 3, "stderr:\n\(result.stderr)")
            let connections = try #require(stats["connections"]?.intValue)
            #expect(connections >= 1 && connections <= 5, "\(connections) connections")
            #expect(stats["client_certificates_refused"]?.intValue ?? 0 >= 1, "the mock refused no certificate: \(stats)")
            #expect(stats["requests"]?.intValue == 0)
            // The message names the certificate: its subject and its expiry.
            #expect(result.stderr.contains("localhost"), "stderr:\n\(result.stderr)")
            #expect(expiryDays.contains { result.stderr.contains($0) }, "no expiry date \(expiryDays) in:\n\(result.stderr)")
            #expect(seconds < 15)
        }

        @Test("A server that closes every connection right after the handshake: exit 3 within a handful of connections")
        func closeOnConnect() throws {
            let fixture = try MockFixture(mockArguments: ["--close-on-connect"])
            let run = try Self.timedSend(fixture, rows: 50, [])
            _ = try fixture.stopMock()
            let stats = try fixture.statistics()

            #expect(run.result.status == 3, "stderr:\n\(run.result.stderr)")
            let connections = try #require(stats["connections"]?.intValue)
            #expect(connections >= 1 && connections <= 10, "\(connections) connections")
            // The message says what the server did.
            #expect(run.result.stderr.lowercased().contains("closed"), "stderr:\n\(run.result.stderr)")
            #expect(!run.report.contains { $0.outcome == .delivered })
            #expect(run.seconds < Self.bound(10) + 5)
        }

        @Test("GOAWAY right after SETTINGS on every connection: exit 3 within a handful of connections, no row failed Refused")
        func goAwayOnConnect() throws {
            let fixture = try MockFixture(mockArguments: ["--goaway-on-connect"])
            let run = try Self.timedSend(fixture, rows: 1_000, [])
            _ = try fixture.stopMock()
            let stats = try fixture.statistics()

            #expect(run.result.status == 3, "stderr:\n\(run.result.stderr)")
            let connections = try #require(stats["connections"]?.intValue)
            #expect(connections >= 1 && connections <= 10, "\(connections) connections")
            #expect(stats["requests"]?.intValue == 0)
            #expect(run.result.stderr.contains("GOAWAY"), "stderr:\n\(run.result.stderr)")
            // Refused streams were never processed: they are not failures of the rows.
            #expect(!run.report.contains { $0.reason == "Refused" }, "\(run.report.filter { $0.reason == "Refused" }.count) rows failed Refused")
            #expect(!run.report.contains { $0.outcome == .delivered })
        }

        @Test("A healthy server that sends GOAWAY every 97 requests: all 20,000 rows delivered")
        func goAwayEvery97() throws {
            let fixture = try MockFixture(mockArguments: ["--goaway-every", "97"])
            let run = try Self.timedSend(fixture, rows: 20_000, ["--concurrency", "500", "--connections", "2"])
            _ = try fixture.stopMock()
            let stats = try fixture.statistics()

            #expect(run.result.status == 0, "stderr:\n\(run.result.stderr)")
            #expect(run.report.count == 20_000)
            #expect(Set(run.report.map(\.line)).count == 20_000)
            let notDelivered = run.report.filter { $0.outcome != .delivered }
            #expect(notDelivered.isEmpty, "\(notDelivered.count) rows not delivered, e.g. \(notDelivered.prefix(3))")
            // The GOAWAYs did happen: one per 97 requests the mock took on.
            #expect(stats["goaways"]?.intValue ?? 0 >= 20_000 / 97, "\(stats)")
        }

        struct Silence: Sendable, CustomTestStringConvertible {
            var mockArguments: [String]
            /// Acceptable exit statuses: 1 when rows were sent and failed, 3 when the run stopped because the server
            /// answers nothing (a message naming what it did).
            var statuses: Set<Int32>
            var testDescription: String { mockArguments.joined(separator: " ") }
        }

        @Test("Zero streams, no SETTINGS, a stalled handshake, stalled reads: over within the time limits, rows failed", arguments: [
            Silence(mockArguments: ["--max-streams", "0"], statuses: [1, 3]),
            Silence(mockArguments: ["--no-settings"], statuses: [1, 3]),
            Silence(mockArguments: ["--stall", "handshake"], statuses: [3]),
            Silence(mockArguments: ["--stall", "read"], statuses: [1, 3]),
        ])
        func silentServer(_ silence: Silence) throws {
            let fixture = try MockFixture(mockArguments: silence.mockArguments)
            let limit = 4.0
            let run = try Self.timedSend(fixture, rows: 10, ["--timeout", "4s", "--connect-timeout", "4s"])
            _ = try fixture.stopMock()

            #expect(silence.statuses.contains(run.result.status), "exit \(run.result.status); stderr:\n\(run.result.stderr)")
            #expect(run.seconds <= Self.bound(limit), "\(run.seconds) s with --timeout 4s --connect-timeout 4s")
            #expect(run.report.allSatisfy { $0.outcome == .failed }, "\(run.report.map(\.outcome))")
            if run.result.status == 1 { #expect(run.report.count == 10) }
        }

        @Test("--connect-timeout 5s against a stalled handshake: exit 3 after about 5 s")
        func connectTimeoutStalled() throws {
            try connectTimeout(stalled: true)
        }

        @Test("--connect-timeout 5s with nothing listening: exit 3 after about 5 s")
        func connectTimeoutNothingListening() throws {
            try connectTimeout(stalled: false)
        }

        func connectTimeout(stalled: Bool) throws {
            let fixture = try MockFixture(mockArguments: ["--stall", "handshake"])
            let input = try Self.recipients(fixture, count: 3)
            let port = stalled ? fixture.port : try closedLoopbackPort()
            let started = Date()
            let result = try fixture.send(["--input", input, "--payload", Self.payload, "--topic", MockFixture.topic,
                                           "--key", fixture.keyPath, "--key-id", MockFixture.keyID,
                                           "--team-id", MockFixture.teamID, "--endpoint", "127.0.0.1:\(port)",
                                           "--ca-file", fixture.caPath, "--connect-timeout", "5s",
                                           "--report", fixture.path("r.jsonl")])
            let seconds = Date().timeIntervalSince(started)
            _ = try fixture.stopMock()

            #expect(result.status == 3, "stderr:\n\(result.stderr)")
            #expect(seconds >= 4.5 && seconds <= Self.bound(5), "\(seconds) s")
        }

        @Test("SIGINT while the TLS handshake is stalled: apnsctl exits at once (< 2 s) with 130")
        func interruptDuringStalledHandshake() throws {
            let fixture = try MockFixture(mockArguments: ["--stall", "handshake"])
            let input = try Self.recipients(fixture, count: 5)
            let child = try ChildProcess(try BinarySmokeTests.binary(),
                                         ["send", "--input", input, "--payload", Self.payload, "--topic", MockFixture.topic,
                                          "--connect-timeout", "30s", "--grace-period", "2s",
                                          "--report", fixture.path("r.jsonl")] + fixture.connection,
                                         name: "send", directory: fixture.directory)
            Thread.sleep(forTimeInterval: TestTime.seconds(1.5))   // connected, handshake under way
            #expect(child.isRunning, "apnsctl ended before the signal; stderr:\n\(child.stderrSoFar)")
            let signalled = Date()
            child.signal(SIGINT)
            let result = try child.wait(seconds: 30)
            let seconds = Date().timeIntervalSince(signalled)
            _ = try fixture.stopMock()

            #expect(result.reason == .exit && result.status == 130, "status \(result.status); stderr:\n\(result.stderr)")
            #expect(seconds < TestTime.seconds(2), "\(seconds) s after SIGINT")
        }
    }
}
