import COpenSSL

/// Why an ES256 key could not be loaded. Messages name the file and never include key bytes.
public enum ES256KeyError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The file could not be read (missing, permissions, a directory).
    case unreadable(source: String, reason: String)
    /// No `-----BEGIN ...-----` block at all.
    case notPEM(source: String)
    /// A password-protected key (ENCRYPTED PRIVATE KEY, or a Proc-Type: 4,ENCRYPTED header).
    case encrypted(source: String)
    /// PEM blocks, but none holds the kind of key asked for; `found` lists the block labels.
    case wrongPEMBlock(source: String, found: String, wanted: String)
    /// A key of another algorithm (RSA, Ed25519, ...).
    case wrongKeyType(source: String, type: String)
    /// An EC key on another curve than P-256.
    case wrongCurve(source: String, curve: String)
    /// OpenSSL refused the block (corrupt base64, truncated DER, ...).
    case openssl(source: String, OpenSSLError)

    static let hint = "APNs needs the P-256 .p8 key from developer.apple.com"

    public var description: String {
        switch self {
        case .unreadable(let source, let reason):
            return "\(source): cannot read the key file: \(reason)"
        case .notPEM(let source):
            return "\(source) is not a PEM file (no '-----BEGIN PRIVATE KEY-----' line); \(Self.hint)"
        case .encrypted(let source):
            return "\(source) holds a password-protected key; apnsctl needs it unencrypted, as downloaded "
                + "(decrypt a copy with: openssl pkey -in \(source) -out AuthKey_decrypted.p8)"
        case .wrongPEMBlock(let source, let found, let wanted):
            return "\(source) holds \(found), not \(wanted); \(Self.hint)"
        case .wrongKeyType(let source, let type):
            return "\(source) holds \(Self.article(type)) \(type) key; \(Self.hint)"
        case .wrongCurve(let source, let curve):
            return "\(source) holds an EC key on curve \(curve), not P-256 (prime256v1); \(Self.hint)"
        case .openssl(let source, let error):
            return "\(source): cannot load the key: \(error)"
        }
    }

    /// "an RSA", "an Ed25519", "a DSA": the article as the name is spoken.
    static func article(_ word: String) -> String {
        guard let first = word.uppercased().first else { return "a" }
        return "AEFHILMNORSX".contains(first) ? "an" : "a"
    }
}

/// ES256 signature encodings: JWS wants raw `r‖s` (64 bytes), OpenSSL speaks DER `ECDSA-Sig-Value`.
public enum ES256Signature {
    /// Raw 64-byte `r‖s` from a DER signature (each half left-padded to 32 bytes); nil when the DER is
    /// malformed, has trailing bytes, or a component does not fit 32 bytes.
    public static func raw(fromDER der: [UInt8]) -> [UInt8]? {
        guard !der.isEmpty, der.count <= 128 else { return nil }
        return der.withUnsafeBufferPointer { buffer -> [UInt8]? in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            guard let sig = d2i_ECDSA_SIG(nil, &cursor, buffer.count) else {
                OpenSSLError.clearQueue()
                return nil
            }
            defer { ECDSA_SIG_free(sig) }
            // d2i stops after the first SEQUENCE: anything behind it makes the signature invalid.
            guard let end = cursor, end == buffer.baseAddress! + buffer.count else { return nil }
            // get0: r and s stay owned by `sig`.
            guard let r = ECDSA_SIG_get0_r(sig), let s = ECDSA_SIG_get0_s(sig),
                  BN_is_negative(r) == 0, BN_is_negative(s) == 0 else { return nil }
            var raw = [UInt8](repeating: 0, count: 64)
            let ok = raw.withUnsafeMutableBufferPointer { out -> Bool in
                BN_bn2binpad(r, out.baseAddress, 32) == 32 && BN_bn2binpad(s, out.baseAddress! + 32, 32) == 32
            }
            return ok ? raw : nil
        }
    }

