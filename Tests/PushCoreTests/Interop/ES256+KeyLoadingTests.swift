import Testing
@testable import PushCore

@Suite("ES256 key loading")
struct ES256KeyLoadingTests {
    @Test("a PKCS#8 PEM written by pkcs8PEM loads back and signs for the same public key")
    func pkcs8RoundTrip() throws {
        let key = try ES256PrivateKey.generate()
        let pem = key.pkcs8PEM()
        #expect(pem.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
        #expect(pem.hasSuffix("-----END PRIVATE KEY-----\n"))
        let loaded = try ES256PrivateKey(pem: Array(pem.utf8))
        #expect(loaded.publicKeyPEM() == key.publicKeyPEM())
        let message = Array("m".utf8)
        #expect(try key.publicKey().verify(signature: try loaded.sign(message), message: message))
    }

    @Test("a public key loads from PUBLIC KEY PEM and from the private key PEM")
    func publicKeyForms() throws {
        let key = try ES256PrivateKey.generate()
        let message = Array("m".utf8)
        let signature = try key.sign(message)
        let fromPublic = try ES256PublicKey(pem: Array(key.publicKeyPEM().utf8))
        let fromPrivate = try ES256PublicKey(pem: Array(key.pkcs8PEM().utf8))
        #expect(fromPublic.verify(signature: signature, message: message))
        #expect(fromPrivate.verify(signature: signature, message: message))
        #expect(fromPrivate.pem() == key.publicKeyPEM())
    }

    @Test("a key file loads from disk; a missing file names the path")
    func files() throws {
        let directory = try AuthTestSupport.makeDirectory()
        defer { AuthTestSupport.removeDirectory(directory) }
        let key = try ES256PrivateKey.generate()
        let path = directory + "/AuthKey_ABC123DEFG.p8"
        try AuthTestSupport.write(key.pkcs8PEM(), to: path)
        #expect(try ES256PrivateKey(pemFile: path).publicKeyPEM() == key.publicKeyPEM())
        #expect(try ES256PublicKey(pemFile: path).pem() == key.publicKeyPEM())

        let missing = directory + "/AuthKey_MISSING000.p8"
        let error = #expect(throws: ES256KeyError.self) { try ES256PrivateKey(pemFile: missing) }
        #expect(error?.description.contains(missing) == true)
        #expect(error?.description.contains("No such file") == true)
    }

    @Test("text without a PEM block, a certificate, or garbage base64 give clear errors without key bytes")
    func notAKey() throws {
        let notPEM = #expect(throws: ES256KeyError.self) { try ES256PrivateKey(pem: Array("hello".utf8), source: "k.p8") }
        #expect(notPEM == .notPEM(source: "k.p8"))
        #expect(notPEM?.description.contains("k.p8 is not a PEM file") == true)

        let certificate = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
        let wrongBlock = #expect(throws: ES256KeyError.self) { try ES256PrivateKey(pem: Array(certificate.utf8), source: "c.pem") }
        #expect(wrongBlock?.description == "c.pem holds a 'CERTIFICATE' block, not a private key; APNs needs the P-256 .p8 key from developer.apple.com")

        let secretBody = "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg" + "SECRETSECRET"
        let garbage = "-----BEGIN PRIVATE KEY-----\n\(secretBody)\n-----END PRIVATE KEY-----\n"
        let corrupt = #expect(throws: ES256KeyError.self) { try ES256PrivateKey(pem: Array(garbage.utf8), source: "g.p8") }
        let message = corrupt?.description ?? ""
        #expect(message.hasPrefix("g.p8: cannot load the key: reading the private key: error:"), "OpenSSL's queue drained into the message")
        #expect(!message.contains("SECRETSECRET"))
        #expect(!message.contains("MIGHAgEA"))
    }

    @Test("an RSA key, a P-384 key and an Ed25519 key are refused with the key type in the message",
          .enabled(if: AuthTestSupport.hasOpenSSL))
    func wrongKeyTypes() throws {
        let directory = try AuthTestSupport.makeDirectory()
        defer { AuthTestSupport.removeDirectory(directory) }
        let cases: [(arguments: [String], expected: String)] = [
            (["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024"],
             "AuthKey_X.p8 holds an RSA key; APNs needs the P-256 .p8 key from developer.apple.com"),
            (["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"],
             "AuthKey_X.p8 holds an EC key on curve secp384r1, not P-256 (prime256v1); APNs needs the P-256 .p8 key from developer.apple.com"),
            (["-algorithm", "ED25519"],
             "AuthKey_X.p8 holds an ED25519 key; APNs needs the P-256 .p8 key from developer.apple.com"),
        ]
        for (arguments, expected) in cases {
            let path = directory + "/key.pem"
            let result = try AuthTestSupport.openssl(["genpkey"] + arguments + ["-out", path])
            try #require(result.status == 0, "\(result.output)")
            let pem = try AuthTestSupport.read(path)
            let error = #expect(throws: ES256KeyError.self) { try ES256PrivateKey(pem: pem, source: "AuthKey_X.p8") }
            #expect(error?.description == expected)
            #expect(throws: ES256KeyError.self) { try ES256PublicKey(pem: pem, source: "AuthKey_X.p8") }
        }
    }

    @Test("an 'EC PRIVATE KEY' (SEC1) PEM with EC PARAMETERS in front loads", .enabled(if: AuthTestSupport.hasOpenSSL))
    func sec1() throws {
        let directory = try AuthTestSupport.makeDirectory()
        defer { AuthTestSupport.removeDirectory(directory) }
        let path = directory + "/sec1.pem"
        let result = try AuthTestSupport.openssl(["ecparam", "-name", "prime256v1", "-genkey", "-out", path])
        try #require(result.status == 0, "\(result.output)")
        let pem = try AuthTestSupport.read(path)
        #expect(String(decoding: pem, as: UTF8.self).contains("BEGIN EC PRIVATE KEY"))
        let key = try ES256PrivateKey(pem: pem, source: "sec1.pem")
        #expect(OpenSSLError.drain("after loading").entries.isEmpty, "a successful load leaves no queued errors")
        let message = Array("m".utf8)
        #expect(try ES256PublicKey(pem: pem).verify(signature: try key.sign(message), message: message))
    }

    @Test("a password-protected key is refused without prompting", .enabled(if: AuthTestSupport.hasOpenSSL))
    func encrypted() throws {
        let directory = try AuthTestSupport.makeDirectory()
        defer { AuthTestSupport.removeDirectory(directory) }
        let plain = directory + "/plain.p8"
        let encrypted = directory + "/encrypted.p8"
        try AuthTestSupport.write(try ES256PrivateKey.generate().pkcs8PEM(), to: plain)
        let result = try AuthTestSupport.openssl(["pkcs8", "-topk8", "-in", plain, "-out", encrypted, "-passout", "pass:hunter22"])
        try #require(result.status == 0, "\(result.output)")
        let error = #expect(throws: ES256KeyError.self) { try ES256PrivateKey(pemFile: encrypted) }
        #expect(error == .encrypted(source: encrypted))
        #expect(error?.description.contains("password-protected") == true)
    }
}
