/// The message for a server that refused our client certificate with a TLS alert: which certificate (subject,
/// expiry) and what to check. Pure, so the wording is tested without a handshake.
public enum ClientCertificateRefusal {
    /// - Parameters:
    ///   - alert: OpenSSL's description of the alert.
    ///   - certificate: the certificate presented, nil when none was (token authentication).
    ///   - now: UNIX seconds.
    public static func message(_ alert: String, certificate: CertificateInfo?, now: Int64) -> String {
        guard let certificate else {
            return "the server refused the connection with a TLS alert about the client certificate (\(alert)): it "
                + "wants one; APNs with a .p8 key needs none, so check --endpoint, or pass --cert"
        }
        var message = "the server refused the client certificate \(certificate.commonName ?? "(no common name)")"
        if let userID = certificate.userID { message += " (UID \(userID))" }
        switch certificate.expiry(now: now) {
        case .expired: message += ", which expired on \(certificate.notAfterDate)"
        case .expiringSoon, .valid: message += ", valid until \(certificate.notAfterDate)"
        }
        message += " (\(alert)): check that it is an APNs certificate for this environment "
            + "(--production or --sandbox), that it has not been revoked, and that it has not expired"
        return message
    }
}
