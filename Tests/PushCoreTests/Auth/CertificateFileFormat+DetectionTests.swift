import Testing
@testable import PushCore

@Suite("Certificate files: format detection, PEM blocks, the topics extension")
struct CertificateFileFormatDetectionTests {
    /// SEQUENCE { INTEGER 3, SEQUENCE {} } — the start of a PFX.
    static let pfxLike: [UInt8] = DER.element(0x30, DER.element(0x02, [3]) + DER.element(0x30, []))
    /// SEQUENCE { SEQUENCE { ... } } — the start of a certificate.
    static let certificateLike: [UInt8] = DER.element(0x30, DER.element(0x30, DER.element(0x02, [1])))

    @Test("PEM by content, PKCS#12 by name or by its leading INTEGER, DER certificates by their leading SEQUENCE")
    func detect() {
        let pem = Array("Bag Attributes\n-----BEGIN CERTIFICATE-----\nMII=\n-----END CERTIFICATE-----\n".utf8)
        #expect(CertificateFileFormat.detect(path: "cert.p12", bytes: pem) == .pem)
        #expect(CertificateFileFormat.detect(path: "x", bytes: Self.pfxLike) == .pkcs12)
        #expect(CertificateFileFormat.detect(path: "x.PFX", bytes: Self.certificateLike) == .pkcs12)
        #expect(CertificateFileFormat.detect(path: "aps.cer", bytes: Self.certificateLike) == .der)
        // Old Keychain exports: BER indefinite length on the outer SEQUENCE.
        #expect(CertificateFileFormat.detect(path: "x", bytes: [0x30, 0x80, 0x02, 0x01, 0x03, 0x00, 0x00]) == .pkcs12)
        #expect(CertificateFileFormat.detect(path: "x.p12", bytes: Array("hello".utf8)) == nil)
        #expect(CertificateFileFormat.detect(path: "x", bytes: []) == nil)
        #expect(CertificateFileFormat.detect(path: "x", bytes: [0x30]) == nil)
    }

    @Test("PEM blocks: labels, full text, and which keys are encrypted")
    func pemBlocks() {
        let text = """
            junk before
            -----BEGIN CERTIFICATE-----
            AAAA
            -----END CERTIFICATE-----
            -----BEGIN RSA PRIVATE KEY-----
            Proc-Type: 4,ENCRYPTED
            DEK-Info: AES-256-CBC,00112233445566778899AABBCCDDEEFF

            BBBB
            -----END RSA PRIVATE KEY-----
            -----BEGIN ENCRYPTED PRIVATE KEY-----
            CCCC
            -----END ENCRYPTED PRIVATE KEY-----
            -----BEGIN PRIVATE KEY-----
            DDDD
            -----END PRIVATE KEY-----
            -----BEGIN EC PRIVATE KEY-----
            unterminated
            """
        let blocks = PEMBlock.parse(text)
        #expect(blocks.map(\.label) == ["CERTIFICATE", "RSA PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "PRIVATE KEY"])
        #expect(blocks.map(\.isEncrypted) == [false, true, true, false])
        #expect(blocks.map(\.isPrivateKey) == [false, true, true, true])
        #expect(blocks.map(\.isCertificate) == [true, false, false, false])
        #expect(blocks[0].text == "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
    }

    @Test("Topics: the strings of the SEQUENCE in order; nested kind SEQUENCEs are skipped")
    func topics() {
        let der = CertificateFixtures.topicsExtensionDER([("com.a.app", "app"), ("com.a.app.voip", "voip"),
                                                          ("com.a.app.complication", "complication")])
        #expect(APNsTopicsExtension.topics(fromDER: der) == ["com.a.app", "com.a.app.voip", "com.a.app.complication"])
        // A list longer than 127 bytes uses a long-form length.
        let long = (0..<20).map { ("com.example.application\($0)", "app") }
        #expect(APNsTopicsExtension.topics(fromDER: CertificateFixtures.topicsExtensionDER(long)) == long.map(\.0))
        // IA5String and PrintableString topics are read too.
        #expect(APNsTopicsExtension.topics(fromDER: DER.element(0x30, DER.element(0x16, Array("a.b".utf8))
            + DER.element(0x13, Array("c.d".utf8)))) == ["a.b", "c.d"])
        #expect(APNsTopicsExtension.topics(fromDER: DER.element(0x30, [])) == [])
    }

    @Test("Malformed topics extensions give nil", arguments: [
        [],                                              // empty
        [0x0C, 0x01, 0x61],                              // not a SEQUENCE
        [0x30, 0x05, 0x0C, 0x03, 0x61],                  // truncated content
        [0x30, 0x03, 0x0C, 0x05, 0x61],                  // inner length past the end
        [0x30, 0x85, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00], // five length bytes
        [0x30, 0x00, 0x00],                              // trailing bytes
    ] as [[UInt8]])
    func malformed(der: [UInt8]) {
        #expect(APNsTopicsExtension.topics(fromDER: der) == nil)
    }
}
