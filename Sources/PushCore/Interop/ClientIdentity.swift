import COpenSSL

/// A TLS client identity for certificate authentication (`apnsctl send --cert`): the certificate, its private key
/// and any chain certificates, loaded from PKCS#12, PEM (certificate and key in one file or two) or a DER
/// certificate with a PEM key. Checked on load: the key belongs to the certificate.
///
/// Immutable after loading; `TLSContext.client(caFile:identity:)` installs it (OpenSSL takes its own references).
package final class ClientIdentity: @unchecked Sendable {
    let certificate: OwnedX509
    let privateKey: OwnedPrivateKey
    /// Intermediate certificates sent after the leaf (a PKCS#12 file's extra certificates, or PEM blocks after the first).
    let chain: [OwnedX509]
    /// Subject, validity and topics of the leaf certificate.
    package let info: CertificateInfo

    private init(certificate: OwnedX509, privateKey: OwnedPrivateKey, chain: [OwnedX509]) {
        self.certificate = certificate
        self.privateKey = privateKey
        self.chain = chain
        self.info = X509Inspection.info(certificate.raw)
    }

    /// Loads `certificateFile` (and the key from `keyFile` when given). `password` opens an encrypted PKCS#12
    /// file or key; nil means none was given.
    package static func load(certificateFile: String, keyFile: String? = nil,
                             password: String?) throws(ClientIdentityError) -> ClientIdentity {
        let bytes = try read(certificateFile)
        let key = try keyFile.map { (path) throws(ClientIdentityError) in (bytes: try read(path), source: path) }
        return try load(certificate: bytes, source: certificateFile, key: key, password: password)
    }

    /// Loads the certificate from wherever `source` says (a file, stdin, the value itself: PEM, or the base64 of a
    /// .p12 or .cer file), and the key from `keyFile` when given. Messages name the source, never the value.
    package static func load(source: CredentialSource, keyFile: String? = nil,
                             password: String?) throws(ClientIdentityError) -> ClientIdentity {
        if case .file(let path) = source { return try load(certificateFile: path, keyFile: keyFile, password: password) }
        let label = source.label("certificate")
        let bytes: [UInt8]
        do {
            bytes = try source.read()
        } catch {
            throw .unreadable(source: label, reason: FileIO.message(error.errno))
        }
        let key = try keyFile.map { (path) throws(ClientIdentityError) in (bytes: try read(path), source: path) }
        return try load(certificate: bytes, source: label, key: key, password: password)
    }

    /// Loads from bytes; `source` and `key.source` name them in messages (usually the file names).
    package static func load(certificate bytes: [UInt8], source: String, key: (bytes: [UInt8], source: String)? = nil,
                             password: String?) throws(ClientIdentityError) -> ClientIdentity {
        guard let format = CertificateFileFormat.detect(path: source, bytes: bytes) else {
            throw .unrecognized(source: source)
        }
        var parts: Parts
        switch format {
        case .pkcs12:
            parts = try PKCS12Reader.read(bytes, source: source, password: password)
        case .pem:
            let text = String(decoding: bytes, as: UTF8.self)
            let blocks = PEMBlock.parse(text)
            let certificates = try PEMIdentityReader.certificates(blocks, source: source)
            parts = Parts(certificate: certificates.first, privateKey: nil, chain: Array(certificates.dropFirst()))
            if key == nil {
                parts.privateKey = try PEMIdentityReader.privateKey(blocks, source: source, password: password,
                                                                    required: false)
            }
        case .der:
            parts = Parts(certificate: try PEMIdentityReader.derCertificate(bytes, source: source), privateKey: nil,
                          chain: [])
        }
        if let key {
            // --cert-key names the key: it wins over one inside the certificate file.
            let blocks = PEMBlock.parse(String(decoding: key.bytes, as: UTF8.self))
            parts.privateKey = try PEMIdentityReader.privateKey(blocks, source: key.source, password: password,
                                                                required: true)
        }
        guard let certificate = parts.certificate else { throw .noCertificate(source: source) }
        guard let privateKey = parts.privateKey else { throw .noPrivateKey(source: source) }
        guard X509_check_private_key(certificate.raw, privateKey.raw) == 1 else {
            OpenSSLError.clearQueue()
            throw .keyMismatch(certificate: source, key: key?.source ?? source)
        }
        return ClientIdentity(certificate: certificate, privateKey: privateKey, chain: parts.chain)
    }

    /// What a file yielded so far.
    struct Parts {
        var certificate: OwnedX509?
        var privateKey: OwnedPrivateKey?
        var chain: [OwnedX509]
    }

    private static func read(_ path: String) throws(ClientIdentityError) -> [UInt8] {
        do {
            return try FileIO.readAll(path: path, limit: 1 << 20)
        } catch {
            throw .unreadable(source: path, reason: FileIO.message(error.errno))
        }
    }
}

