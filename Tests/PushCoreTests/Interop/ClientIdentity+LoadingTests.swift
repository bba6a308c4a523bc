import Testing
@testable import PushCore

/// Every certificate format users hold, made by the openssl tool, loaded by `ClientIdentity`.
@Suite("Client identity: loading PKCS#12, PEM and DER", .enabled(if: AuthTestSupport.hasOpenSSL))
struct ClientIdentityLoadingTests {
    static func fixtures() throws -> CertificateFixtures { try CertificateFixtures.shared.get() }

    /// Loads and checks what every good fixture must show: the bundle ID, the topics, a year of validity.
    func expectAPNsIdentity(_ identity: ClientIdentity, chain: Int = 0) {
        #expect(identity.info.bundleID == CertificateFixtures.bundleID)
        #expect(identity.info.userID == CertificateFixtures.bundleID)
        #expect(identity.info.commonName == "Apple Push Services: com.example.app")
        #expect(identity.chain.count == chain)
        #expect(identity.info.notAfter > Clock.wallSeconds())
    }

    @Test("PKCS#12 with a password: modern (AES, SHA-256 MAC), legacy (RC2-40/3DES, SHA-1 MAC), 3DES only",
          arguments: ["modern.p12", "legacy.p12", "rc2.p12", "des3.p12"])
    func pkcs12(name: String) throws {
        let f = try Self.fixtures()
        let identity = try ClientIdentity.load(certificateFile: f.path(name), password: CertificateFixtures.password)
        expectAPNsIdentity(identity)
        #expect(identity.info.extensionTopics == CertificateFixtures.topics)
        #expect(identity.info.topics == CertificateFixtures.topics)
    }

    @Test("A PKCS#12 with an empty password opens with no password and with an empty one")
    func emptyPassword() throws {
        let f = try Self.fixtures()
        expectAPNsIdentity(try ClientIdentity.load(certificateFile: f.path("empty.p12"), password: nil))
        expectAPNsIdentity(try ClientIdentity.load(certificateFile: f.path("empty.p12"), password: ""))
    }

    @Test("A PKCS#12 chain: the CA comes along as a chain certificate; a .pfx or renamed file is found by content")
    func chain() throws {
        let f = try Self.fixtures()
        let identity = try ClientIdentity.load(certificateFile: f.path("chain.p12"), password: CertificateFixtures.password)
        expectAPNsIdentity(identity, chain: 1)
        // A certificate signed to last 20 days: the warning rule fires (19 days left, or 20 within the same second).
        let expiry = identity.info.expiry(now: Clock.wallSeconds())
        #expect(expiry == .expiringSoon(daysLeft: 19) || expiry == .expiringSoon(daysLeft: 20))
        let bytes = try AuthTestSupport.read(f.path("chain.p12"))
        let renamed = try ClientIdentity.load(certificate: bytes, source: "push-credentials.bin",
                                              password: CertificateFixtures.password)
        #expect(renamed.chain.count == 1)
    }

