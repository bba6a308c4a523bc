import Foundation
import PushCore
import Testing
@testable import PushMock

/// `--require-client-cert`: certificate auth over real TLS.
@Suite("MockServer: client certificates, live",
       .enabled(if: LiveTestSupport.canRunLiveTests, "needs the openssl tool and a curl built with HTTP/2 (curl -V | grep HTTP2)"))
struct MockServerClientCertificateLiveTests {
    static let token = String(repeating: "cd", count: 32)

    struct Identities {
        var caPath: String
        var clientCertificate: String
        var clientKey: String
        var strangerCertificate: String
        var strangerKey: String
    }

    /// A CA, a client certificate it issued, and a self-signed "stranger" certificate, made with openssl.
    static func makeIdentities() throws -> Identities {
        let directory = try LiveTestSupport.makeTemporaryDirectory()
        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
        let curve = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        let steps: [[String]] = [
            ["openssl", "req", "-x509"] + curve + ["-days", "2", "-subj", "/CN=apnsctl test client CA",
                                                   "-keyout", path("ca.key"), "-out", path("ca.pem")],
            ["openssl", "req"] + curve + ["-subj", "/CN=com.example.app", "-keyout", path("client.key"),
                                          "-out", path("client.csr")],
            ["openssl", "x509", "-req", "-in", path("client.csr"), "-CA", path("ca.pem"), "-CAkey", path("ca.key"),
             "-CAcreateserial", "-days", "2", "-out", path("client.pem")],
            ["openssl", "req", "-x509"] + curve + ["-days", "2", "-subj", "/CN=stranger",
                                                   "-keyout", path("stranger.key"), "-out", path("stranger.pem")],
        ]
        for step in steps {
            let result = try LiveTestSupport.run(step)
            guard result.status == 0 else { throw MockServerError("\(step.joined(separator: " ")) failed: \(result.error)") }
        }
        return Identities(caPath: path("ca.pem"), clientCertificate: path("client.pem"), clientKey: path("client.key"),
                          strangerCertificate: path("stranger.pem"), strangerKey: path("stranger.key"))
    }

    @Test func onlyClientsWithACertificateFromTheCAGetIn() throws {
        let identities = try Self.makeIdentities()
        let running = try LiveTestSupport.startServer { configuration, _ in
            configuration.clientCertificateCAFile = identities.caPath
            configuration.requireProviderToken = false
        }
        defer { _ = running.stop() }
        // Certificate auth: no authorization header needed.
        let headers = ["apns-topic: com.example.app"]
        let anonymous = try LiveTestSupport.post(to: running, token: Self.token, headers: headers)
        #expect(anonymous.exitStatus != 0)
        #expect(anonymous.status == "000")
        let stranger = try LiveTestSupport.post(to: running, token: Self.token, headers: headers,
                                                extra: ["--cert", identities.strangerCertificate, "--key", identities.strangerKey])
        #expect(stranger.exitStatus != 0)
        #expect(stranger.status == "000")
        let member = try LiveTestSupport.post(to: running, token: Self.token, headers: headers,
                                              extra: ["--cert", identities.clientCertificate, "--key", identities.clientKey])
        #expect(member.exitStatus == 0, "\(member.error)")
        #expect(member.status == "200")
        let statistics = running.server.statistics
        #expect(statistics.tlsFailures == 2)
        // Only the stranger's certificate was refused; the anonymous client had none to refuse.
        #expect(statistics.clientCertificatesRefused == 1)
        #expect(statistics.handshakes == 1)
        #expect(statistics.accepted == 1)
    }

    @Test(.enabled(if: LiveTestSupport.hasNghttp, "needs nghttp (nghttp2-client)"))
    func certificateConnectionsStartAtTheFullStreamLimit() throws {
        let identities = try Self.makeIdentities()
        let running = try LiveTestSupport.startServer { configuration, _ in
            configuration.clientCertificateCAFile = identities.caPath
            configuration.requireProviderToken = false
            configuration.maxStreams = 250
        }
        defer { _ = running.stop() }
        let transcript = try LiveTestSupport.nghttp(running, token: Self.token, multiply: 3, headers: ["apns-topic: x"],
                                                    extra: ["--cert", identities.clientCertificate, "--key", identities.clientKey])
        #expect(transcript.maxConcurrentStreams.first == 250, "\(transcript.text)")
        #expect(transcript.statuses.map(\.status) == ["200", "200", "200"])
    }

    @Test func aMissingCAFileIsAnActionableError() throws {
        let directory = try LiveTestSupport.makeTemporaryDirectory()
        let identity = try LiveTestSupport.makeCertificate(in: directory)
        let missing = directory.appendingPathComponent("no-such-ca.pem").path
        #expect {
            _ = try MockServer(configuration: MockConfiguration(clientCertificateCAFile: missing),
                               certificatePEM: identity.certificatePEM, keyPEM: identity.keyPEM)
        } throws: { error in
            "\(error)".contains(missing)
        }
    }
}
