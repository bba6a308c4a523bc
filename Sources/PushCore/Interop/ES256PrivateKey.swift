import COpenSSL

/// An EC P-256 private key that signs provider tokens (JWT ES256): the `.p8` key from
/// developer.apple.com (PEM "PRIVATE KEY", PKCS#8) or a PEM "EC PRIVATE KEY".
///
/// Immutable after loading; OpenSSL 3 allows several threads to sign with one key at once.
public final class ES256PrivateKey: @unchecked Sendable {
    /// EVP_PKEY*, owned: freed in deinit. Never modified after init.
    let pkey: OpaquePointer

    init(owning pkey: OpaquePointer) {
        self.pkey = pkey
    }

    deinit {
        EVP_PKEY_free(pkey)
    }

    /// Loads the key from a PEM file. Errors name `path` and never include key bytes.
    public convenience init(pemFile path: String) throws {
        try self.init(pem: try ES256KeyError.readKeyFile(path), source: path)
    }

    /// Loads the key from PEM bytes; `source` names them in errors (usually the file name).
    public convenience init(pem: [UInt8], source: String = "the key") throws {
        try self.init(owning: Self.load(pem: pem, source: source))
    }

    /// A fresh random P-256 key (tests, the mock server, the local certificate authority).
    public static func generate() throws -> ES256PrivateKey {
        guard let pkey = apnsctl_EVP_EC_gen("P-256") else {
            throw OpenSSLError.drain("generating a P-256 key")
        }
        return ES256PrivateKey(owning: pkey)
    }

    /// Signs `message` with ECDSA P-256 / SHA-256; returns exactly 64 bytes `r‖s` (JWS form).
    public func sign(_ message: [UInt8]) throws -> [UInt8] {
        guard let context = EVP_MD_CTX_new() else { throw OpenSSLError.drain("signing: allocating a digest context") }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestSignInit(context, nil, EVP_sha256(), nil, pkey) == 1 else {
            throw OpenSSLError.drain("signing: initialising ECDSA SHA-256")
        }
        // A P-256 DER signature is at most 72 bytes (EVP_PKEY_get_size).
        var der = [UInt8](repeating: 0, count: 80)
        var derLength = der.count
        let ok = message.withUnsafeBufferPointer { input in
            der.withUnsafeMutableBufferPointer { output in
                EVP_DigestSign(context, output.baseAddress, &derLength, input.baseAddress, input.count)
            }
        }
        guard ok == 1 else { throw OpenSSLError.drain("signing with the ES256 key") }
        guard let raw = ES256Signature.raw(fromDER: Array(der.prefix(derLength))) else {
            throw OpenSSLError(context: "signing: OpenSSL returned a malformed ECDSA signature", entries: [])
        }
        return raw
    }

    /// The key as unencrypted PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----"), the .p8 format.
    public func pkcs8PEM() -> String {
        PEMSupport.writeToString { PEM_write_bio_PrivateKey($0, pkey, nil, nil, 0, nil, nil) }
    }

    /// The public half as PEM ("-----BEGIN PUBLIC KEY-----", SubjectPublicKeyInfo).
    public func publicKeyPEM() -> String {
        PEMSupport.writeToString { PEM_write_bio_PUBKEY($0, pkey) }
    }

    /// The public half, for verifying this key's signatures.
    public func publicKey() throws -> ES256PublicKey {
        try ES256PublicKey(derivedFrom: pkey, source: "the generated key")
    }

    /// Parses a private key PEM and checks it is P-256. Returns an owned EVP_PKEY*.
    static func load(pem: [UInt8], source: String) throws -> OpaquePointer {
        let labels = PEMSupport.blockLabels(pem)
        if labels.isEmpty { throw ES256KeyError.notPEM(source: source) }
        if labels.contains("ENCRYPTED PRIVATE KEY") || containsEncryptedHeader(pem) {
            throw ES256KeyError.encrypted(source: source)
        }
        guard labels.contains(where: { $0 == "PRIVATE KEY" || $0.hasSuffix(" PRIVATE KEY") }) else {
            throw ES256KeyError.wrongPEMBlock(source: source, found: PEMSupport.describe(labels), wanted: "a private key")
        }
        let pkey = try PEMSupport.withMemoryBIO(pem) { bio -> OpaquePointer in
            // A password callback that refuses: without one, OpenSSL would prompt on the terminal.
            let noPassword: @convention(c) (UnsafeMutablePointer<CChar>?, Int32, Int32, UnsafeMutableRawPointer?) -> Int32 = { _, _, _, _ in 0 }
            guard let pkey = PEM_read_bio_PrivateKey(bio, nil, noPassword, nil) else {
                throw ES256KeyError.openssl(source: source, OpenSSLError.drain("reading the private key"))
            }
            // OpenSSL 3's decoders may queue errors from formats they tried first, even on success:
            // leave nothing behind for the next caller to misreport.
            OpenSSLError.clearQueue()
            return pkey
        }
        return try PEMSupport.acceptP256(pkey, source: source)
    }

    private static func containsEncryptedHeader(_ pem: [UInt8]) -> Bool {
        String(decoding: pem, as: UTF8.self).contains("Proc-Type: 4,ENCRYPTED")
    }
}
