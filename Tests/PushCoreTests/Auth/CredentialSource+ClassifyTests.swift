import Testing
@testable import PushCore

@Suite("CredentialSource: a value is a file, stdin or the secret itself")
struct CredentialSourceClassifyTests {
    static func classify(_ value: String, files: Set<String> = []) -> Result<CredentialSource, CredentialSourceError> {
        Result { () throws(CredentialSourceError) in
            try CredentialSource.classify(value, origin: "APNSCTL_KEY", isFile: { files.contains($0) })
        }
    }

    @Test("the decision table, row by row")
    func table() throws {
        let key = try ES256PrivateKey.generate().pkcs8PEM()
        let body = key.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        let der = try #require(Base64Text.decode(Array(body.utf8)))
        #expect(Self.classify("-") == .success(.standardInput))
        #expect(Self.classify("AuthKey_ABC123DEFG.p8") == .success(.file("AuthKey_ABC123DEFG.p8")))
        #expect(Self.classify(key) == .success(.inline(SecretBytes(Array(key.utf8)), origin: "APNSCTL_KEY")))
        #expect(Self.classify("\n  " + key) == .success(.inline(SecretBytes(Array(("\n  " + key).utf8)), origin: "APNSCTL_KEY")))
        #expect(Self.classify(body) == .success(.inline(SecretBytes(der), origin: "APNSCTL_KEY")))
        // Line-broken base64, as `base64 AuthKey.p8` prints it.
        let wrapped = stride(from: 0, to: body.count, by: 76).map { start in
            String(Array(body)[start..<min(start + 76, body.count)])
        }.joined(separator: "\n")
        #expect(Self.classify(wrapped) == .success(.inline(SecretBytes(der), origin: "APNSCTL_KEY")))
        // Base64 of the PEM text (some CI secret stores want it that way).
        let pemBase64 = Base64URL.encodeStandard(Array(key.utf8))
        #expect(Self.classify(pemBase64) == .success(.inline(SecretBytes(Array(key.utf8)), origin: "APNSCTL_KEY")))
        // A file whose odd name looks like base64 is still a file.
        #expect(Self.classify(body, files: [body]) == .success(.file(body)))
        #expect(Self.classify(String(repeating: "A", count: 65)) == .failure(.undecodable(origin: "APNSCTL_KEY")))
        #expect(Self.classify(String(repeating: "QUJD", count: 20)) == .failure(.undecodable(origin: "APNSCTL_KEY")))
        #expect(Self.classify("line\nline") == .failure(.notAKey(origin: "APNSCTL_KEY")))
        #expect(Self.classify("/keys/" + String(repeating: "x!", count: 40)) == .failure(.notAKey(origin: "APNSCTL_KEY")))
        #expect(Self.classify("/home/ada/keys/AuthKey_ABC123DEFG.p8") == .success(.file("/home/ada/keys/AuthKey_ABC123DEFG.p8")))
    }

    @Test("errors name the origin and never the value")
    func messages() {
        let secret = "c2VjcmV0" + String(repeating: "QUJD", count: 20) + "A"
        guard case .failure(let error) = Self.classify(secret) else {
            Issue.record("a 93-character base64 value cannot decode")
            return
        }
        #expect(error.description.contains("APNSCTL_KEY"))
        #expect(!error.description.contains("c2VjcmV0"))
    }

    @Test("a base64 DER key becomes PEM the key loader reads, and signs")
    func derKeyLoads() throws {
        let key = try ES256PrivateKey.generate()
        let body = key.pkcs8PEM().split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        let source = try CredentialSource.classify(body, origin: "CI_KEY", isFile: { _ in false })
        let loaded = try ES256PrivateKey(source: source)
        #expect(loaded.pkcs8PEM() == key.pkcs8PEM())
    }

    @Test("a secret's bytes print as a placeholder in every form")
    func secretBytesHide() {
        let secret = SecretBytes(Array("-----BEGIN PRIVATE KEY-----MARKER".utf8))
        let source = CredentialSource.inline(secret, origin: "APNSCTL_KEY")
        var dumped = ""
        dump(source, to: &dumped)
        for text in ["\(secret)", String(reflecting: secret), "\(source)", String(reflecting: source), dumped] {
            #expect(!text.contains("MARKER") && !text.contains("BEGIN"), "\(text)")
        }
        #expect(source.label("key") == "the key in APNSCTL_KEY")
    }

    @Test("standard base64: padding, blanks and bad characters")
    func base64() {
        #expect(Base64Text.decode(Array("aGVsbG8=".utf8)) == Array("hello".utf8))
        #expect(Base64Text.decode(Array("aGVs\nbG8".utf8)) == Array("hello".utf8))
        #expect(Base64Text.decode(Array("aGVsbG8=x".utf8)) == nil)
        #expect(Base64Text.decode(Array("aGVsb".utf8)) == nil)
        #expect(Base64Text.decode(Array("aGV*bG8=".utf8)) == nil)
    }

    @Test("a secret file others may read gets the chmod to run")
    func permissionWarning() {
        #expect(SecretFilePermissions.warning(path: "k.p8", mode: 0o600, what: "key") == nil)
        #expect(SecretFilePermissions.warning(path: "k.p8", mode: 0o400, what: "key") == nil)
        #expect(SecretFilePermissions.warning(path: "k.p8", mode: 0o644, what: "key")
            == "the key file k.p8 is accessible to group and others (mode 644): run chmod 600 k.p8")
        #expect(SecretFilePermissions.warning(path: "my key.p8", mode: 0o640, what: "key")
            == "the key file my key.p8 is accessible to group (mode 640): run chmod 600 'my key.p8'")
        #expect(SecretFilePermissions.warning(path: "k.p8", mode: 0o604, what: "key")?.contains("others (mode 604)") == true)
    }
}
