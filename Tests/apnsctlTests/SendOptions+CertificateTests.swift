import Testing
import PushCore
@testable import apnsctl

@Suite("send: --cert, --proxy and their rules")
struct SendOptionsCertificateTests {
    /// `validSend` with certificate authentication instead of the token key, and no --topic.
    static let certSend = removing("--topic", from: removing("--key", from: removing("--key-id",
        from: removing("--team-id", from: validSend)))) + ["--cert", "push.p12"]

    @Test("--cert alone: no key, no topic needed; --cert-key and --cert-password-file land in their fields")
    func certificate() throws {
        #expect(sendOptions(Self.certSend)?.credentials
            == .certificate(CertificateFiles(certificate: .file("push.p12"), key: nil, passwordFile: nil)))
        #expect(sendOptions(Self.certSend)?.topic == nil)
        let full = try #require(sendOptions(Self.certSend + ["--cert-key", "k.pem", "--cert-password-file", "pw",
                                                             "--topic", "com.example.app.voip"]))
        #expect(full.credentials == .certificate(CertificateFiles(certificate: .file("push.p12"), key: "k.pem", passwordFile: "pw")))
        #expect(full.topic == "com.example.app.voip")
    }

    @Test("--cert on the command line wins over the token key in the environment")
    func certWinsOverEnvironmentKey() {
        let env = ["APNSCTL_KEY": "env.p8", "APNSCTL_KEY_ID": "ENVKEY0001", "APNSCTL_TEAM_ID": "ENVTEAM001"]
        #expect(sendOptions(Self.certSend, environment: env)?.credentials
            == .certificate(CertificateFiles(certificate: .file("push.p12"), key: nil, passwordFile: nil)))
    }

    static let errorCases: [([String], String)] = [
        (validSend + ["--cert", "push.p12"],
         "--cert and --key exclude each other: drop --key (with --key-id and --team-id) to authenticate with the "
            + "certificate, or drop --cert to use the token key"),
        (certSend + ["--key-id", "ABC123DEFG"],
         "--key-id belongs to token authentication (--key); drop it when using --cert"),
        (certSend + ["--team-id", "DEF123GHIJ"],
         "--team-id belongs to token authentication (--key); drop it when using --cert"),
        (validSend + ["--cert-key", "k.pem"], "--cert-key needs --cert (the certificate it belongs to)"),
        (validSend + ["--cert-password-file", "pw"], "--cert-password-file needs --cert"),
        (validSend + ["--proxy", "https://u:pw@proxy:443"],
         "--proxy: 'https://u:***@proxy:443' is not a usable proxy URL: a TLS connection to the proxy (https://) "
            + "is not supported; use http:// (the tunnel to APNs is encrypted end to end either way)"),
        (validSend + ["--proxy", "proxy:99999"],
         "--proxy: 'proxy:99999' is not a usable proxy URL: expected http://[user:password@]host:port with a port "
            + "from 1 to 65535"),
    ]

    @Test("Mistakes with certificates and proxies", arguments: errorCases)
    func errors(args: [String], message: String) {
        #expect(usageMessage(args) == message)
    }

    @Test("The proxy: --proxy, else HTTPS_PROXY for the APNs host unless NO_PROXY names it; not for loopback endpoints")
    func proxy() {
        let env = ["HTTPS_PROXY": "http://corp-proxy:3128"]
        #expect(sendOptions(validSend + ["--proxy", "http://p:8080"])?.proxy == HTTPProxy(host: "p", port: 8080))
        #expect(sendOptions(validSend, environment: env)?.proxy == HTTPProxy(host: "corp-proxy", port: 3128))
        #expect(sendOptions(validSend + ["--production"], environment: env.merging(["NO_PROXY": "api.push.apple.com"]) { $1 })?
            .proxy == nil)
        #expect(sendOptions(validSend, environment: env.merging(["NO_PROXY": "api.push.apple.com"]) { $1 })?
            .proxy == HTTPProxy(host: "corp-proxy", port: 3128))   // the sandbox host is not named
        #expect(sendOptions(validSend + ["--endpoint", "127.0.0.1:2197"], environment: env)?.proxy == nil)
        #expect(sendOptions(validSend + ["--proxy", ""], environment: env)?.proxy == nil)
        #expect(usageMessage(validSend, environment: ["https_proxy": "ftp://p"])
            == "https_proxy: 'ftp://p' is not a usable proxy URL: the ftp:// scheme is not supported; apnsctl speaks "
            + "to HTTP proxies (http://)")
    }
}
