/// Why a `--cert` identity could not be loaded. Messages name the file and what to do; they never include a
/// password or key bytes.
public enum ClientIdentityError: Error, CustomStringConvertible, Sendable, Equatable {
    case unreadable(source: String, reason: String)
    /// Neither PKCS#12, PEM nor a DER certificate.
    case unrecognized(source: String)
    /// Encrypted, and no password was given.
    case passwordRequired(source: String)
    /// The password does not open the file (a PKCS#12 MAC or key decryption failed).
    case wrongPassword(source: String)
    /// A PKCS#12 file with RC2/3DES encryption while OpenSSL's legacy provider cannot be loaded.
    case legacyProviderMissing(source: String)
    case noCertificate(source: String)
    /// A certificate without a private key beside it (and no `--cert-key`).
    case noPrivateKey(source: String)
    /// The key does not belong to the certificate.
    case keyMismatch(certificate: String, key: String)
    /// OpenSSL refused the contents; `detail` is its error queue.
    case damaged(source: String, detail: String)

    static let passwordHint = "put the password on the first line of a file readable only by you and pass "
        + "--cert-password-file FILE, or set APNSCTL_CERT_PASSWORD"

    public var description: String {
        switch self {
        case .unreadable(let source, let reason):
            return "\(source): cannot read the certificate file: \(reason)"
        case .unrecognized(let source):
            return "\(source) is not a certificate apnsctl can read: expected PKCS#12 (.p12, .pfx), PEM "
                + "(-----BEGIN CERTIFICATE-----) or a DER certificate (.cer)"
        case .passwordRequired(let source):
            return "\(source) is password-protected: \(Self.passwordHint)"
        case .wrongPassword(let source):
            return "wrong password for \(source) (or the file is damaged)"
        case .legacyProviderMissing(let source):
            return "\(source) uses legacy encryption (RC2 or 3DES, as older Keychain and openssl exports do) and "
                + "OpenSSL's legacy provider is not installed here (legacy.so in the ossl-modules directory, or "
                + "OPENSSL_MODULES); install it, or convert the file where it is installed: "
                + "openssl pkcs12 -legacy -in \(source) -nodes -out cert.pem, then --cert cert.pem"
        case .noCertificate(let source):
            return "\(source) holds no certificate (expected a -----BEGIN CERTIFICATE----- block or a PKCS#12 "
                + "file with one)"
        case .noPrivateKey(let source):
            return "\(source) holds a certificate but no private key: give the key's file with --cert-key FILE, "
                + "or export certificate and key together as .p12 from Keychain Access"
        case .keyMismatch(let certificate, let key):
            return certificate == key
                ? "the private key in \(key) does not belong to its certificate"
                : "the private key in \(key) does not belong to the certificate in \(certificate)"
        case .damaged(let source, let detail):
            return "\(source): cannot read the certificate or key: \(detail)"
        }
    }
}
