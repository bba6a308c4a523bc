import Foundation
import Testing
import PushCore
@testable import PushMock
@testable import apnsctl

/// The built `apnsctl send` with certificate authentication and through a CONNECT proxy, against a `MockServer`
/// started in this process on 127.0.0.1 (TLS + HTTP/2, the same server `apnsctl mock` runs).
@Suite("send: certificate authentication and proxies, end to end", .enabled(if: Tool.has("openssl")))
struct SendCertificateAndProxyTests {
    static let token = String(repeating: "ab12", count: 16)
    static let password = "p12 s3cret!"

    /// A client certificate like Apple's (UID and CN name the bundle ID), valid 10 days, as .p12 files and a
    /// throwaway .p8 key for token authentication. Made once per run.
    struct Files: Sendable {
        let directory: String
        func path(_ name: String) -> String { directory + "/" + name }
    }

    static let files: Result<Files, any Error> = Result { try makeFiles() }

    private static func makeFiles() throws(TestFailure) -> Files {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("apnsctl-cert-\(UUID().uuidString)").path
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw TestFailure("cannot make \(directory): \(error)")
        }
        let f = Files(directory: directory)
        let openssl = Tool.path("openssl") ?? "/usr/bin/openssl"
        let steps: [[String]] = [
            ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", f.path("key.pem"), "-days", "10",
             "-subj", "/UID=com.example.app/CN=Apple Push Services: com.example.app", "-out", f.path("cert.pem")],
            ["pkcs12", "-export", "-in", f.path("cert.pem"), "-inkey", f.path("key.pem"), "-passout", "pass:\(password)",
             "-out", f.path("modern.p12")],
            ["pkcs12", "-export", "-legacy", "-in", f.path("cert.pem"), "-inkey", f.path("key.pem"),
             "-passout", "pass:\(password)", "-out", f.path("legacy.p12")],
            ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", f.path("AuthKey_ABC123DEFG.p8")],
        ]
        for step in steps {
            guard let result = try? Tool.run(openssl, step), result.status == 0 else {
                throw TestFailure("openssl \(step[0]) failed")
            }
        }
        do {
            try "\(password)\n".write(toFile: f.path("password"), atomically: true, encoding: .utf8)
            try "not the password\n".write(toFile: f.path("wrong-password"), atomically: true, encoding: .utf8)
            // Private, as secrets should be (a file others may read gets a warning; tests of that are elsewhere).
            for name in try FileManager.default.contentsOfDirectory(atPath: directory) {
                try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: f.path(name))
            }
        } catch {
            throw TestFailure("cannot write the password files: \(error)")
        }
        return f
    }

    struct TestFailure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// A mock server on 127.0.0.1:0 with a fresh local CA; `requireClientCertificate` makes the handshake demand a
    /// certificate signed by (here: equal to) `cert.pem`, and turns token checks off as APNs does for certificates.
    final class RunningMock: @unchecked Sendable {
        let server: MockServer
        let port: Int
        let caFile: String
        let logFile: String
        private let finished = DispatchSemaphore(value: 0)

        init(files: Files, requireClientCertificate: Bool) throws {
            let authority = try LocalCertificateAuthority.generate()
            let tag = UUID().uuidString
            caFile = files.path("mock-ca-\(tag).pem")
            logFile = files.path("mock-\(tag).log")
            try authority.caCertificatePEM.write(toFile: caFile, atomically: true, encoding: .utf8)
            let clientCA = requireClientCertificate ? try String(contentsOfFile: files.path("cert.pem"), encoding: .utf8) : nil
            let context = try TLSContext.server(certificatePEM: authority.serverCertificatePEM,
                                                keyPEM: authority.serverKeyPEM, clientCAPEM: clientCA)
            let configuration = MockConfiguration(listen: Endpoint(host: "127.0.0.1", port: 0),
                                                  requireProviderToken: !requireClientCertificate,
                                                  logPath: logFile, quiet: true)
            server = MockServer(configuration: configuration, tlsContext: context)
            port = try server.start()
            let finished = self.finished
            let server = self.server
            Thread.detachNewThread {
                server.run()
                finished.signal()
            }
        }

        var endpoint: String { "127.0.0.1:\(port)" }

        /// Stops the server (flushing its log) and returns the log's lines.
        func stop() -> [String] {
            server.stop()
            _ = finished.wait(timeout: TestTime.deadline(5))
            let text = (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? ""
            return text.split(separator: "\n").map(String.init)
        }
    }

    /// `send --device TOKEN --payload ...` to the mock; extra arguments after.
    static func send(_ mock: RunningMock, _ files: Files, _ extra: [String],
                     environment: [String: String] = [:]) throws -> (result: Tool.Result, report: String) {
        let report = files.path("report-\(UUID().uuidString).jsonl")
        let args = ["send", "--device", token, "--payload", #"{"aps":{"alert":"hi"}}"#, "--endpoint", mock.endpoint,
                    "--ca-file", mock.caFile, "--connect-timeout", "3s", "--report", report] + extra
        let result = try Tool.run(try BinarySmokeTests.binary(), args, environment: environment)
        return (result, (try? String(contentsOfFile: report, encoding: .utf8)) ?? "")
    }

    @Test("--cert with a modern or legacy .p12: delivered, no authorization, topic = the certificate's bundle ID",
          arguments: ["modern.p12", "legacy.p12"])
    func certificateDelivers(name: String) throws {
        let f = try Self.files.get()
        let mock = try RunningMock(files: f, requireClientCertificate: true)
        let (result, report) = try Self.send(mock, f, ["--cert", f.path(name), "--cert-password-file", f.path("password")])
        let log = mock.stop()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(report.contains(#""outcome":"delivered""#))
        #expect(log.count == 1)
        #expect(log.first?.contains(#""topic":"com.example.app""#) == true)
        #expect(log.first?.contains(#""status":200"#) == true)
        // Valid for 10 days: the expiry warning, naming the file; never the password.
        // (10 days minus the seconds since the certificate was made: 9 days, or 10 within the same second.)
        #expect(["9", "10"].contains { result.stderr.contains(
            "apnsctl: warning: the certificate in \(f.path(name)) expires in \($0) days (") })
        #expect(result.stderr.contains("renew it at developer.apple.com before then"))
        #expect(!result.stderr.contains(Self.password))
    }

    @Test("The password may come from APNSCTL_CERT_PASSWORD; -v describes the certificate")
    func passwordFromEnvironment() throws {
        let f = try Self.files.get()
        let mock = try RunningMock(files: f, requireClientCertificate: true)
        let (result, report) = try Self.send(mock, f, ["--cert", f.path("modern.p12"), "-v"],
                                             environment: ["APNSCTL_CERT_PASSWORD": Self.password])
        _ = mock.stop()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(report.contains(#""outcome":"delivered""#))
        #expect(result.stderr.contains("certificate \(f.path("modern.p12")): Apple Push Services: com.example.app "
            + "(UID com.example.app), topic com.example.app; valid until"))
        #expect(!result.stderr.contains(Self.password))
    }

    @Test("Token authentication against a server that demands a client certificate is not delivered")
    func serverDemandsCertificate() throws {
        let f = try Self.files.get()
        let mock = try RunningMock(files: f, requireClientCertificate: true)
        let (result, report) = try Self.send(mock, f, ["--topic", "com.example.app", "--key", f.path("AuthKey_ABC123DEFG.p8"),
                                                       "--key-id", "ABC123DEFG", "--team-id", "DEF123GHIJ"])
        let log = mock.stop()
        #expect(result.status != 0)
        #expect(!report.contains(#""outcome":"delivered""#))
        #expect(log.isEmpty)
    }

    @Test("A wrong or missing password stops before connecting, with exit status 3")
    func passwordMistakes() throws {
        let f = try Self.files.get()
        let mock = try RunningMock(files: f, requireClientCertificate: true)
        let wrong = try Self.send(mock, f, ["--cert", f.path("modern.p12"), "--cert-password-file", f.path("wrong-password")])
        let missing = try Self.send(mock, f, ["--cert", f.path("modern.p12")])
        _ = mock.stop()
        #expect(wrong.result.status == ExitStatus.fatal.rawValue)
        #expect(wrong.result.stderr == "apnsctl: wrong password for \(f.path("modern.p12")) (or the file is damaged)\n")
        #expect(missing.result.status == ExitStatus.fatal.rawValue)
        #expect(missing.result.stderr.hasPrefix("apnsctl: \(f.path("modern.p12")) is password-protected: "))
        #expect(mock.server.connectionCount == 0)
    }

    @Test("A legacy .p12 without OpenSSL's legacy provider says so")
    func legacyProviderMissing() throws {
        let f = try Self.files.get()
        let mock = try RunningMock(files: f, requireClientCertificate: true)
        let (result, _) = try Self.send(mock, f, ["--cert", f.path("legacy.p12"), "--cert-password-file", f.path("password")],
                                        environment: ["OPENSSL_MODULES": f.path("no-such-directory")])
        _ = mock.stop()
        #expect(result.status == ExitStatus.fatal.rawValue)
        #expect(result.stderr.contains("uses legacy encryption (RC2 or 3DES"))
        #expect(result.stderr.contains("OpenSSL's legacy provider is not installed"))
        // A modern export does not need it.
        let mock2 = try RunningMock(files: f, requireClientCertificate: true)
        let modern = try Self.send(mock2, f, ["--cert", f.path("modern.p12"), "--cert-password-file", f.path("password")],
                                   environment: ["OPENSSL_MODULES": f.path("no-such-directory")])
        _ = mock2.stop()
        #expect(modern.result.status == 0, "\(modern.result.stderr)")
    }

    @Test("Loading the credentials: the topic defaults to the bundle ID; a topic the certificate lacks is warned about")
    func credentialTopics() throws {
        let f = try Self.files.get()
        let base = ["send", "--device", Self.token, "--payload", "{}", "--cert", f.path("modern.p12"),
                    "--cert-password-file", f.path("password")]
        var warnings: [String] = []
        let options = try #require(sendOptions(base))
        let loaded = try loadCredentials(options, environment: [:], now: Clock.wallSeconds(),
                                         warn: { warnings.append($0) }, log: nil)
        #expect(loaded.topic == "com.example.app")
        #expect(loaded.identity?.info.bundleID == "com.example.app")
        #expect(try loaded.authorization.authorization() == nil)
        #expect(warnings.count == 1)   // the expiry warning only

        warnings = []
        let foreign = try #require(sendOptions(base + ["--topic", "com.other.app"]))
        let other = try loadCredentials(foreign, environment: [:], now: Clock.wallSeconds(),
                                        warn: { warnings.append($0) }, log: nil)
        #expect(other.topic == "com.other.app")
        #expect(warnings.contains("--topic com.other.app is not among the topics of the certificate in "
            + "\(f.path("modern.p12")) (com.example.app): APNs will answer TopicDisallowed"))
    }

    @Test("--proxy: the request goes through the CONNECT tunnel with basic auth; -v masks the password")
    func throughProxy() throws {
        let f = try Self.files.get()
        let mock = try RunningMock(files: f, requireClientCertificate: false)
        let proxy = try LoopbackProxy(.tunnel)
        defer { proxy.stop() }
        let (result, report) = try Self.send(mock, f, [
            "--topic", "com.example.app", "--key", f.path("AuthKey_ABC123DEFG.p8"), "--key-id", "ABC123DEFG",
            "--team-id", "DEF123GHIJ", "--proxy", "http://alice:pa%3Ass@127.0.0.1:\(proxy.port)", "-v",
        ])
        let log = mock.stop()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(report.contains(#""outcome":"delivered""#))
        #expect(log.count == 1)
        let request = try #require(proxy.requests.first)
        #expect(request.hasPrefix("CONNECT \(mock.endpoint) HTTP/1.1\r\n"))
        #expect(request.contains("\r\nProxy-Authorization: Basic \(Base64URL.encodeStandard(Array("alice:pa:ss".utf8)))\r\n"))
        #expect(result.stderr.contains("through proxy http://alice:***@127.0.0.1:\(proxy.port)"))
        #expect(!result.stderr.contains("pa%3Ass") && !result.stderr.contains("pa:ss"))
    }

    @Test("HTTPS_PROXY is not used for a server on this machine")
    func environmentProxySkipsLoopback() throws {
        let f = try Self.files.get()
        let mock = try RunningMock(files: f, requireClientCertificate: true)
        let proxy = try LoopbackProxy(.tunnel)
        defer { proxy.stop() }
        let (result, report) = try Self.send(mock, f, ["--cert", f.path("modern.p12"), "--cert-password-file", f.path("password")],
                                             environment: ["HTTPS_PROXY": proxy.url])
        _ = mock.stop()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(report.contains(#""outcome":"delivered""#))
        #expect(proxy.requests.isEmpty)
    }

    @Test("A proxy answering 407 stops the run at once (exit 3), naming proxy and status, never the password")
    func proxyAuthenticationRequired() throws {
        let f = try Self.files.get()
        let mock = try RunningMock(files: f, requireClientCertificate: true)
        let proxy = try LoopbackProxy(.respond(["HTTP/1.1 407 Proxy Authentication Required\r\n"
            + "Proxy-Authenticate: Basic realm=\"corp\"\r\nContent-Length: 0\r\n\r\n"]))
        defer { proxy.stop() }
        let (result, report) = try Self.send(mock, f, [
            "--cert", f.path("modern.p12"), "--cert-password-file", f.path("password"),
            "--proxy", "http://alice:wrong-secret@127.0.0.1:\(proxy.port)",
        ])
        _ = mock.stop()
        #expect(result.status == ExitStatus.fatal.rawValue)
        #expect(result.stderr.contains("apnsctl: proxy 127.0.0.1:\(proxy.port) refused the tunnel to \(mock.endpoint): "
            + "HTTP/1.1 407 Proxy Authentication Required (check the user name and password"))
        #expect(!result.stderr.contains("wrong-secret"))
        #expect(proxy.requests.count == 1)   // fatal: no retries
        #expect(!report.contains("delivered"))
        #expect(mock.server.connectionCount == 0)
    }
}