/// An `X509*` this program holds one reference to, released in deinit.
final class OwnedX509: @unchecked Sendable {
    let raw: OpaquePointer
    init(_ raw: OpaquePointer) { self.raw = raw }
    deinit { X509_free(raw) }
}

/// An `EVP_PKEY*` this program holds one reference to, released in deinit.
final class OwnedPrivateKey: @unchecked Sendable {
    let raw: OpaquePointer
    init(_ raw: OpaquePointer) { self.raw = raw }
    deinit { EVP_PKEY_free(raw) }
}

/// PEM and DER pieces of an identity.
enum PEMIdentityReader {
    /// Every certificate block, in file order (leaf first, as `openssl pkcs12 -nokeys` and Keychain write them).
    static func certificates(_ blocks: [PEMBlock], source: String) throws(ClientIdentityError) -> [OwnedX509] {
        var certificates: [OwnedX509] = []
        for block in blocks where block.label == "CERTIFICATE" {
            let x509 = try? PEMSupport.withMemoryBIO(Array(block.text.utf8)) { bio in PEM_read_bio_X509(bio, nil, nil, nil) }
            guard let x509 = x509 ?? nil else {
                throw .damaged(source: source, detail: OpenSSLError.drain("reading a certificate block").description)
            }
            certificates.append(OwnedX509(x509))
        }
        OpenSSLError.clearQueue()
        return certificates
    }

    /// The first private key block, decrypted with `password` when it is encrypted. With `required`, a file without
    /// one is an error; otherwise nil.
    static func privateKey(_ blocks: [PEMBlock], source: String, password: String?,
                           required: Bool) throws(ClientIdentityError) -> OwnedPrivateKey? {
        guard let block = blocks.first(where: \.isPrivateKey) else {
            if required {
                throw .damaged(source: source, detail: "no private key in it (expected a -----BEGIN PRIVATE KEY-----, "
                    + "RSA PRIVATE KEY, EC PRIVATE KEY or ENCRYPTED PRIVATE KEY block)")
            }
            return nil
        }
        if block.isEncrypted {
            // Legacy PEM encryption may use DES; load the providers that decrypt it.
            _ = OpenSSLProviders.legacyAvailable
            guard password != nil else { throw .passwordRequired(source: source) }
        }
        let bytes = Array(block.text.utf8)
        let pkey: OpaquePointer? = try? PEMSupport.withMemoryBIO(bytes) { bio -> OpaquePointer? in
            if let password {
                // With no callback, OpenSSL takes the user data as the NUL-terminated passphrase.
                return password.withCString { PEM_read_bio_PrivateKey(bio, nil, nil, UnsafeMutableRawPointer(mutating: $0)) }
            }
            // A callback that refuses: without one OpenSSL would prompt on the terminal.
            let refuse: @convention(c) (UnsafeMutablePointer<CChar>?, Int32, Int32, UnsafeMutableRawPointer?) -> Int32 = { _, _, _, _ in 0 }
            return PEM_read_bio_PrivateKey(bio, nil, refuse, nil)
        }
        guard let pkey = pkey ?? nil else {
            let error = OpenSSLError.drain("reading the private key")
            if block.isEncrypted { throw .wrongPassword(source: source) }
            throw .damaged(source: source, detail: error.description)
        }
        OpenSSLError.clearQueue()   // decoders may queue errors from formats they tried first
        return OwnedPrivateKey(pkey)
    }

    /// One DER certificate (`.cer` as the developer site downloads it).
    static func derCertificate(_ bytes: [UInt8], source: String) throws(ClientIdentityError) -> OwnedX509 {
        let x509 = bytes.withUnsafeBufferPointer { buffer -> OpaquePointer? in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            return d2i_X509(nil, &cursor, buffer.count)
        }
        guard let x509 else {
            throw .damaged(source: source, detail: OpenSSLError.drain("reading a DER certificate").description)
        }
        return OwnedX509(x509)
    }
}

/// OpenSSL 3 providers for old PKCS#12 and PEM encryption (RC2-40, 3DES, DES).
enum OpenSSLProviders {
    /// Loads the legacy provider, and the default one beside it (loading any provider explicitly turns off the
    /// implicit default). Runs once; true when the legacy provider is installed.
    static let legacyAvailable: Bool = {
        loaded = (OSSL_PROVIDER_load(nil, "legacy"), OSSL_PROVIDER_load(nil, "default"))
        OpenSSLError.clearQueue()
        return loaded.legacy != nil
    }()

    /// Both providers stay loaded for the life of the process. The handles are kept, not dropped: OpenSSL's
    /// exit-time cleanup lets go of its own references only, and a leak checker would report the providers (no
    /// longer reachable from anything) as leaked.
    nonisolated(unsafe) private static var loaded: (legacy: OpaquePointer?, standard: OpaquePointer?) = (nil, nil)
}
