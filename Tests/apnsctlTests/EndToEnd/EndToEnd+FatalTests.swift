import Foundation
import Testing
import PushCore

extension EndToEndTests {
    /// Scenario 5: runs that cannot go on exit 3 with a message that says what to do.
    @Suite("Fatal errors exit 3 with an actionable message")
    struct Fatal {
        /// A small CSV campaign in the fixture's directory; returns the input path.
        static func recipients(_ fixture: MockFixture, count: Int) throws -> String {
            try fixture.write("recipients.csv", "token\n" + (1...count).map { deviceToken("beef", $0) + "\n" }.joined())
        }

        static let payload = #"{"aps":{"alert":"Hi"}}"#

        @Test("Without --ca-file the mock's certificate fails verification; the message points to --ca-file")
        func untrustedCertificate() throws {
            let fixture = try MockFixture()
            let input = try Self.recipients(fixture, count: 20)
            let withoutCA = Array(fixture.connection.dropLast(2))
            #expect(!withoutCA.contains("--ca-file"))
            let result = try fixture.send(["--input", input, "--payload", Self.payload, "--topic", MockFixture.topic,
                                           "--report", fixture.path("r.jsonl")] + withoutCA)
            let log = try fixture.stopMock()

            #expect(result.status == 3, "stderr:\n\(result.stderr)")
            #expect(result.stderr.contains("TLS certificate verification of 127.0.0.1 failed"))
            #expect(result.stderr.contains("--ca-file"))
            #expect(log.requests.isEmpty)
        }

