import COpenSSL
#if canImport(Glibc)
import Glibc
#endif

/// PKCS#12 (`.p12`, `.pfx`) files: modern exports (PBES2 with AES-256-CBC, PBKDF2, SHA-256 MAC) and legacy ones
/// (RC2-40 or 3DES, SHA-1 MAC), with a password, an empty one, or none.
enum PKCS12Reader {
    static func read(_ bytes: [UInt8], source: String,
                     password: String?) throws(ClientIdentityError) -> ClientIdentity.Parts {
        let legacyAvailable = OpenSSLProviders.legacyAvailable
        let p12 = bytes.withUnsafeBufferPointer { buffer -> OpaquePointer? in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            return d2i_PKCS12(nil, &cursor, buffer.count)
        }
        guard let p12 else {
            throw .damaged(source: source, detail: OpenSSLError.drain("reading the PKCS#12 structure").description)
        }
        defer { PKCS12_free(p12) }

        // Which password opens it. Absent and empty are the same to users, but not to PKCS#12: an empty password
        // may be encoded as no password at all (NULL) or as "", so both are tried, as PKCS12_parse itself does.
        let candidates: [String?] = (password ?? "").isEmpty ? [nil, ""] : [password]
        var pass = candidates[0]
        if PKCS12_mac_present(p12) == 1 {
            let opened = candidates.firstIndex { verifyMAC(p12, $0) }
            OpenSSLError.clearQueue()
            guard let opened else {
                throw (password ?? "").isEmpty ? .passwordRequired(source: source) : .wrongPassword(source: source)
            }
            pass = candidates[opened]
        }

        var pkey: OpaquePointer?
        var x509: OpaquePointer?
        var extra: OpaquePointer?
        let ok = withOptionalCString(pass) { PKCS12_parse(p12, $0, &pkey, &x509, &extra) }
        guard ok == 1 else {
            let error = OpenSSLError.drain("decrypting the PKCS#12 contents")
            let unsupported = error.entries.contains { $0.contains("unsupported") || $0.contains("RC2") }
            if unsupported && !legacyAvailable { throw .legacyProviderMissing(source: source) }
            if PKCS12_mac_present(p12) != 1 { throw .wrongPassword(source: source) }
            throw .damaged(source: source, detail: error.description)
        }
        OpenSSLError.clearQueue()
        var chain: [OwnedX509] = []
        if let extra {
            let count = apnsctl_sk_X509_num(extra)
            for index in 0..<max(0, count) {
                // value() borrows from the stack: take a reference of our own before the stack is freed.
                guard let certificate = apnsctl_sk_X509_value(extra, index), X509_up_ref(certificate) == 1 else { continue }
                chain.append(OwnedX509(certificate))
            }
            apnsctl_sk_X509_pop_free(extra)
        }
        return ClientIdentity.Parts(certificate: x509.map(OwnedX509.init), privateKey: pkey.map(OwnedPrivateKey.init),
                                    chain: chain)
    }

    private static func verifyMAC(_ p12: OpaquePointer, _ password: String?) -> Bool {
        withOptionalCString(password) { PKCS12_verify_mac(p12, $0, $0 == nil ? 0 : Int32(strlen($0!))) } == 1
    }

    private static func withOptionalCString<T>(_ text: String?, _ body: (UnsafePointer<CChar>?) -> T) -> T {
        guard let text else { return body(nil) }
        return text.withCString { body($0) }
    }
}
