import COpenSSL

/// An EC P-256 public key that checks ES256 signatures (the mock server verifies client JWTs with it).
///
/// Immutable after loading; safe to share between threads.
public final class ES256PublicKey: @unchecked Sendable {
    /// EVP_PKEY* holding only the public point, owned: freed in deinit.
    let pkey: OpaquePointer

    private init(owning pkey: OpaquePointer) {
        self.pkey = pkey
    }

    deinit {
        EVP_PKEY_free(pkey)
    }

    /// Loads a "PUBLIC KEY" PEM, or derives the public half of a private key PEM (.p8, EC PRIVATE KEY).
    public convenience init(pem: [UInt8], source: String = "the public key") throws {
        let labels = PEMSupport.blockLabels(pem)
        if labels.contains("PUBLIC KEY") {
            let pkey = try PEMSupport.withMemoryBIO(pem) { bio -> OpaquePointer in
                guard let pkey = PEM_read_bio_PUBKEY(bio, nil, nil, nil) else {
                    throw ES256KeyError.openssl(source: source, OpenSSLError.drain("reading the public key"))
                }
                OpenSSLError.clearQueue()  // decoders may queue errors even on success
                return pkey
            }
            self.init(owning: try PEMSupport.acceptP256(pkey, source: source))
        } else {
            let privateKey = try ES256PrivateKey.load(pem: pem, source: source)
            defer { EVP_PKEY_free(privateKey) }
            self.init(owning: try Self.publicPart(of: privateKey))
        }
    }

    /// Loads a PEM file (public key, or a private key whose public half is wanted).
    public convenience init(pemFile path: String) throws {
        try self.init(pem: try ES256KeyError.readKeyFile(path), source: path)
    }

    /// The public half of a loaded (already checked) private key.
    convenience init(derivedFrom privateKey: OpaquePointer, source: String) throws {
        self.init(owning: try Self.publicPart(of: privateKey))
    }

    /// True when `raw64` (`r‖s`, 64 bytes) is a valid ES256 signature of `message` by this key.
    public func verify(signature raw64: [UInt8], message: [UInt8]) -> Bool {
        guard let der = ES256Signature.der(fromRaw: raw64) else { return false }
        return verify(derSignature: der, message: message)
    }

    /// True when `der` (an ASN.1 `ECDSA-Sig-Value`, as `openssl dgst -sign` writes) is a valid
    /// signature of `message`. APNs accepts DER-signed tokens too (apns-protocol.md §6).
    public func verify(derSignature der: [UInt8], message: [UInt8]) -> Bool {
        guard let context = EVP_MD_CTX_new() else { OpenSSLError.clearQueue(); return false }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestVerifyInit(context, nil, EVP_sha256(), nil, pkey) == 1 else {
            OpenSSLError.clearQueue()
            return false
        }
        let result = message.withUnsafeBufferPointer { input in
            der.withUnsafeBufferPointer { signature in
                EVP_DigestVerify(context, signature.baseAddress, signature.count, input.baseAddress, input.count)
            }
        }
        // A bad signature leaves entries on this thread's error queue; they are not errors to report.
        if result != 1 { OpenSSLError.clearQueue() }
        return result == 1
    }

    /// The key as PEM ("-----BEGIN PUBLIC KEY-----").
    public func pem() -> String {
        PEMSupport.writeToString { PEM_write_bio_PUBKEY($0, pkey) }
    }

    /// Copies the public point of `privateKey` into a new EVP_PKEY (via SubjectPublicKeyInfo DER).
    private static func publicPart(of privateKey: OpaquePointer) throws -> OpaquePointer {
        let length = i2d_PUBKEY(privateKey, nil)
        guard length > 0 else { throw OpenSSLError.drain("extracting the public key") }
        var der = [UInt8](repeating: 0, count: Int(length))
        _ = der.withUnsafeMutableBufferPointer { out -> Int32 in
            var cursor: UnsafeMutablePointer<UInt8>? = out.baseAddress
            return i2d_PUBKEY(privateKey, &cursor)
        }
        let pkey = der.withUnsafeBufferPointer { input -> OpaquePointer? in
            var cursor: UnsafePointer<UInt8>? = input.baseAddress
            return d2i_PUBKEY(nil, &cursor, input.count)
        }
        guard let pkey else { throw OpenSSLError.drain("decoding the public key") }
        return pkey
    }
}
