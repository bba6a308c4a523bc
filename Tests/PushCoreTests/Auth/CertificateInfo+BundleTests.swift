import Testing
@testable import PushCore

@Suite("Certificate info: bundle ID, topics, expiry")
struct CertificateInfoBundleTests {
    static let now: Int64 = 1_780_000_000

    @Test("The bundle ID is the UID; else the CN after 'Push Services: '; else the first extension topic", arguments: [
        (CertificateInfo(commonName: "Apple Push Services: com.a.app", userID: "com.a.app", notAfter: 0), "com.a.app"),
        (CertificateInfo(commonName: "Apple Push Services: com.b.app", userID: nil, notAfter: 0), "com.b.app"),
        (CertificateInfo(commonName: "Apple Development IOS Push Services: com.c.dev", userID: nil, notAfter: 0),
         "com.c.dev"),
        (CertificateInfo(commonName: "Some Other CA: x", userID: nil, notAfter: 0, extensionTopics: ["com.d.app"]),
         "com.d.app"),
        (CertificateInfo(commonName: "Apple Push Services: ", userID: "", notAfter: 0), nil),
        (CertificateInfo(commonName: nil, userID: nil, notAfter: 0), nil),
    ] as [(CertificateInfo, String?)])
    func bundleID(info: CertificateInfo, expected: String?) {
        #expect(info.bundleID == expected)
    }

    @Test("Topics: the extension's list, else the bundle ID alone")
    func topics() {
        let plain = CertificateInfo(commonName: nil, userID: "com.a.app", notAfter: 0)
        #expect(plain.topics == ["com.a.app"])
        var rich = plain
        rich.extensionTopics = ["com.a.app", "com.a.app.voip"]
        #expect(rich.topics == ["com.a.app", "com.a.app.voip"])
        #expect(CertificateInfo(commonName: nil, userID: nil, notAfter: 0).topics == [])
    }

    @Test("Expiry: expired at notAfter, warned under 30 days, quiet from 30 days on", arguments: [
        (-1, CertificateInfo.Expiry.expired),
        (0, .expired),
        (1, .expiringSoon(daysLeft: 0)),
        (86_400, .expiringSoon(daysLeft: 1)),
        (29 * 86_400 + 86_399, .expiringSoon(daysLeft: 29)),
        (30 * 86_400, .valid),
        (365 * 86_400, .valid),
    ] as [(Int64, CertificateInfo.Expiry)])
    func expiry(secondsLeft: Int64, expected: CertificateInfo.Expiry) {
        let info = CertificateInfo(commonName: nil, userID: "x", notAfter: Self.now + secondsLeft)
        #expect(info.expiry(now: Self.now) == expected)
        #expect((info.expiryWarning(now: Self.now, source: "push.p12") == nil) == (expected == .valid))
    }

    @Test("Warnings name the file and the date, and say what to do")
    func warnings() {
        // 2026-05-28T20:26:40Z is 1_780_000_000.
        let expired = CertificateInfo(commonName: nil, userID: "x", notAfter: Self.now - 86_400)
        let warning = expired.expiryWarning(now: Self.now, source: "push.p12")
        #expect(warning == "the certificate in push.p12 expired on 2026-05-27: APNs will refuse the connection; "
            + "create a new one at developer.apple.com (Certificates, Identifiers & Profiles)")
        let soon = CertificateInfo(commonName: nil, userID: "x", notAfter: Self.now + 5 * 86_400 + 10)
        #expect(soon.expiryWarning(now: Self.now, source: "push.p12")
            == "the certificate in push.p12 expires in 5 days (2026-06-02): renew it at developer.apple.com before then")
        let tomorrow = CertificateInfo(commonName: nil, userID: "x", notAfter: Self.now + 86_400 + 10)
        #expect(tomorrow.expiryWarning(now: Self.now, source: "c.pem")?.contains("expires tomorrow") == true)
    }

    @Test("The -v summary names subject, UID, topics and end date")
    func summary() {
        let info = CertificateInfo(commonName: "Apple Push Services: com.a.app", userID: "com.a.app",
                                   notAfter: Self.now, extensionTopics: ["com.a.app", "com.a.app.voip"])
        #expect(info.summary == "Apple Push Services: com.a.app (UID com.a.app), topics com.a.app, com.a.app.voip; "
            + "valid until 2026-05-28")
    }

    @Test("The certificate password is the file's first line without its line end")
    func passwordFile() {
        #expect(CertificatePassword.fromFileContents(Array("s3cret\n".utf8)) == "s3cret")
        #expect(CertificatePassword.fromFileContents(Array("s3cret\r\nsecond line\n".utf8)) == "s3cret")
        #expect(CertificatePassword.fromFileContents(Array(" spaced pass ".utf8)) == " spaced pass ")
        #expect(CertificatePassword.fromFileContents([]) == "")
        #expect(CertificatePassword.fromFileContents(Array("\n".utf8)) == "")
    }

    @Test("Certificate authentication sends no authorization header")
    func noAuthorization() throws {
        #expect(try CertificateAuthorization().authorization() == nil)
    }
}
