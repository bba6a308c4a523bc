import Foundation
import Testing
@testable import PushCore

/// The client certificate reaches the server in a real TLS handshake (both ends in this process, over a
/// socketpair), and a server that requires one refuses a client without it.
@Suite("Client identity: TLS handshake with a server that requires a client certificate",
       .enabled(if: AuthTestSupport.hasOpenSSL))
struct ClientIdentityHandshakeTests {
    enum Outcome: Equatable {
        case bothDone
        case serverFailed(String)
        case clientFailed(String)
    }

    /// Runs both handshakes in turns until both finish or one fails.
    static func handshake(client: TLSConnection, server: TLSConnection) -> Outcome {
        var clientDone = false, serverDone = false
        for _ in 0..<1000 where !(clientDone && serverDone) {
            if !clientDone {
                do { clientDone = try client.handshake() == .done } catch { return .clientFailed(error.description) }
            }
            if !serverDone {
                do { serverDone = try server.handshake() == .done } catch { return .serverFailed(error.description) }
            }
            usleep(200)
        }
        return clientDone && serverDone ? .bothDone : .clientFailed("handshake did not finish")
    }

    struct Pair {
        var client: TLSConnection
        var server: TLSConnection
        var fds: [Int32]
        func close() { fds.forEach { Socket.close($0) } }
    }

    static func connect(identity: ClientIdentity?, clientCA: String) throws -> Pair {
        let authority = try LocalCertificateAuthority.generate()
        let directory = try AuthTestSupport.makeDirectory()
        defer { AuthTestSupport.removeDirectory(directory) }
        try AuthTestSupport.write(authority.caCertificatePEM, to: directory + "/ca.pem")
        let serverContext = try TLSContext.server(certificatePEM: authority.serverCertificatePEM,
                                                  keyPEM: authority.serverKeyPEM, clientCAPEM: clientCA)
        let clientContext = try TLSContext.client(caFile: directory + "/ca.pem", identity: identity)
        var fds: [Int32] = [0, 0]
        #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &fds) == 0)
        fds.forEach(Socket.setNonBlocking)
        return Pair(client: try TLSConnection(context: clientContext, fd: fds[0], serverName: "127.0.0.1"),
                    server: try TLSConnection(context: serverContext, fd: fds[1], serverName: nil), fds: fds)
    }

    @Test("With the identity installed, the server sees the certificate and its bundle ID")
    func presented() throws {
        let f = try CertificateFixtures.shared.get()
        let identity = try ClientIdentity.load(certificateFile: f.path("modern.p12"), password: CertificateFixtures.password)
        let pair = try Self.connect(identity: identity, clientCA: try String(contentsOfFile: f.path("cert.pem"), encoding: .utf8))
        defer { pair.close() }
        #expect(Self.handshake(client: pair.client, server: pair.server) == .bothDone)
        #expect(pair.server.peerCertificateInfo?.bundleID == CertificateFixtures.bundleID)
        #expect(pair.server.peerCertificateInfo?.extensionTopics == CertificateFixtures.topics)
        #expect(pair.client.alpnProtocol == "h2")
    }

    @Test("A chain certificate from the .p12 lets a server that trusts only the CA accept the leaf")
    func chainSent() throws {
        let f = try CertificateFixtures.shared.get()
        let identity = try ClientIdentity.load(certificateFile: f.path("chain.p12"), password: CertificateFixtures.password)
        let pair = try Self.connect(identity: identity, clientCA: try String(contentsOfFile: f.path("ca.pem"), encoding: .utf8))
        defer { pair.close() }
        #expect(Self.handshake(client: pair.client, server: pair.server) == .bothDone)
        #expect(pair.server.peerCertificateInfo?.userID == CertificateFixtures.bundleID)
    }

    @Test("Without an identity, the server refuses the handshake")
    func refusedWithout() throws {
        let f = try CertificateFixtures.shared.get()
        let pair = try Self.connect(identity: nil, clientCA: try String(contentsOfFile: f.path("cert.pem"), encoding: .utf8))
        defer { pair.close() }
        let outcome = Self.handshake(client: pair.client, server: pair.server)
        guard case .serverFailed(let message) = outcome else {
            Issue.record("expected the server to refuse, got \(outcome)")
            return
        }
        #expect(message.contains("certificate"))
        #expect(pair.server.peerCertificateInfo == nil)
    }
}
