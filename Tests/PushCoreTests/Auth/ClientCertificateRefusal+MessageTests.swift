import Testing
@testable import PushCore

@Suite("ClientCertificateRefusal: the message names the certificate and what to check")
struct ClientCertificateRefusalMessageTests {
    private let alert = "TLS read failed: tlsv1 alert unknown ca"

    @Test("subject, UID, expiry and the alert")
    func named() {
        let info = CertificateInfo(commonName: "Apple Push Services: com.example.app", userID: "com.example.app",
                                   notAfter: 1_800_000_000)
        let valid = ClientCertificateRefusal.message(alert, certificate: info, now: 1_700_000_000)
        #expect(valid.contains("Apple Push Services: com.example.app (UID com.example.app)"))
        #expect(valid.contains("valid until \(info.notAfterDate)") && valid.contains("unknown ca"))
        #expect(valid.contains("revoked"))
        let expired = ClientCertificateRefusal.message(alert, certificate: info, now: 1_900_000_000)
        #expect(expired.contains("which expired on \(info.notAfterDate)"))
    }

    @Test("without a certificate: the server wants one")
    func none() {
        #expect(ClientCertificateRefusal.message(alert, certificate: nil, now: 0).contains("--cert"))
    }
}
