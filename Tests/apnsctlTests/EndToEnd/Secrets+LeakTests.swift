import Foundation
import Testing
import PushCore

/// Keys and certificates handed over the way CI systems do (the content in a variable, on stdin), and every error
/// path reachable with them: no output of the built binary (stderr, stdout, report, summary JSON, metrics, `-vv`
/// log) may hold the secret, a JWT or a password. Secrets carry a planted marker, or the test looks for a piece
/// of their base64 body.
@Suite("secrets from the environment never leak", .serialized, .enabled(if: Tool.has("openssl")))
struct SecretsLeakTests {
    static let marker = "SECRETMARKQZ"
    static let keyID = MockFixture.keyID
    static let teamID = MockFixture.teamID

    /// What one run left behind: its streams and every file it wrote in its directory.
    struct Outputs {
        var status: Int32
        var texts: [String: String]

        /// Fails the test when any output holds one of `secrets`.
        func expectNone(of secrets: [String], _ scenario: String, sourceLocation: SourceLocation = #_sourceLocation) {
            for (name, text) in texts {
                for secret in secrets where !secret.isEmpty {
                    #expect(!text.contains(secret), "\(scenario): \(name) holds a secret (\(secret.prefix(16))...):\n\(text)",
                            sourceLocation: sourceLocation)
                }
            }
        }

