/// Certificate authentication sends no `authorization` header: the TLS client certificate identifies the provider.
public struct CertificateAuthorization: AuthorizationSource {
    public init() {}
    public func authorization() throws -> String? { nil }
}

/// The certificate password as a file holds it: the first line, without its line end (`\n` or `\r\n`).
/// An empty file is an empty password. Never printed.
public enum CertificatePassword {
    /// The environment variable read when `--cert-password-file` is not given.
    public static let environmentVariable = "APNSCTL_CERT_PASSWORD"

    public static func fromFileContents(_ bytes: [UInt8]) -> String {
        var line = bytes.prefix { $0 != UInt8(ascii: "\n") }
        if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
        return String(decoding: line, as: UTF8.self)
    }
}
