import Foundation
import PushCore
import Testing
@testable import apnsctl

/// The built `apnsctl mock` with misbehaviour switches, driven by curl over TLS on 127.0.0.1: the options reach
/// the server, and --stats is written when SIGTERM stops it.
@Suite("apnsctl mock: switches end to end",
       .enabled(if: Tool.has("curl") && Tool.has("openssl"), "needs curl (with HTTP/2) and openssl"))
struct MockCommandSwitchesTests {
    static let token = String(repeating: "aa", count: 32)
    static let otherToken = String(repeating: "bc", count: 32)

    /// A running `apnsctl mock`; `stop()` sends SIGTERM and waits.
    struct RunningMock {
        let process: Process
        let directory: URL
        let port: Int
        var ca: String { directory.appendingPathComponent("ca.pem").path }

        /// SIGTERM, then the exit status; -1 (and SIGKILL) when it has not exited within 5 seconds (stretched).
        func stop() -> Int32 {
            process.terminate()
            guard TestTime.waitUntil(seconds: 5, { !process.isRunning }) else {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                return -1
            }
            return process.terminationStatus
        }
    }

    static func start(_ arguments: [String], in directory: URL) throws -> RunningMock {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try BinarySmokeTests.binary())
        let portFile = directory.appendingPathComponent("port").path
        process.arguments = ["mock", "--listen", "127.0.0.1:0", "--port-file", portFile,
                             "--write-ca", directory.appendingPathComponent("ca.pem").path, "--quiet"] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        var port: Int?
        _ = TestTime.waitUntil(seconds: 5) {
            port = (try? String(contentsOfFile: portFile, encoding: .utf8))
                .flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            return port != nil || !process.isRunning
        }
        if let port { return RunningMock(process: process, directory: directory, port: port) }
        process.terminate()
        throw UsageError("apnsctl mock did not write its port file", command: "mock")
    }

    /// Statuses of POSTs to the tokens in turn over one curl run.
    static func post(_ mock: RunningMock, tokens: [String], authorization: String) throws -> [String] {
        var arguments = ["--http2", "--cacert", mock.ca, "-sS", "--max-time", TestTime.curlMaxTime(10),
                         "-w", "%{http_code}\\n",
                         "-H", "apns-topic: com.example.app", "-H", "authorization: bearer \(authorization)",
                         "-d", #"{"aps":{"alert":"hi"}}"#]
        for token in tokens { arguments += ["-o", "/dev/null", "https://127.0.0.1:\(mock.port)/3/device/\(token)"] }
        let result = try Tool.run(try #require(Tool.path("curl")), arguments)
        return result.stdout.split(separator: "\n").map(String.init)
    }

    @Test("--respond with K, --goaway-after, --provider-token-max-age and --stats through the binary")
    func switchesReachTheServer() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("apnsctl-mock-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let key = try ES256PrivateKey.generate()
        let keyPath = directory.appendingPathComponent("AuthKey_KEY0000001.p8").path
        try key.pkcs8PEM().write(toFile: keyPath, atomically: true, encoding: .utf8)
        let stats = directory.appendingPathComponent("stats.json").path

        let mock = try Self.start([
            "--auth-key", keyPath, "--key-id", "KEY0000001", "--team-id", "TEAM000001",
            "--provider-token-max-age", "20s", "--respond", "aa=429:TooManyRequests:2",
            "--goaway-after", "3:Testing", "--stats", stats,
        ], in: directory)
        let now = Clock.wallSeconds()
        let fresh = try ProviderToken.make(keyID: "KEY0000001", teamID: "TEAM000001", issuedAt: now, key: key)
        let stale = try ProviderToken.make(keyID: "KEY0000001", teamID: "TEAM000001", issuedAt: now - 60, key: key)

        let statuses = try Self.post(mock, tokens: [Self.token, Self.token, Self.token, Self.otherToken],
                                     authorization: fresh)
        #expect(statuses == ["429", "429", "200", "200"])
        #expect(try Self.post(mock, tokens: [Self.otherToken], authorization: stale) == ["403"])
        #expect(mock.stop() == 0)

        let data = try Data(contentsOf: URL(fileURLWithPath: stats))
        let summary = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(summary["requests"] as? Int == 5)
        #expect(summary["accepted"] as? Int == 2)
        #expect(summary["rejected_by_reason"] as? [String: Int] == ["TooManyRequests": 2, "ExpiredProviderToken": 1])
        // Three requests per connection: the 4th went on a second connection, the stale token on a third.
        #expect(summary["goaways"] as? Int == 1)
        #expect(summary["connections"] as? Int == 3)
    }
}
