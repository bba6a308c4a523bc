import Foundation

/// APNs-like client certificates in every format users hold, made once per test run with the `openssl` tool:
/// subject `UID=com.example.app, CN=Apple Push Services: com.example.app`, RSA 2048, and the topics extension.
struct CertificateFixtures: Sendable {
    static let bundleID = "com.example.app"
    static let subject = "/UID=com.example.app/CN=Apple Push Services: com.example.app"
    static let topics = ["com.example.app", "com.example.app.voip", "com.example.app.complication"]
    static let password = "s3cret pass"

    let directory: String
    func path(_ name: String) -> String { directory + "/" + name }

    /// The fixtures, generated on first use; every test of the run shares them (read-only).
    static let shared: Result<CertificateFixtures, any Error> = Result { try generate() }

    struct FixtureError: Error, CustomStringConvertible {
        var description: String
    }

    /// The topics extension value: SEQUENCE { UTF8String topic, SEQUENCE { UTF8String kind }, ... }.
    static func topicsExtensionDER(_ topics: [(String, String)]) -> [UInt8] {
        var content: [UInt8] = []
        for (topic, kind) in topics {
            content += DER.element(0x0C, Array(topic.utf8))
            content += DER.element(0x30, DER.element(0x0C, Array(kind.utf8)))
        }
        return DER.element(0x30, content)
    }

    private static func generate() throws(FixtureError) -> CertificateFixtures {
        let fixtures: CertificateFixtures
        do {
            fixtures = CertificateFixtures(directory: try AuthTestSupport.makeDirectory())
        } catch {
            throw FixtureError(description: "cannot make a temporary directory: \(error)")
        }
        let p = fixtures.path
        let hex = topicsExtensionDER(zip(topics, ["app", "voip", "complication"]).map { ($0, $1) })
            .map { String(format: "%02X", $0) }.joined()
        let pass = "pass:\(password)"
        let steps: [[String]] = [
            ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", p("key.pem")],
            ["req", "-x509", "-new", "-key", p("key.pem"), "-days", "365", "-subj", subject,
             "-addext", "\(APNsTopicsOID.value)=DER:\(hex)", "-out", p("cert.pem")],
            ["pkcs12", "-export", "-in", p("cert.pem"), "-inkey", p("key.pem"), "-passout", pass, "-out", p("modern.p12")],
            ["pkcs12", "-export", "-legacy", "-in", p("cert.pem"), "-inkey", p("key.pem"), "-passout", pass,
             "-out", p("legacy.p12")],
            ["pkcs12", "-export", "-certpbe", "PBE-SHA1-RC2-40", "-keypbe", "PBE-SHA1-3DES", "-macalg", "sha1",
             "-provider", "legacy", "-provider", "default",
             "-in", p("cert.pem"), "-inkey", p("key.pem"), "-passout", pass, "-out", p("rc2.p12")],
            ["pkcs12", "-export", "-certpbe", "PBE-SHA1-3DES", "-keypbe", "PBE-SHA1-3DES", "-macalg", "sha1",
             "-in", p("cert.pem"), "-inkey", p("key.pem"), "-passout", pass, "-out", p("des3.p12")],
            ["pkcs12", "-export", "-in", p("cert.pem"), "-inkey", p("key.pem"), "-passout", "pass:", "-out", p("empty.p12")],
            ["rsa", "-in", p("key.pem"), "-traditional", "-out", p("key-pkcs1.pem")],
            ["pkcs8", "-topk8", "-in", p("key.pem"), "-v2", "aes-256-cbc", "-passout", pass, "-out", p("key-encrypted.pem")],
            ["rsa", "-in", p("key.pem"), "-aes256", "-traditional", "-passout", pass, "-out", p("key-legacy-encrypted.pem")],
            ["x509", "-in", p("cert.pem"), "-outform", "DER", "-out", p("cert.cer")],
            ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", p("other-key.pem")],
            // A leaf signed by a CA, exported with the CA as chain certificate.
            ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", p("ca-key.pem"), "-days", "365",
             "-subj", "/CN=Test Worldwide Developer Relations CA", "-out", p("ca.pem")],
            ["req", "-new", "-key", p("key.pem"), "-subj", subject, "-out", p("leaf.csr")],
            ["x509", "-req", "-in", p("leaf.csr"), "-CA", p("ca.pem"), "-CAkey", p("ca-key.pem"), "-CAcreateserial",
             "-days", "20", "-out", p("leaf.pem")],
            ["pkcs12", "-export", "-in", p("leaf.pem"), "-inkey", p("key.pem"), "-certfile", p("ca.pem"),
             "-passout", pass, "-out", p("chain.p12")],
        ]
        for step in steps {
            let result: AuthTestSupport.Result
            do {
                result = try AuthTestSupport.openssl(step)
            } catch {
                throw FixtureError(description: "cannot run openssl: \(error)")
            }
            guard result.status == 0 else {
                throw FixtureError(description: "openssl \(step.prefix(2).joined(separator: " ")) failed: \(result.output)")
            }
        }
        do {
            let cert = try String(contentsOfFile: p("cert.pem"), encoding: .utf8)
            let key = try String(contentsOfFile: p("key.pem"), encoding: .utf8)
            let pkcs1 = try String(contentsOfFile: p("key-pkcs1.pem"), encoding: .utf8)
            let encrypted = try String(contentsOfFile: p("key-encrypted.pem"), encoding: .utf8)
            try AuthTestSupport.write(cert + key, to: p("combined.pem"))
            try AuthTestSupport.write(key + cert, to: p("key-first.pem"))
            try AuthTestSupport.write(cert + pkcs1, to: p("combined-pkcs1.pem"))
            try AuthTestSupport.write(cert + encrypted, to: p("combined-encrypted.pem"))
            try AuthTestSupport.write(cert + (try String(contentsOfFile: p("other-key.pem"), encoding: .utf8)),
                                      to: p("mismatch.pem"))
        } catch {
            throw FixtureError(description: "cannot write the PEM fixtures: \(error)")
        }
        return fixtures
    }
}

/// The topics extension OID, spelled once for the fixtures.
enum APNsTopicsOID { static let value = "1.2.840.113635.100.6.3.6" }

/// DER encoding for building test inputs by hand.
enum DER {
    static func element(_ tag: UInt8, _ content: [UInt8]) -> [UInt8] {
        [tag] + length(content.count) + content
    }

    static func length(_ count: Int) -> [UInt8] {
        if count < 0x80 { return [UInt8(count)] }
        var bytes: [UInt8] = []
        var rest = count
        while rest > 0 { bytes.insert(UInt8(rest & 0xFF), at: 0); rest >>= 8 }
        return [0x80 | UInt8(bytes.count)] + bytes
    }
}