    @Test("Wrong, missing and unneeded passwords on a PKCS#12 file")
    func pkcs12Passwords() throws {
        let f = try Self.fixtures()
        let path = f.path("modern.p12")
        #expect(throws: ClientIdentityError.wrongPassword(source: path)) {
            try ClientIdentity.load(certificateFile: path, password: "not it")
        }
        #expect(throws: ClientIdentityError.passwordRequired(source: path)) {
            try ClientIdentity.load(certificateFile: path, password: nil)
        }
        #expect(throws: ClientIdentityError.wrongPassword(source: f.path("legacy.p12"))) {
            try ClientIdentity.load(certificateFile: f.path("legacy.p12"), password: "not it")
        }
        #expect(ClientIdentityError.wrongPassword(source: "cert.p12").description
            == "wrong password for cert.p12 (or the file is damaged)")
    }

    @Test("PEM: certificate and key in one file (PKCS#8, PKCS#1, key first)",
          arguments: ["combined.pem", "combined-pkcs1.pem", "key-first.pem"])
    func combinedPEM(name: String) throws {
        let f = try Self.fixtures()
        expectAPNsIdentity(try ClientIdentity.load(certificateFile: f.path(name), password: nil))
    }

    @Test("PEM: the key in its own file (--cert-key), plain, PKCS#1, encrypted PKCS#8 or legacy-encrypted",
          arguments: [("key.pem", false), ("key-pkcs1.pem", false), ("key-encrypted.pem", true),
                      ("key-legacy-encrypted.pem", true)])
    func separateKey(key: String, encrypted: Bool) throws {
        let f = try Self.fixtures()
        let password = encrypted ? CertificateFixtures.password : nil
        for certificate in ["cert.pem", "cert.cer"] {
            expectAPNsIdentity(try ClientIdentity.load(certificateFile: f.path(certificate), keyFile: f.path(key),
                                                       password: password))
        }
        if encrypted {
            #expect(throws: ClientIdentityError.passwordRequired(source: f.path(key))) {
                try ClientIdentity.load(certificateFile: f.path("cert.pem"), keyFile: f.path(key), password: nil)
            }
            #expect(throws: ClientIdentityError.wrongPassword(source: f.path(key))) {
                try ClientIdentity.load(certificateFile: f.path("cert.pem"), keyFile: f.path(key), password: "wrong")
            }
        }
    }

    @Test("An encrypted key inside the certificate's PEM file needs the password")
    func combinedEncrypted() throws {
        let f = try Self.fixtures()
        let path = f.path("combined-encrypted.pem")
        expectAPNsIdentity(try ClientIdentity.load(certificateFile: path, password: CertificateFixtures.password))
        #expect(throws: ClientIdentityError.passwordRequired(source: path)) {
            try ClientIdentity.load(certificateFile: path, password: nil)
        }
    }

    @Test("A certificate without its key, a key that is not its own, and files that are not certificates")
    func mistakes() throws {
        let f = try Self.fixtures()
        #expect(throws: ClientIdentityError.noPrivateKey(source: f.path("cert.pem"))) {
            try ClientIdentity.load(certificateFile: f.path("cert.pem"), password: nil)
        }
        #expect(throws: ClientIdentityError.noPrivateKey(source: f.path("cert.cer"))) {
            try ClientIdentity.load(certificateFile: f.path("cert.cer"), password: nil)
        }
        #expect(throws: ClientIdentityError.keyMismatch(certificate: f.path("mismatch.pem"), key: f.path("mismatch.pem"))) {
            try ClientIdentity.load(certificateFile: f.path("mismatch.pem"), password: nil)
        }
        #expect(throws: ClientIdentityError.keyMismatch(certificate: f.path("cert.pem"), key: f.path("other-key.pem"))) {
            try ClientIdentity.load(certificateFile: f.path("cert.pem"), keyFile: f.path("other-key.pem"), password: nil)
        }
        #expect(throws: ClientIdentityError.noCertificate(source: f.path("key.pem"))) {
            try ClientIdentity.load(certificateFile: f.path("key.pem"), password: nil)
        }
        #expect(throws: ClientIdentityError.unrecognized(source: "notes.txt")) {
            try ClientIdentity.load(certificate: Array("just text".utf8), source: "notes.txt", password: nil)
        }
        #expect(throws: ClientIdentityError.unreadable(source: f.path("missing.p12"), reason: "No such file or directory")) {
            try ClientIdentity.load(certificateFile: f.path("missing.p12"), password: nil)
        }
        let error = #expect(throws: ClientIdentityError.self) {
            try ClientIdentity.load(certificateFile: f.path("cert.pem"), keyFile: f.path("cert.pem"), password: nil)
        }
        #expect(error?.description.contains("no private key in it") == true)
    }

    @Test("A damaged PKCS#12 file is reported as damaged, naming the file")
    func damagedPKCS12() throws {
        let f = try Self.fixtures()
        var bytes = try AuthTestSupport.read(f.path("modern.p12"))
        bytes.removeLast(bytes.count / 2)
        let error = #expect(throws: ClientIdentityError.self) {
            try ClientIdentity.load(certificate: bytes, source: "cut.p12", password: CertificateFixtures.password)
        }
        guard case .damaged(let source, _) = error else {
            Issue.record("expected .damaged, got \(String(describing: error))")
            return
        }
        #expect(source == "cut.p12")
    }

    @Test("Messages never contain the password")
    func noPasswordInMessages() throws {
        let f = try Self.fixtures()
        let secret = "hunter2-do-not-print"
        for (certificate, key) in [("modern.p12", nil), ("cert.pem", "key-encrypted.pem"), ("legacy.p12", nil)] {
            do {
                _ = try ClientIdentity.load(certificateFile: f.path(certificate), keyFile: key.map(f.path), password: secret)
                Issue.record("\(certificate) opened with a wrong password")
            } catch {
                #expect(!error.description.contains(secret))
                #expect(error.description.contains(f.path(key ?? certificate)))
            }
        }
    }
}
