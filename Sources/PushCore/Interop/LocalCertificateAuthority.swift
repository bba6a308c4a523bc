import COpenSSL
import Glibc

/// An in-memory certificate authority for `apnsctl mock` and the tests: a self-signed CA
/// ("apnsctl mock CA", P-256, CA:TRUE, keyCertSign, 10 years) and a server certificate it signed
/// (P-256, CN = first host, subjectAltName = every host, serverAuth, 1 year, random serial).
///
/// Clients trust `caCertificatePEM` (e.g. `apnsctl send --ca-file`); the server uses
/// `serverCertificatePEM` + `serverKeyPEM`. Nothing touches the disk.
package struct LocalCertificateAuthority: Sendable {
    package static let defaultHosts = ["localhost", "127.0.0.1", "::1"]
    package static let caCommonName = "apnsctl mock CA"

    package var caCertificatePEM: String
    package var serverCertificatePEM: String
    /// PKCS#8 PEM of the server's private key.
    package var serverKeyPEM: String

    /// Generates a fresh CA and server certificate. `hosts` are DNS names or IP literals (IPv4 or
    /// IPv6, without brackets); each goes into subjectAltName as DNS: or IP:.
    package static func generate(hosts: [String] = defaultHosts) throws -> LocalCertificateAuthority {
        guard let first = hosts.first else {
            throw OpenSSLError(context: "local certificate authority: no host names given", entries: [])
        }
        let caKey = try ES256PrivateKey.generate()
        let serverKey = try ES256PrivateKey.generate()
        let year: Int = 365 * 24 * 3600

        let ca = try Certificate(subjectCommonName: caCommonName, publicKey: caKey.pkey, validSeconds: 10 * year)
        try ca.setIssuer(ca, issuerKey: caKey.pkey)
        try ca.addExtension(NID_basic_constraints, "critical,CA:TRUE", issuer: ca)
        try ca.addExtension(NID_key_usage, "critical,keyCertSign,cRLSign", issuer: ca)
        try ca.addExtension(NID_subject_key_identifier, "hash", issuer: ca)
        try ca.sign(with: caKey.pkey)

        let server = try Certificate(subjectCommonName: first, publicKey: serverKey.pkey, validSeconds: year)
        try server.setIssuer(ca, issuerKey: caKey.pkey)
        try server.addExtension(NID_basic_constraints, "critical,CA:FALSE", issuer: ca)
        try server.addExtension(NID_key_usage, "critical,digitalSignature", issuer: ca)
        try server.addExtension(NID_ext_key_usage, "serverAuth", issuer: ca)
        try server.addExtension(NID_subject_alt_name, subjectAltName(hosts), issuer: ca)
        try server.addExtension(NID_subject_key_identifier, "hash", issuer: ca)
        try server.addExtension(NID_authority_key_identifier, "keyid:always", issuer: ca)
        try server.sign(with: caKey.pkey)

        return LocalCertificateAuthority(caCertificatePEM: ca.pem(), serverCertificatePEM: server.pem(),
                                         serverKeyPEM: serverKey.pkcs8PEM())
    }

    /// `DNS:localhost,IP:127.0.0.1,IP:::1`: IP literals become IP entries, the rest DNS entries.
    package static func subjectAltName(_ hosts: [String]) -> String {
        hosts.map { (isIPLiteral($0) ? "IP:" : "DNS:") + $0 }.joined(separator: ",")
    }

    static func isIPLiteral(_ host: String) -> Bool {
        var address = [UInt8](repeating: 0, count: 16)
        return inet_pton(AF_INET, host, &address) == 1 || inet_pton(AF_INET6, host, &address) == 1
    }

    /// Checks `certificatePEM` against the single trusted CA `trustedCAPEM` with OpenSSL's
    /// X509_verify_cert, for use as a TLS server certificate, and (when `host` is given) that it
    /// names `host` (a DNS name or an IP literal). Returns nil when it verifies, else OpenSSL's reason.
    package static func verify(certificatePEM: String, trustedCAPEM: String, host: String? = nil) -> String? {
        guard let certificate = try? Certificate(pem: certificatePEM),
              let ca = try? Certificate(pem: trustedCAPEM) else {
            OpenSSLError.clearQueue()
            return "not a PEM certificate"
        }
        guard let store = X509_STORE_new() else { return "out of memory" }
        defer { X509_STORE_free(store) }
        guard X509_STORE_add_cert(store, ca.x509) == 1, let context = X509_STORE_CTX_new() else {
            return OpenSSLError.drain("cannot set up the trust store").description
        }
        defer { X509_STORE_CTX_free(context) }
        guard X509_STORE_CTX_init(context, store, certificate.x509, nil) == 1 else {
            return OpenSSLError.drain("cannot set up verification").description
        }
        X509_STORE_CTX_set_purpose(context, apnsctl_X509_PURPOSE_SSL_SERVER())
        if let host {
            let parameters = X509_STORE_CTX_get0_param(context)
            let set = isIPLiteral(host) ? X509_VERIFY_PARAM_set1_ip_asc(parameters, host)
                                        : X509_VERIFY_PARAM_set1_host(parameters, host, 0)
            guard set == 1 else { return OpenSSLError.drain("cannot check host \(host)").description }
        }
        if X509_verify_cert(context) == 1 { return nil }
        OpenSSLError.clearQueue()
        return String(cString: X509_verify_cert_error_string(Int(X509_STORE_CTX_get_error(context))))
    }

    /// The certificate's public key as PEM ("-----BEGIN PUBLIC KEY-----"); nil for unreadable PEM.
    package static func publicKeyPEM(certificatePEM: String) -> String? {
        guard let certificate = try? Certificate(pem: certificatePEM) else { OpenSSLError.clearQueue(); return nil }
        // get0_pubkey: the key stays owned by the certificate.
        guard let key = X509_get0_pubkey(certificate.x509) else { OpenSSLError.clearQueue(); return nil }
        return PEMSupport.writeToString { PEM_write_bio_PUBKEY($0, key) }
    }
}

