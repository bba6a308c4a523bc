import Testing
@testable import PushCore

@Suite("Local certificate authority")
struct LocalCertificateAuthorityVerificationTests {
    @Test("the server certificate verifies against the CA for localhost, 127.0.0.1 and ::1")
    func verifies() throws {
        let authority = try LocalCertificateAuthority.generate()
        #expect(authority.caCertificatePEM.hasPrefix("-----BEGIN CERTIFICATE-----"))
        #expect(authority.serverKeyPEM.hasPrefix("-----BEGIN PRIVATE KEY-----"))
        for host in [nil, "localhost", "127.0.0.1", "::1"] {
            #expect(LocalCertificateAuthority.verify(certificatePEM: authority.serverCertificatePEM,
                                                     trustedCAPEM: authority.caCertificatePEM, host: host) == nil,
                    "host \(host ?? "none")")
        }
    }

    @Test("verification fails for another host, another CA, and a CA that is not trusted")
    func refuses() throws {
        let authority = try LocalCertificateAuthority.generate()
        let other = try LocalCertificateAuthority.generate()
        let wrongHost = LocalCertificateAuthority.verify(certificatePEM: authority.serverCertificatePEM,
                                                         trustedCAPEM: authority.caCertificatePEM, host: "api.push.apple.com")
        #expect(wrongHost == "hostname mismatch")
        let wrongIP = LocalCertificateAuthority.verify(certificatePEM: authority.serverCertificatePEM,
                                                       trustedCAPEM: authority.caCertificatePEM, host: "10.0.0.1")
        #expect(wrongIP == "IP address mismatch")
        let wrongCA = LocalCertificateAuthority.verify(certificatePEM: authority.serverCertificatePEM,
                                                       trustedCAPEM: other.caCertificatePEM)
        #expect(wrongCA != nil)
        // The CA is not a server certificate (no serverAuth, and CA:TRUE).
        let caAsServer = LocalCertificateAuthority.verify(certificatePEM: other.serverCertificatePEM,
                                                          trustedCAPEM: authority.serverCertificatePEM)
        #expect(caAsServer != nil)
        #expect(LocalCertificateAuthority.verify(certificatePEM: "junk", trustedCAPEM: authority.caCertificatePEM) == "not a PEM certificate")
    }

    @Test("the server key matches the server certificate's public key")
    func keyMatches() throws {
        let authority = try LocalCertificateAuthority.generate()
        let key = try ES256PrivateKey(pem: Array(authority.serverKeyPEM.utf8))
        let certificateKey = try #require(LocalCertificateAuthority.publicKeyPEM(certificatePEM: authority.serverCertificatePEM))
        #expect(certificateKey == key.publicKeyPEM())
        let caKey = try #require(LocalCertificateAuthority.publicKeyPEM(certificatePEM: authority.caCertificatePEM))
        #expect(caKey != key.publicKeyPEM())
        #expect(LocalCertificateAuthority.publicKeyPEM(certificatePEM: "junk") == nil)
    }

    @Test("subjectAltName lists DNS names and IP literals", arguments: [
        (["localhost", "127.0.0.1", "::1"], "DNS:localhost,IP:127.0.0.1,IP:::1"),
        (["mock.test", "10.1.2.3"], "DNS:mock.test,IP:10.1.2.3"),
    ])
    func subjectAltName(hosts: [String], expected: String) {
        #expect(LocalCertificateAuthority.subjectAltName(hosts) == expected)
    }

    @Test("two runs give different keys and serials")
    func fresh() throws {
        let a = try LocalCertificateAuthority.generate()
        let b = try LocalCertificateAuthority.generate()
        #expect(a.serverKeyPEM != b.serverKeyPEM)
        #expect(a.caCertificatePEM != b.caCertificatePEM)
    }

    @Test("openssl verify accepts the chain and shows the requested fields", .enabled(if: AuthTestSupport.hasOpenSSL))
    func opensslCommand() throws {
        let directory = try AuthTestSupport.makeDirectory()
        defer { AuthTestSupport.removeDirectory(directory) }
        let authority = try LocalCertificateAuthority.generate()
        try AuthTestSupport.write(authority.caCertificatePEM, to: directory + "/ca.pem")
        try AuthTestSupport.write(authority.serverCertificatePEM, to: directory + "/server.pem")
        try AuthTestSupport.write(authority.serverKeyPEM, to: directory + "/server.key")

        let verify = try AuthTestSupport.openssl(["verify", "-CAfile", directory + "/ca.pem", "-purpose", "sslserver",
                                                  "-verify_ip", "127.0.0.1", directory + "/server.pem"])
        #expect(verify.status == 0, "\(verify.output)")
        #expect(verify.output.contains("server.pem: OK"))

        let server = try AuthTestSupport.openssl(["x509", "-in", directory + "/server.pem", "-noout", "-text"])
        #expect(server.output.contains("Subject: CN = localhost"))
        #expect(server.output.contains("Issuer: CN = apnsctl mock CA"))
        #expect(server.output.contains("DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1"))
        #expect(server.output.contains("TLS Web Server Authentication"))
        #expect(server.output.contains("ASN1 OID: prime256v1"))
        #expect(server.output.contains("Version: 3"))

        let ca = try AuthTestSupport.openssl(["x509", "-in", directory + "/ca.pem", "-noout", "-text"])
        #expect(ca.output.contains("CA:TRUE"))
        #expect(ca.output.contains("Certificate Sign"))
        #expect(ca.output.contains("Subject: CN = apnsctl mock CA"))

        // The key and certificate belong together (same public key).
        let certKey = try AuthTestSupport.openssl(["x509", "-in", directory + "/server.pem", "-noout", "-pubkey"])
        let keyPub = try AuthTestSupport.openssl(["pkey", "-in", directory + "/server.key", "-pubout"])
        #expect(certKey.status == 0 && certKey.output == keyPub.output)

        // Validity: the CA about 10 years, the server about 1 year.
        let caDates = try AuthTestSupport.openssl(["x509", "-in", directory + "/ca.pem", "-noout", "-checkend", "\(9 * 365 * 86400)"])
        #expect(caDates.status == 0, "CA valid for 9 more years")
        let serverSoon = try AuthTestSupport.openssl(["x509", "-in", directory + "/server.pem", "-noout", "-checkend", "\(300 * 86400)"])
        #expect(serverSoon.status == 0, "server valid for 300 more days")
        let serverLate = try AuthTestSupport.openssl(["x509", "-in", directory + "/server.pem", "-noout", "-checkend", "\(366 * 86400)"])
        #expect(serverLate.status != 0, "server expires within 366 days")
    }
}
