import Foundation
import PushCore
import Testing
@testable import apnsctl

/// The built `apnsctl mock --manage-listen …` driven by curl over TLS on 127.0.0.1: the management port file, the
/// provider tokens checked against --auth-key on both ports, seeded channel ids, and --stats after SIGTERM.
@Suite("apnsctl mock: broadcast channels end to end",
       .enabled(if: Tool.has("curl") && Tool.has("openssl"), "needs curl (with HTTP/2) and openssl"))
struct MockCommandBroadcastTests {
    static let bundle = "com.example.app"

    /// The statuses and `apns-channel-id`s (empty when none) of the requests, one curl run each.
    static func curl(_ mock: MockCommandSwitchesTests.RunningMock, port: Int, _ method: String, _ path: String,
                     token: String, headers: [String] = [], body: String? = nil) throws -> (status: String, channel: String) {
        var arguments = ["--http2", "--cacert", mock.ca, "-sS", "--max-time", "10", "-o", "/dev/null", "-X", method,
                         "-w", "%{http_code} %header{apns-channel-id}", "-H", "authorization: bearer \(token)"]
        for header in headers { arguments += ["-H", header] }
        if let body { arguments += ["--data-binary", body] }
        arguments.append("https://127.0.0.1:\(port)\(path)")
        let result = try Tool.run(try #require(Tool.path("curl")), arguments)
        let parts = result.stdout.split(separator: " ", maxSplits: 1).map(String.init)
        return (parts.first ?? "", parts.count > 1 ? parts[1] : "")
    }

    static func runCampaign(seed: String, in parent: URL) throws -> (channels: [String], stats: [String: Any]) {
        // A directory per run: the port files of an earlier run must not be read as this one's.
        let directory = parent.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let key = try ES256PrivateKey.generate()
        let keyPath = directory.appendingPathComponent("AuthKey_KEY0000001.p8").path
        try key.pkcs8PEM().write(toFile: keyPath, atomically: true, encoding: .utf8)
        let stats = directory.appendingPathComponent("stats-\(seed).json").path
        let portFile = directory.appendingPathComponent("manage-port-\(seed)").path
        let mock = try MockCommandSwitchesTests.start([
            "--auth-key", keyPath, "--key-id", "KEY0000001", "--team-id", "TEAM000001",
            "--manage-listen", "127.0.0.1:0", "--manage-port-file", portFile, "--seed", seed,
            "--channel-limit", "3", "--stats", stats,
        ], in: directory)
        let text = try String(contentsOfFile: portFile, encoding: .utf8)
        let managePort = try #require(Int(text.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(managePort != mock.port)
        let token = try ProviderToken.make(keyID: "KEY0000001", teamID: "TEAM000001", issuedAt: Clock.wallSeconds(),
                                           key: key)
        let create = #"{"message-storage-policy":0,"push-type":"LiveActivity"}"#
        var channels: [String] = []
        for _ in 0..<4 {
            let answer = try curl(mock, port: managePort, "POST", "/1/apps/\(bundle)/channels", token: token, body: create)
            if answer.status == "201" { channels.append(answer.channel) }
        }
        #expect(try curl(mock, port: managePort, "POST", "/1/apps/\(bundle)/channels", token: "not.a.jwt",
                         body: create).status == "403")
        let broadcastHeaders = ["apns-push-type: liveactivity", "apns-priority: 5", "apns-expiration: 0"]
        let update = #"{"aps":{"event":"update","timestamp":1,"content-state":{}}}"#
        for channel in channels {
            #expect(try curl(mock, port: mock.port, "POST", "/4/broadcasts/apps/\(bundle)", token: token,
                             headers: broadcastHeaders + ["apns-channel-id: \(channel)"], body: update).status == "200")
        }
        #expect(try curl(mock, port: mock.port, "POST", "/4/broadcasts/apps/\(bundle)", token: "not.a.jwt",
                         headers: broadcastHeaders + ["apns-channel-id: \(channels[0])"], body: update).status == "403")
        #expect(try curl(mock, port: managePort, "DELETE", "/1/apps/\(bundle)/channels", token: token,
                         headers: ["apns-channel-id: \(channels[0])"]).status == "204")
        #expect(mock.stop() == 0)
        let data = try Data(contentsOf: URL(fileURLWithPath: stats))
        return (channels, try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any]))
    }

    @Test("--manage-listen, --manage-port-file, --channel-limit, --seed and --stats through the binary")
    func channelsThroughTheBinary() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("apnsctl-mockbc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = try Self.runCampaign(seed: "5", in: directory)
        #expect(first.channels.count == 3, "the fourth create hits --channel-limit 3")
        let broadcast = try #require(first.stats["broadcast"] as? [String: Any])
        #expect(broadcast["channels_created"] as? Int == 3)
        #expect(broadcast["channels_deleted"] as? Int == 1)
        #expect(broadcast["management_rejected_by_reason"] as? [String: Int]
            == ["CannotCreateChannelConfig": 1, "InvalidProviderToken": 1])
        #expect(broadcast["broadcasts_accepted"] as? Int == 3)
        #expect(broadcast["broadcasts_rejected_by_reason"] as? [String: Int] == ["InvalidProviderToken": 1])
        #expect(broadcast["manage_connections"] as? Int == 6)
        #expect(first.stats["connections"] as? Int == 4)

        let again = try Self.runCampaign(seed: "5", in: directory)
        #expect(again.channels == first.channels, "the same seed gives the same channel ids")
        let other = try Self.runCampaign(seed: "6", in: directory)
        #expect(other.channels != first.channels)
    }
}
