import Foundation
import PushCore
import Testing
@testable import apnsctl

@Suite("apnsctl token: a fresh provider token on stdout only")
struct TokenCommandOutputTests {
    static func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("apnsctl-token-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test("The token verifies against the key's public half; stderr stays empty")
    func verifies() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let key = try ES256PrivateKey.generate()
        let keyPath = directory.appendingPathComponent("AuthKey_ABC123DEFG.p8").path
        try Data(key.pkcs8PEM().utf8).write(to: URL(fileURLWithPath: keyPath))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: keyPath)

        let before = Clock.wallSeconds()
        let result = try Tool.run(try BinarySmokeTests.binary(),
                                  ["token", "--key", keyPath, "--key-id", "ABC123DEFG", "--team-id", "DEF123GHIJ"],
                                  environment: ["HOME": directory.path])
        #expect(result.status == 0)
        #expect(result.stderr == "")
        #expect(result.stdout.hasSuffix("\n"))
        let token = String(result.stdout.dropLast())
        #expect(!token.contains("\n") && token.split(separator: ".").count == 3)
        let verifier = ProviderTokenVerifier(keyID: "ABC123DEFG", teamID: "DEF123GHIJ", key: try key.publicKey())
        #expect(verifier.verify(token: token, now: before) == .valid)
        // Signed by another key, the same claims do not verify.
        let other = ProviderTokenVerifier(keyID: "ABC123DEFG", teamID: "DEF123GHIJ",
                                          key: try ES256PrivateKey.generate().publicKey())
        #expect(other.verify(token: token, now: before) != .valid)
    }

    @Test("Key and IDs from the config file's profile and the environment")
    func fromConfig() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let key = try ES256PrivateKey.generate()
        let configDirectory = directory.appendingPathComponent(".config/apnsctl")
        try FileManager.default.createDirectory(at: configDirectory, withIntermediateDirectories: true)
        try Data(key.pkcs8PEM().utf8).write(to: configDirectory.appendingPathComponent("key.p8"))
        try "[default]\nkey-id = WRONGKEY01\n\n[profile ci]\nkey = key.p8\nkey-id = CIKEY00001\n"
            .write(to: configDirectory.appendingPathComponent("config"), atomically: true, encoding: .utf8)

        let result = try Tool.run(try BinarySmokeTests.binary(), ["token", "--profile", "ci"],
                                  environment: ["HOME": directory.path, "APNSCTL_TEAM_ID": "ENVTEAM001"])
        #expect(result.status == 0, "\(result.stderr)")
        let verifier = ProviderTokenVerifier(keyID: "CIKEY00001", teamID: "ENVTEAM001", key: try key.publicKey())
        #expect(verifier.verify(token: String(result.stdout.dropLast()), now: Clock.wallSeconds()) == .valid)
    }

    @Test("Errors go to stderr, nothing to stdout: a missing key file (3), a malformed ID (2)")
    func errors() throws {
        let missing = try Tool.run(try BinarySmokeTests.binary(),
                                   ["token", "--key", "/nonexistent/k.p8", "--key-id", "ABC123DEFG", "--team-id", "DEF123GHIJ"],
                                   environment: [:])
        #expect(missing.status == ExitStatus.fatal.rawValue)
        #expect(missing.stdout == "")
        #expect(missing.stderr.contains("/nonexistent/k.p8"))

        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let keyPath = directory.appendingPathComponent("k.p8").path
        try Data(ES256PrivateKey.generate().pkcs8PEM().utf8).write(to: URL(fileURLWithPath: keyPath))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: keyPath)
        let badID = try Tool.run(try BinarySmokeTests.binary(),
                                 ["token", "--key", keyPath, "--key-id", "abc123defg", "--team-id", "DEF123GHIJ"],
                                 environment: [:])
        #expect(badID.status == ExitStatus.usage.rawValue)
        #expect(badID.stdout == "")
        #expect(badID.stderr.hasPrefix("apnsctl: key id 'abc123defg' must be uppercase"))
        #expect(!badID.stderr.contains("PRIVATE KEY"))
    }
}