        @Test("Nothing listening: exit 3 once --connect-timeout has passed, naming the endpoint")
        func nothingListening() throws {
            let fixture = try MockFixture()
            let port = try closedLoopbackPort()
            let input = try Self.recipients(fixture, count: 5)
            let reportPath = fixture.path("r.jsonl")
            let result = try fixture.send(["--input", input, "--payload", Self.payload, "--topic", MockFixture.topic,
                                           "--key", fixture.keyPath, "--key-id", MockFixture.keyID,
                                           "--team-id", MockFixture.teamID, "--endpoint", "127.0.0.1:\(port)",
                                           "--ca-file", fixture.caPath, "--connect-timeout", "1s", "--report", reportPath])
            _ = try fixture.stopMock()

            #expect(result.status == 3, "stderr:\n\(result.stderr)")
            #expect(result.stderr.contains(
                "apnsctl: cannot connect to 127.0.0.1:\(port) for 1s: 127.0.0.1:\(port) refused the connection (nothing listening there?)"))
            // The report is consistent: no row settled (nothing was sent), so it holds none.
            #expect(try ReportFile.rows(path: reportPath).isEmpty)
        }

        @Test("The mock verifies with another key: InvalidProviderToken stops the run early")
        func refusedCredentials() throws {
            let fixture = try MockFixture { fixture in
                let other = fixture.path("AuthKey_OTHER.p8")
                try ES256PrivateKey.generate().pkcs8PEM().write(toFile: other, atomically: true, encoding: .utf8)
                return other
            }
            let count = 1_000
            let input = try Self.recipients(fixture, count: count)
            let reportPath = fixture.path("r.jsonl")
            let result = try fixture.send(["--input", input, "--payload", Self.payload, "--topic", MockFixture.topic,
                                           "--concurrency", "50", "--report", reportPath] + fixture.connection)
            let log = try fixture.stopMock()

            #expect(result.status == 3, "stderr:\n\(result.stderr)")
            #expect(result.stderr.contains("apnsctl: APNs refused the credentials (InvalidProviderToken): check that --key-id"))
            // Far fewer requests than rows: the run stopped at the first refusal instead of sending every row.
            #expect(log.requests.count >= 1 && log.requests.count <= 10, "\(log.requests.count) requests logged")
            #expect(log.requests.allSatisfy { $0["status"]?.intValue == 403 && $0["reason"] == "InvalidProviderToken" })
            // A refusal of the credentials says nothing about its row: none is settled, so --resume sends them all
            // once the key is fixed. The summary counts them stopped and says how to continue.
            let rows = try ReportFile.rows(path: reportPath)
            #expect(rows.isEmpty)
            #expect(result.stderr.contains("; \(log.requests.count) stopped (answered while the run stopped: not in the report)"))
            #expect(result.stderr.contains("run the same command with --resume"))
        }

        @Test("A key file that is missing or not a key: exit 3 naming the file, nothing sent, no key bytes shown")
        func unusableKey() throws {
            let fixture = try MockFixture()
            let input = try Self.recipients(fixture, count: 3)
            let missing = fixture.path("AuthKey_MISSING.p8")
            let garbage = try fixture.write("AuthKey_GARBAGE.p8", "this is not a key: s3cr3t-material\n")
            let notP256 = try fixture.write("AuthKey_CERT.p8", try String(contentsOfFile: fixture.caPath, encoding: .utf8))
            for key in [garbage, notP256] {   // private, as keys should be: no permission warning first
                try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: key)
            }
            var results: [String: ChildProcess.Result] = [:]
            for key in [missing, garbage, notP256] {
                results[key] = try fixture.send(["--input", input, "--payload", Self.payload, "--topic", MockFixture.topic,
                                                 "--key", key, "--key-id", MockFixture.keyID, "--team-id", MockFixture.teamID,
                                                 "--endpoint", "127.0.0.1:\(fixture.port)", "--ca-file", fixture.caPath,
                                                 "--report", fixture.path("r.jsonl")])
            }
            let log = try fixture.stopMock()

            let missingRun = try #require(results[missing])
            #expect(missingRun.status == 3)
            #expect(missingRun.stderr.hasPrefix("apnsctl: \(missing): cannot read the key file: No such file or directory"))
            let garbageRun = try #require(results[garbage])
            #expect(garbageRun.status == 3)
            #expect(garbageRun.stderr.hasPrefix("apnsctl: \(garbage) is not a PEM file"))
            #expect(garbageRun.stderr.contains("APNs needs the P-256 .p8 key"))
            #expect(!garbageRun.stderr.contains("s3cr3t"))
            let certificateRun = try #require(results[notP256])
            #expect(certificateRun.status == 3)
            #expect(certificateRun.stderr.hasPrefix("apnsctl: \(notP256) holds"))
            #expect(!certificateRun.stderr.contains("BEGIN"))
            #expect(log.requests.isEmpty)
        }

        @Test("A TLS server that does not offer h2: exit 3, the server does not speak HTTP/2")
        func serverWithoutHTTP2() throws {
            try #require(Tool.has("openssl"), "the openssl tool is needed for this test")
            let fixture = try MockFixture()
            let authority = try LocalCertificateAuthority.generate()
            let certificate = try fixture.write("server.pem", authority.serverCertificatePEM)
            let key = try fixture.write("server.key", authority.serverKeyPEM)
            let ca = try fixture.write("server-ca.pem", authority.caCertificatePEM)
            let (server, port) = try Self.startHTTP1Server(certificate: certificate, key: key, in: fixture)
            defer { server.signal(SIGKILL) }
            let input = try Self.recipients(fixture, count: 3)
            let result = try fixture.send(["--input", input, "--payload", Self.payload, "--topic", MockFixture.topic,
                                           "--key", fixture.keyPath, "--key-id", MockFixture.keyID,
                                           "--team-id", MockFixture.teamID, "--endpoint", "127.0.0.1:\(port)",
                                           "--ca-file", ca, "--report", fixture.path("r.jsonl")])
            _ = try fixture.stopMock()

            #expect(result.status == 3, "stderr:\n\(result.stderr)")
            // The server refuses h2 with a no_application_protocol alert: fatal at once, not retried as a
            // connection failure until --connect-timeout.
            #expect(result.stderr.hasPrefix("apnsctl: 127.0.0.1:\(port) does not speak HTTP/2 (ALPN h2 was not selected; "
                + "it refused h2 with a no_application_protocol alert): is --endpoint an APNs server?\n"))
            #expect(!result.stderr.contains("cannot connect"))
        }

        /// `openssl s_server` offering only http/1.1 on a free loopback port; retries when the port is taken
        /// between finding it and binding it.
        static func startHTTP1Server(certificate: String, key: String, in fixture: MockFixture) throws -> (ChildProcess, Int) {
            let openssl = try #require(Tool.path("openssl"))
            for _ in 0..<5 {
                let port = try closedLoopbackPort()
                let server = try ChildProcess(openssl, ["s_server", "-accept", "127.0.0.1:\(port)", "-cert", certificate,
                                                        "-key", key, "-alpn", "http/1.1", "-www"],
                                              name: "s_server", directory: fixture.directory)
                let deadline = Date().addingTimeInterval(TestTime.seconds(10))
                while Date() < deadline && server.isRunning && !server.stdoutSoFar.contains("ACCEPT") { usleep(20_000) }
                if server.stdoutSoFar.contains("ACCEPT") && server.isRunning { return (server, port) }
                server.signal(SIGKILL)
            }
            throw EndToEndError("openssl s_server did not start on a free loopback port in 5 tries")
        }
    }
}