    /// DER `ECDSA-Sig-Value` from raw 64-byte `r‖s`; nil unless `raw` has exactly 64 bytes.
    public static func der(fromRaw raw: [UInt8]) -> [UInt8]? {
        guard raw.count == 64 else { return nil }
        guard let sig = ECDSA_SIG_new() else { return nil }
        defer { ECDSA_SIG_free(sig) }
        let set = raw.withUnsafeBufferPointer { input -> Bool in
            guard let r = BN_bin2bn(input.baseAddress, 32, nil) else { return false }
            guard let s = BN_bin2bn(input.baseAddress! + 32, 32, nil) else { BN_free(r); return false }
            // set0 takes ownership of r and s only when it succeeds.
            if ECDSA_SIG_set0(sig, r, s) != 1 { BN_free(r); BN_free(s); return false }
            return true
        }
        guard set else { OpenSSLError.clearQueue(); return nil }
        let length = i2d_ECDSA_SIG(sig, nil)
        guard length > 0 else { OpenSSLError.clearQueue(); return nil }
        var der = [UInt8](repeating: 0, count: Int(length))
        let written = der.withUnsafeMutableBufferPointer { out -> Int32 in
            var cursor: UnsafeMutablePointer<UInt8>? = out.baseAddress
            return i2d_ECDSA_SIG(sig, &cursor)
        }
        return written == length ? der : nil
    }
}

/// Helpers shared by the ES256 key classes and the certificate authority.
enum PEMSupport {
    /// Labels of the `-----BEGIN <label>-----` lines in `pem`, in order.
    static func blockLabels(_ pem: [UInt8]) -> [String] {
        let text = String(decoding: pem, as: UTF8.self)
        var labels: [String] = []
        var rest = Substring(text)
        while let begin = rest.firstRange(of: "-----BEGIN ") {
            let after = rest[begin.upperBound...]
            guard let close = after.firstRange(of: "-----") else { break }
            labels.append(String(after[..<close.lowerBound]))
            rest = after[close.upperBound...]
        }
        return labels
    }

    static func describe(_ labels: [String]) -> String {
        labels.isEmpty ? "no PEM block" : labels.map { "a '\($0)' block" }.joined(separator: " and ")
    }

    /// Runs `body` with a read-only memory BIO over `bytes` (BIO_new_mem_buf does not copy: the
    /// BIO must not escape the closure).
    static func withMemoryBIO<T>(_ bytes: [UInt8], _ body: (OpaquePointer) throws -> T) throws -> T {
        try bytes.withUnsafeBytes { raw in
            guard let bio = BIO_new_mem_buf(raw.baseAddress, Int32(raw.count)) else {
                throw OpenSSLError.drain("allocating a memory BIO")
            }
            defer { BIO_free(bio) }
            return try body(bio)
        }
    }

    /// Collects what `body` writes into a memory BIO as a String.
    static func writeToString(_ body: (OpaquePointer) -> Int32) -> String {
        guard let bio = BIO_new(BIO_s_mem()) else { return "" }
        defer { BIO_free(bio) }
        guard body(bio) == 1 else { OpenSSLError.clearQueue(); return "" }
        var data: UnsafeMutablePointer<CChar>?
        let length = apnsctl_BIO_get_mem_data(bio, &data)
        guard length > 0, let data else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
    }

    /// Throws unless `pkey` is an EC key on P-256.
    /// Returns `pkey` when it is an EC P-256 key; otherwise frees it (the caller owned it) and throws.
    static func acceptP256(_ pkey: OpaquePointer, source: String) throws -> OpaquePointer {
        do {
            try requireP256(pkey, source: source)
        } catch {
            EVP_PKEY_free(pkey)
            throw error
        }
        return pkey
    }

    static func requireP256(_ pkey: OpaquePointer, source: String) throws {
        guard EVP_PKEY_get_base_id(pkey) == apnsctl_EVP_PKEY_EC() else {
            let name = EVP_PKEY_get0_type_name(pkey).map { String(cString: $0) } ?? "a non-EC"
            throw ES256KeyError.wrongKeyType(source: source, type: name)
        }
        var buffer = [CChar](repeating: 0, count: 80)
        var length = 0
        let ok = buffer.withUnsafeMutableBufferPointer {
            EVP_PKEY_get_group_name(pkey, $0.baseAddress, $0.count, &length)
        }
        let curve = ok == 1 ? String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
                            : "(unnamed)"
        if ok != 1 { OpenSSLError.clearQueue() }
        guard curve == "prime256v1" else { throw ES256KeyError.wrongCurve(source: source, curve: curve) }
    }
}

extension ES256KeyError {
    /// A key file's bytes (at most 1 MiB); the error names the file and never holds its contents.
    static func readKeyFile(_ path: String) throws -> [UInt8] {
        do {
            return try FileIO.readAll(path: path, limit: 1 << 20)
        } catch {
            throw ES256KeyError.unreadable(source: path, reason: FileIO.message(error.errno))
        }
    }
}