/// One X509 object being built (or parsed), freed in deinit.
private final class Certificate {
    let x509: OpaquePointer

    init(subjectCommonName: String, publicKey: OpaquePointer, validSeconds: Int) throws {
        guard let x509 = X509_new() else { throw OpenSSLError.drain("creating a certificate") }
        self.x509 = x509
        guard X509_set_version(x509, 2) == 1,  // 2 means X509v3
              Self.setRandomSerial(x509),
              // Start an hour back so a client whose clock is slightly behind accepts it.
              X509_gmtime_adj(X509_getm_notBefore(x509), -3600) != nil,
              X509_gmtime_adj(X509_getm_notAfter(x509), validSeconds) != nil,
              X509_set_pubkey(x509, publicKey) == 1 else {
            throw OpenSSLError.drain("filling in the certificate for \(subjectCommonName)")
        }
        guard let name = X509_NAME_new() else { throw OpenSSLError.drain("creating a certificate name") }
        defer { X509_NAME_free(name) }
        guard X509_NAME_add_entry_by_txt(name, "CN", apnsctl_MBSTRING_ASC(), subjectCommonName, -1, -1, 0) == 1,
              X509_set_subject_name(x509, name) == 1 else {  // set_subject_name copies the name
            throw OpenSSLError.drain("setting the certificate subject \(subjectCommonName)")
        }
    }

    init(pem: String) throws {
        let parsed = try PEMSupport.withMemoryBIO(Array(pem.utf8)) { bio in PEM_read_bio_X509(bio, nil, nil, nil) }
        guard let parsed else { throw OpenSSLError.drain("reading a PEM certificate") }
        OpenSSLError.clearQueue()  // decoders may queue errors even on success
        self.x509 = parsed
    }

    deinit {
        X509_free(x509)
    }

    func setIssuer(_ issuer: Certificate, issuerKey: OpaquePointer) throws {
        // get_subject_name returns an internal pointer; set_issuer_name copies it.
        guard X509_set_issuer_name(x509, X509_get_subject_name(issuer.x509)) == 1 else {
            throw OpenSSLError.drain("setting the certificate issuer")
        }
    }

    func addExtension(_ nid: Int32, _ value: String, issuer: Certificate) throws {
        var context = X509V3_CTX()
        X509V3_set_ctx(&context, issuer.x509, x509, nil, nil, 0)
        guard let ext = X509V3_EXT_conf_nid(nil, &context, nid, value) else {
            throw OpenSSLError.drain("adding certificate extension \(value)")
        }
        defer { X509_EXTENSION_free(ext) }
        guard X509_add_ext(x509, ext, -1) == 1 else {  // add_ext copies the extension
            throw OpenSSLError.drain("adding certificate extension \(value)")
        }
    }

    func sign(with key: OpaquePointer) throws {
        guard X509_sign(x509, key, EVP_sha256()) > 0 else { throw OpenSSLError.drain("signing the certificate") }
    }

    func pem() -> String {
        PEMSupport.writeToString { PEM_write_bio_X509($0, x509) }
    }

    /// A random positive 159-bit serial (RFC 5280: at most 20 octets, positive).
    private static func setRandomSerial(_ x509: OpaquePointer) -> Bool {
        guard let serial = BN_new() else { return false }
        defer { BN_free(serial) }
        guard BN_rand(serial, 159, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ANY) == 1 else { return false }
        return BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(x509)) != nil
    }
}