        var stderr: String { texts["stderr"] ?? "" }
    }

    /// Runs apnsctl in a fresh directory with only `environment` set (plus PATH and HOME), `-vv` where it applies.
    static func run(_ arguments: [String], environment: [String: String] = [:], stdin: String? = nil,
                    in directory: String) throws -> Outputs {
        var env = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": directory]
        env.merge(environment) { $1 }
        let before = Set((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
        let result = try Tool.run(try BinarySmokeTests.binary(), arguments, stdin: stdin, environment: env)
        var texts = ["stdout": result.stdout, "stderr": result.stderr]
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] where !before.contains(name) {
            texts[name] = (try? String(contentsOfFile: directory + "/" + name, encoding: .utf8)) ?? ""
        }
        return Outputs(status: result.status, texts: texts)
    }

    static func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("apnsctl-secrets-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// The base64 lines of a PEM text, without BEGIN/END lines: each is a piece of the secret.
    static func bodyLines(_ pem: String) -> [String] {
        pem.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("-----") && $0.count >= 16 }
    }

    static func openssl(_ arguments: [String]) throws {
        let result = try Tool.run(Tool.path("openssl") ?? "/usr/bin/openssl", arguments)
        try #require(result.status == 0, "openssl \(arguments.joined(separator: " ")): \(result.stderr)")
    }

    @Test("a broken key in APNSCTL_KEY, --key, --key-env or on stdin is named by its origin, never shown")
    func brokenKeys() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let good = try ES256PrivateKey.generate().pkcs8PEM()
        var lines = good.split(separator: "\n").map(String.init)
        lines[1] = Self.marker + String(lines[1].dropFirst(Self.marker.count))
        let damagedPEM = lines.joined(separator: "\n") + "\n"
        let badBase64 = Self.marker + String(repeating: "A", count: 81)     // 93 characters: not a base64 length
        let notDER = Self.marker + String(repeating: "A", count: 80)        // decodes, but to no key
        let notPEM = "\(Self.marker) line one\nline two"
        let ids = ["--key-id", Self.keyID, "--team-id", Self.teamID]
        let send = ["send", "--device", String(repeating: "ab", count: 32), "--payload", #"{"aps":{"badge":1}}"#,
                    "--topic", "com.example.app", "--endpoint", "127.0.0.1:9", "--connect-timeout", "1s", "-vv",
                    "--summary-json", directory + "/summary.json", "--metrics-file", directory + "/metrics.prom"] + ids
        let secrets = [Self.marker, "PRIVATE KEY"] + Self.bodyLines(good)
        let scenarios: [(String, [String], [String: String], String?)] = [
            ("damaged PEM in APNSCTL_KEY (token)", ["token"] + ids, ["APNSCTL_KEY": damagedPEM], nil),
            ("damaged PEM in APNSCTL_KEY (send)", send, ["APNSCTL_KEY": damagedPEM], nil),
            ("damaged PEM in --key", ["token", "--key", damagedPEM] + ids, [:], nil),
            ("damaged PEM on stdin", ["token", "--key", "-"] + ids, [:], damagedPEM),
            ("bad base64 in APNSCTL_KEY", ["token"] + ids, ["APNSCTL_KEY": badBase64], nil),
            ("base64 of no key in --key-env", ["token", "--key-env", "CI_KEY"] + ids, ["CI_KEY": notDER], nil),
            ("lines that are no PEM in APNSCTL_KEY", send, ["APNSCTL_KEY": notPEM], nil),
            ("config show", ["config", "show"], ["APNSCTL_KEY": good], nil),
        ]
        for (name, arguments, environment, stdin) in scenarios {
            let outputs = try Self.run(arguments, environment: environment, stdin: stdin, in: directory)
            #expect(outputs.status != 0 || name == "config show", "\(name) should fail: \(outputs.stderr)")
            outputs.expectNone(of: secrets, name)
            if name.contains("APNSCTL_KEY") {
                #expect(outputs.stderr.contains("APNSCTL_KEY"), "\(name): the message names the variable: \(outputs.stderr)")
            }
        }
    }

    @Test("a key that is not P-256 (an RSA key in a variable) is refused without showing it")
    func nonECKey() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Self.openssl(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", directory + "/rsa.pem"])
        let rsa = try String(contentsOfFile: directory + "/rsa.pem", encoding: .utf8)
        try FileManager.default.removeItem(atPath: directory + "/rsa.pem")
        let base64 = Self.bodyLines(rsa).joined()
        for (name, value) in [("PEM", rsa), ("base64", base64)] {
            let outputs = try Self.run(["token", "--key-env", "CI_KEY", "--key-id", Self.keyID, "--team-id", Self.teamID],
                                       environment: ["CI_KEY": value], in: directory)
            #expect(outputs.status == 3, "RSA \(name): \(outputs.stderr)")
            #expect(outputs.stderr.contains("CI_KEY"))
            outputs.expectNone(of: Self.bodyLines(rsa) + [base64.prefix(40).description], "RSA \(name)")
        }
    }

    @Test("a key from APNSCTL_KEY (PEM or base64) or stdin signs; a refused token never reaches any output")
    func refusedToken() throws {
        let fixture = try MockFixture(verifyKeyPath: { fixture in
            let other = fixture.path("other.p8")
            try ES256PrivateKey.generate().pkcs8PEM().write(toFile: other, atomically: true, encoding: .utf8)
            return other
        })
        let pem = try String(contentsOfFile: fixture.keyPath, encoding: .utf8)
        let base64 = Self.bodyLines(pem).joined()
        let report = fixture.path("report.jsonl")
        let arguments = ["send", "--device", String(repeating: "cd", count: 32), "--payload", #"{"aps":{"badge":1}}"#,
                         "--topic", MockFixture.topic, "--key-id", Self.keyID, "--team-id", Self.teamID,
                         "--endpoint", "127.0.0.1:\(fixture.port)", "--ca-file", fixture.caPath, "-vv",
                         "--report", report, "--summary-json", fixture.path("summary.json"),
                         "--metrics-file", fixture.path("metrics.prom")]
        let secrets = Self.bodyLines(pem) + [base64.prefix(40).description, "eyJ"]
        for (name, environment, stdin, extra) in [("PEM", ["APNSCTL_KEY": pem], nil, [String]()),
                                                  ("base64", ["APNSCTL_KEY": base64], nil, []),
                                                  ("stdin", [:], pem, ["--key", "-"])] {
            let outputs = try Self.run(arguments + extra, environment: environment, stdin: stdin, in: fixture.directory.path)
            #expect(outputs.status == 3, "\(name): the mock refuses the token: \(outputs.stderr)")
            #expect(outputs.stderr.contains("InvalidProviderToken"), "\(name): \(outputs.stderr)")
            outputs.expectNone(of: secrets, "refused token, key as \(name)")
            try? FileManager.default.removeItem(atPath: report)
        }
    }

    @Test("a certificate in APNSCTL_CERT (PEM or base64 .p12) loads; a wrong password or damaged one leaks nothing")
    func certificates() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let password = "pw-\(Self.marker)"
        try Self.openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", directory + "/key.pem",
                          "-days", "10", "-subj", "/UID=com.example.app/CN=Apple Push Services: com.example.app",
                          "-out", directory + "/cert.pem"])
        try Self.openssl(["pkcs12", "-export", "-in", directory + "/cert.pem", "-inkey", directory + "/key.pem",
                          "-passout", "pass:\(password)", "-out", directory + "/push.p12"])
        let keyPEM = try String(contentsOfFile: directory + "/key.pem", encoding: .utf8)
        let combined = try String(contentsOfFile: directory + "/cert.pem", encoding: .utf8) + keyPEM
        let p12 = try Data(contentsOf: URL(fileURLWithPath: directory + "/push.p12")).base64EncodedString()
        for name in ["key.pem", "cert.pem", "push.p12"] { try FileManager.default.removeItem(atPath: directory + "/" + name) }
        var damaged = combined.split(separator: "\n").map(String.init)
        let keyLine = damaged.lastIndex { !$0.hasPrefix("-----") }! - 2
        damaged[keyLine] = Self.marker + String(damaged[keyLine].dropFirst(Self.marker.count))
        let send = ["send", "--device", String(repeating: "ab", count: 32), "--payload", #"{"aps":{"badge":1}}"#,
                    "--endpoint", "127.0.0.1:9", "--connect-timeout", "1s", "-vv",
                    "--summary-json", directory + "/summary.json"]
        let secrets = [Self.marker, password, String(p12.prefix(40)), String(p12.dropFirst(200).prefix(40))]
            + Self.bodyLines(keyPEM)
        // Loaded: the run gets as far as connecting (to a closed port), exit 3 for the connection.
        for (name, environment) in [("base64 .p12", ["APNSCTL_CERT": p12, "APNSCTL_CERT_PASSWORD": password]),
                                    ("PEM", ["APNSCTL_CERT": combined])] {
            let outputs = try Self.run(send, environment: environment, in: directory)
            #expect(outputs.status == 3 && outputs.stderr.contains("127.0.0.1:9"), "\(name): \(outputs.stderr)")
            #expect(outputs.stderr.contains("com.example.app"), "\(name): the -vv log shows the certificate: \(outputs.stderr)")
            outputs.expectNone(of: secrets, "certificate as \(name)")
        }
        for (name, environment, exitStatus) in [
            ("wrong password", ["APNSCTL_CERT": p12, "APNSCTL_CERT_PASSWORD": "wrong \(Self.marker)"], Int32(3)),
            ("damaged PEM", ["APNSCTL_CERT": damaged.joined(separator: "\n")], 3),
            ("bad base64", ["APNSCTL_CERT": String(p12.dropLast(3)) + "!" + Self.marker], 2),
        ] {
            let outputs = try Self.run(send, environment: environment, in: directory)
            #expect(outputs.status == exitStatus, "\(name): \(outputs.stderr)")
            #expect(outputs.stderr.contains("APNSCTL_CERT"), "\(name): names the variable: \(outputs.stderr)")
            outputs.expectNone(of: secrets + ["wrong \(Self.marker)"], "certificate: \(name)")
        }
    }
}
