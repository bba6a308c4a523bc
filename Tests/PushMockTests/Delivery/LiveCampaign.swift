import Foundation
import Testing
@testable import PushCore
@testable import PushMock

/// Runs a whole `Campaign` (PushCore's engine) against an in-process `MockServer` over real TLS + HTTP/2 on
/// 127.0.0.1, and collects what both sides saw: the report rows, the run's result, the server's statistics and
/// its request log (which token was accepted how many times).
struct LiveCampaign {
    var tokens: [String]
    var mock = MockConfiguration(listen: Endpoint(host: "127.0.0.1", port: 0), maxStreams: 100)
    var concurrency = 50
    var connections = 1
    var retryPolicy = RetryPolicy(maxRetries: 3, baseDelayMs: 5, maxDelayMs: 50)
    var requestTimeoutMs = 5_000
    var ratePerSecond: Int?
    var pingAfterMs = 60_000
    /// Interrupt the run (as SIGINT does) after this long, with this grace period.
    var interrupt: (afterMs: Int, graceMs: Int)?
    /// Put a relay between client and mock (it gets the mock's port and returns the port to connect to).
    var relay: ((Int) throws -> (port: Int, stop: () -> Void))?
    var campaignGuard: CampaignGuard? = CampaignGuard()
    /// Replaces the mock's real JWT check (which verifies against the run's key).
    var tokenVerifier: (@Sendable (String) -> Reason?)?

    struct Outcome {
        var rows: [ReportRow]
        var result: CampaignResult
        var server: MockStatistics
        var control: RunControl
        var mints: Int
        /// For every token: how many requests for it the server answered 200.
        var acceptedCount: [String: Int]
        /// When the server logged each request (ms since the epoch), in log order.
        var requestTimesMs: [Int64]
        /// The alert text of every payload the server answered 200 (the template is `hello {{token}}`), by token.
        var acceptedAlerts: [String: [String]]
        /// Payload arrays the connections gave back to the template for reuse, at the end of the run.
        var spareBuffers: Int

        func row(_ token: String) -> ReportRow? { rows.first { $0.token == token } }
    }

    /// `count` distinct 64-hex tokens whose first characters are `prefix`.
    static func tokens(_ count: Int, prefix: String = "ab") -> [String] {
        (0..<count).map { i in
            let tail = String(i, radix: 16)
            return prefix + String(repeating: "0", count: 64 - prefix.count - tail.count) + tail
        }
    }

    func run() throws -> Outcome {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("live-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }

        let authority = try LocalCertificateAuthority.generate()
        let caPath = dir.appendingPathComponent("ca.pem").path
        try authority.caCertificatePEM.write(toFile: caPath, atomically: true, encoding: .utf8)
        let key = try ES256PrivateKey.generate()
        let tokensSource = try ProviderTokenSource(key: key, keyID: "TEST123456", teamID: "TEAM123456")

        var mock = self.mock
        let logPath = dir.appendingPathComponent("mock.log").path
        mock.logPath = logPath
        mock.quiet = true
        let realCheck = ProviderTokenVerifier(keyID: "TEST123456", teamID: "TEAM123456", key: try key.publicKey())
            .cachingCheck(now: ProviderTokenSource.wallClockSeconds)
        mock.tokenVerifier = tokenVerifier ?? realCheck
        let server = try MockServer(configuration: mock, certificatePEM: authority.serverCertificatePEM,
                                    keyPEM: authority.serverKeyPEM)
        let port = try server.start()
        let stopped = DispatchSemaphore(value: 0)
        let thread = Thread {
            server.run()
            stopped.signal()
        }
        thread.start()

        let reportPath = dir.appendingPathComponent("report.jsonl").path
        let report = try ReportWriter(path: reportPath, format: .jsonl)
        let relayed = try relay?(port)
        defer { relayed?.stop() }
        let endpoint = Endpoint(host: "127.0.0.1", port: relayed?.port ?? port)
        var settings = CampaignSettings(endpoint: endpoint, concurrency: concurrency, connections: connections,
                                        requestTimeoutMs: requestTimeoutMs, connectTimeoutMs: 5_000,
                                        retryPolicy: retryPolicy, ratePerSecond: ratePerSecond,
                                        campaignGuard: campaignGuard)
        settings.pingAfterMs = pingAfterMs
        let campaign = Campaign(settings: settings, tlsContext: try TLSContext.client(caFile: caPath), auth: tokensSource,
                                report: report, summary: RunSummary(endpoint: endpoint, startedAtMs: 0), log: nil)
        var reader = DeviceListReader(tokens: tokens)
        let template = try PayloadTemplate(text: #"{"aps":{"alert":"hello {{token}}"}}"#)
        let preparer = RowPreparer(template: template, defaults: NotificationDefaults(topic: "com.example.app"))
        if let interrupt {
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(interrupt.afterMs)) {
                campaign.interrupt(graceMs: interrupt.graceMs)
            }
        }
        let result = campaign.run(reader: &reader, planner: RowPlanner(plan: RowPlan(preparer: preparer)))

        server.stop()
        _ = stopped.wait(timeout: TestTime.deadline(10))
        let rows = try ReportReader(path: reportPath, format: .jsonl).readAll()
        var accepted: [String: Int] = [:]
        var times: [Int64] = []
        var alerts: [String: [String]] = [:]
        if let log = FileManager.default.contents(atPath: logPath) {
            for line in log.split(separator: UInt8(ascii: "\n")) {
                guard let entry = (try? JSONParser.parse(Array(line)))?.objectValue else { continue }
                if case .number(let ms)? = entry["time_ms"], let value = Int64(ms) { times.append(value) }
                guard case .number("200")? = entry["status"], let token = entry["token"]?.stringValue else { continue }
                accepted[token, default: 0] += 1
                if let alert = entry["payload"]?.objectValue?["aps"]?.objectValue?["alert"]?.stringValue {
                    alerts[token, default: []].append(alert)
                }
            }
        }
        return Outcome(rows: rows, result: result, server: server.statistics, control: campaign.control,
                       mints: tokensSource.mintCount, acceptedCount: accepted, requestTimesMs: times,
                       acceptedAlerts: alerts, spareBuffers: template.buffers.count)
    }
}
