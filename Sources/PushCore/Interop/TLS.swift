import COpenSSL
#if canImport(Glibc)
import Glibc
#endif

/// A TLS failure, with OpenSSL's error queue drained into the message and a hint at what to do.
public struct TLSError: Error, CustomStringConvertible, Sendable {
    /// Failures the caller handles apart from the rest.
    public enum Kind: Sendable, Equatable {
        case other
        /// The peer sent the `no_application_protocol` alert: it speaks none of the ALPN protocols offered
        /// (a TLS server without HTTP/2). Retrying cannot help.
        case noApplicationProtocol
        /// The server's certificate did not verify (untrusted CA, wrong host name, expired). Retrying cannot help.
        case certificateVerification
        /// The server refused our client certificate with a TLS alert (unknown CA, bad, expired, revoked, or none
        /// presented). Retrying cannot help.
        case peerRefusedCertificate
    }

    public var description: String
    public var kind: Kind = .other

    /// Collects and clears the thread's OpenSSL error queue.
    static func drain(_ context: String) -> TLSError {
        let error = OpenSSLError.drain(context)
        let refusedALPN = error.codes.contains { apnsctl_ERR_is_no_application_protocol($0) != 0 }
        let refusedCertificate = error.codes.contains { apnsctl_ERR_is_certificate_refused_alert($0) != 0 }
        return TLSError(description: error.description,
                        kind: refusedALPN ? .noApplicationProtocol : refusedCertificate ? .peerRefusedCertificate : .other)
    }
}

/// An `SSL_CTX`: immutable after creation, shared by every connection of a run.
package final class TLSContext: @unchecked Sendable {
    let raw: OpaquePointer

    private init(_ raw: OpaquePointer) { self.raw = raw }
    deinit { SSL_CTX_free(raw) }

    /// Frees what OpenSSL keeps for the calling thread (its random generators, error queue) now. Left to the
    /// thread's exit, that runs after the thread has said it is done, possibly while the process exits: a leak
    /// check at exit (LeakSanitizer) then finds the state of a thread it no longer scans. Call it last on every
    /// thread that used TLS or signed a token, other than the main one.
    package static func releaseThreadState() {
        OPENSSL_thread_stop()
    }

    /// A client context: TLS 1.2+, certificate verification against the system trust store plus `caFile`,
    /// ALPN offering only `h2`; with `identity`, that certificate (and chain) is presented when the server asks.
    package static func client(caFile: String?, identity: ClientIdentity? = nil) throws(TLSError) -> TLSContext {
        guard let ctx = SSL_CTX_new(TLS_client_method()) else { throw TLSError.drain("cannot create a TLS context") }
        let context = TLSContext(ctx)
        apnsctl_SSL_CTX_set_default_options(ctx)
        _ = apnsctl_SSL_CTX_set_min_proto_version(ctx, apnsctl_TLS1_2_VERSION())
        SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nil)
        // The system trust store: with --ca-file, only the hashed directory (looked up lazily, per issuer);
        // without, also the bundle file (parsing all of it costs ~50 ms of start-up, which CI smoke pushes feel).
        let systemStore = caFile == nil ? SSL_CTX_set_default_verify_paths(ctx) : SSL_CTX_set_default_verify_dir(ctx)
        if systemStore != 1 { ERR_clear_error() }
        if let caFile {
            guard SSL_CTX_load_verify_locations(ctx, caFile, nil) == 1 else {
                throw TLSError.drain("cannot load CA certificates from \(caFile) (--ca-file must be a PEM file)")
            }
        }
        let alpn: [UInt8] = [2, 0x68, 0x32]   // "\x02h2"
        guard SSL_CTX_set_alpn_protos(ctx, alpn, UInt32(alpn.count)) == 0 else {
            throw TLSError.drain("cannot configure ALPN")
        }
        if let identity { try context.use(identity) }
        return context
    }

    /// A server context for the mock: the given certificate chain and key, ALPN selecting `h2`. With
    /// `clientCAPEM`, clients must present a certificate that chains to one of its certificates.
    package static func server(certificatePEM: String, keyPEM: String,
                               clientCAPEM: String? = nil) throws(TLSError) -> TLSContext {
        guard let ctx = SSL_CTX_new(TLS_server_method()) else { throw TLSError.drain("cannot create a TLS context") }
        let context = TLSContext(ctx)
        apnsctl_SSL_CTX_set_default_options(ctx)
        _ = apnsctl_SSL_CTX_set_min_proto_version(ctx, apnsctl_TLS1_2_VERSION())
        try context.useCertificateChain(pem: certificatePEM)
        try context.usePrivateKey(pem: keyPEM)
        guard SSL_CTX_check_private_key(ctx) == 1 else {
            throw TLSError.drain("the TLS key does not match the certificate")
        }
        if let clientCAPEM { try context.requireClientCertificates(trusting: clientCAPEM) }
        SSL_CTX_set_alpn_select_cb(ctx, { _, out, outlen, input, inlen, _ in
            // Select "h2" if the client offers it; otherwise no ALPN (the client then refuses us).
            guard let input else { return apnsctl_SSL_TLSEXT_ERR_NOACK() }
            var i = 0
            while i < Int(inlen) {
                let len = Int(input[i])
                if len == 2, i + 2 < Int(inlen), input[i + 1] == 0x68, input[i + 2] == 0x32 {
                    out?.pointee = input + i + 1
                    outlen?.pointee = 2
                    return apnsctl_SSL_TLSEXT_ERR_OK()
                }
                i += 1 + len
            }
            return apnsctl_SSL_TLSEXT_ERR_NOACK()
        }, nil)
        return context
    }

    /// Installs a client identity: leaf, key (OpenSSL takes its own references) and extra chain certificates.
    private func use(_ identity: ClientIdentity) throws(TLSError) {
        guard SSL_CTX_use_certificate(raw, identity.certificate.raw) == 1 else {
            throw TLSError.drain("cannot use the client certificate")
        }
        guard SSL_CTX_use_PrivateKey(raw, identity.privateKey.raw) == 1, SSL_CTX_check_private_key(raw) == 1 else {
            throw TLSError.drain("cannot use the client certificate's private key")
        }
        for extra in identity.chain {
            // add_extra_chain_cert takes ownership of one reference: give it one of its own.
            X509_up_ref(extra.raw)
            if SSL_CTX_ctrl(raw, SSL_CTRL_EXTRA_CHAIN_CERT, 0, UnsafeMutableRawPointer(extra.raw)) != 1 {
                X509_free(extra.raw)
                throw TLSError.drain("cannot add a chain certificate of the client certificate")
            }
        }
    }

    /// Asks every client for a certificate and refuses the handshake unless it verifies against `caPEM`.
    private func requireClientCertificates(trusting caPEM: String) throws(TLSError) {
        guard let store = SSL_CTX_get_cert_store(raw) else { throw TLSError.drain("no certificate store") }
        var added = 0
        for block in PEMBlock.parse(caPEM) where block.label == "CERTIFICATE" {
            let x509 = try? PEMSupport.withMemoryBIO(Array(block.text.utf8)) { PEM_read_bio_X509($0, nil, nil, nil) }
            guard let x509 = x509 ?? nil else { throw TLSError.drain("cannot read a client CA certificate") }
            defer { X509_free(x509) }   // add_cert takes its own reference
            guard X509_STORE_add_cert(store, x509) == 1 else { throw TLSError.drain("cannot trust a client CA certificate") }
            added += 1
        }
        guard added > 0 else { throw TLSError(description: "the client CA file holds no PEM certificate") }
        SSL_CTX_set_verify(raw, apnsctl_SSL_VERIFY_PEER_REQUIRED(), nil)
    }

    private func useCertificateChain(pem: String) throws(TLSError) {
        let bytes = Array(pem.utf8)
        let ok: Bool = bytes.withUnsafeBytes { buf in
            guard let bio = BIO_new_mem_buf(buf.baseAddress, Int32(buf.count)) else { return false }
            defer { BIO_free(bio) }
            guard let leaf = PEM_read_bio_X509(bio, nil, nil, nil) else { return false }
            defer { X509_free(leaf) }
            guard SSL_CTX_use_certificate(raw, leaf) == 1 else { return false }
            while let extra = PEM_read_bio_X509(bio, nil, nil, nil) {
                // add_extra_chain_cert takes ownership of `extra`.
                if SSL_CTX_ctrl(raw, SSL_CTRL_EXTRA_CHAIN_CERT, 0, UnsafeMutableRawPointer(extra)) != 1 {
                    X509_free(extra)
                    return false
                }
            }
            ERR_clear_error()   // the loop ends on a "no start line" error
            return true
        }
        if !ok { throw TLSError.drain("cannot use the TLS certificate (expected a PEM certificate)") }
    }

    private func usePrivateKey(pem: String) throws(TLSError) {
        let bytes = Array(pem.utf8)
        let ok: Bool = bytes.withUnsafeBytes { buf in
            guard let bio = BIO_new_mem_buf(buf.baseAddress, Int32(buf.count)) else { return false }
            defer { BIO_free(bio) }
            guard let key = PEM_read_bio_PrivateKey(bio, nil, nil, nil) else { return false }
            defer { EVP_PKEY_free(key) }
            return SSL_CTX_use_PrivateKey(raw, key) == 1
        }
        if !ok { throw TLSError.drain("cannot use the TLS private key (expected an unencrypted PEM key)") }
    }
}

/// One non-blocking TLS session over a socket. Created and used by one thread only.
package final class TLSConnection {
    package enum Progress: Equatable { case done, wantRead, wantWrite }
    package enum ReadResult: Equatable { case bytes(Int), wantRead, wantWrite, closed }

    private let ssl: OpaquePointer
    package let fd: Int32
    private let isClient: Bool
    private let peerName: String?

    /// - Parameter serverName: the host to verify (and send as SNI when it is a DNS name); nil for servers.
    package init(context: TLSContext, fd: Int32, serverName: String?) throws(TLSError) {
        guard let ssl = SSL_new(context.raw) else { throw TLSError.drain("cannot create a TLS session") }
        self.ssl = ssl
        self.fd = fd
        self.isClient = serverName != nil
        self.peerName = serverName
        SSL_set_fd(ssl, fd)
        if let serverName {
            SSL_set_connect_state(ssl)
            if TLSConnection.isIPAddress(serverName) {
                X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), serverName)
            } else {
                _ = apnsctl_SSL_set_tlsext_host_name(ssl, serverName)
                SSL_set1_host(ssl, serverName)
            }
        } else {
            SSL_set_accept_state(ssl)
        }
    }

    deinit { SSL_free(ssl) }

    static func isIPAddress(_ host: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
    }

    /// Advances the handshake. Throws with a message naming the cause (certificate verification, protocol).
    package func handshake() throws(TLSError) -> Progress {
        ERR_clear_error()
        let rc = SSL_do_handshake(ssl)
        if rc == 1 { return .done }
        let err = SSL_get_error(ssl, rc)
        if err == apnsctl_SSL_ERROR_WANT_READ() { return .wantRead }
        if err == apnsctl_SSL_ERROR_WANT_WRITE() { return .wantWrite }
        if isClient {
            let verify = SSL_get_verify_result(ssl)
            if verify != X509_V_OK {
                let why = String(cString: X509_verify_cert_error_string(verify))
                ERR_clear_error()
                throw TLSError(description: "TLS certificate verification of \(peerName ?? "the server") failed: \(why) "
                    + "(is the system CA store installed? for a private server pass its CA with --ca-file)",
                               kind: .certificateVerification)
            }
        }
        if err == apnsctl_SSL_ERROR_SYSCALL() && ERR_peek_error() == 0 {
            throw TLSError(description: "TLS handshake with \(peerName ?? "the client") failed: connection closed by the peer"
                + (errno != 0 ? " (\(String(cString: strerror(errno))))" : ""))
        }
        throw TLSError.drain("TLS handshake with \(peerName ?? "the client") failed")
    }

    /// The ALPN protocol both sides agreed on, or nil.
    package var alpnProtocol: String? {
        var data: UnsafePointer<UInt8>?
        var len: UInt32 = 0
        SSL_get0_alpn_selected(ssl, &data, &len)
        guard let data, len > 0 else { return nil }
        return String(decoding: UnsafeBufferPointer(start: data, count: Int(len)), as: UTF8.self)
    }

    /// The certificate the peer presented (a server's view of a client certificate), or nil.
    package var peerCertificateInfo: CertificateInfo? {
        guard let x509 = SSL_get1_peer_certificate(ssl) else { return nil }
        defer { X509_free(x509) }
        return X509Inspection.info(x509)
    }

    /// A server's view: why the client's certificate was refused during the handshake (OpenSSL's verification
    /// reason), nil when none was refused. With TLS 1.3 the client has already finished its handshake by then:
    /// it learns of the refusal from an alert on its first read.
    package var refusedPeerCertificateReason: String? {
        guard !isClient else { return nil }
        let verify = SSL_get_verify_result(ssl)
        guard verify != X509_V_OK else { return nil }
        return String(cString: X509_verify_cert_error_string(verify))
    }

    /// "TLSv1.3" and the like.
    package var protocolVersion: String { String(cString: SSL_get_version(ssl)) }

    package func read(into buffer: UnsafeMutableRawBufferPointer) throws(TLSError) -> ReadResult {
        ERR_clear_error()
        var n = 0
        let rc = SSL_read_ex(ssl, buffer.baseAddress, buffer.count, &n)
        if rc == 1 { return .bytes(n) }
        let err = SSL_get_error(ssl, rc)
        if err == apnsctl_SSL_ERROR_WANT_READ() { return .wantRead }
        if err == apnsctl_SSL_ERROR_WANT_WRITE() { return .wantWrite }
        if err == apnsctl_SSL_ERROR_ZERO_RETURN() { return .closed }
        if err == apnsctl_SSL_ERROR_SYSCALL() && ERR_peek_error() == 0 {
            if errno == 0 { return .closed }
            throw TLSError(description: "connection lost: \(String(cString: strerror(errno)))")
        }
        throw TLSError.drain("TLS read failed")
    }

    /// Writes some of `bytes`; returns how many were taken (0 when the socket is full: wait for POLLOUT,
    /// then call again with the same bytes).
    package func write(_ bytes: UnsafeRawBufferPointer) throws(TLSError) -> (written: Int, wantRead: Bool) {
        guard !bytes.isEmpty else { return (0, false) }
        ERR_clear_error()
        var n = 0
        let rc = SSL_write_ex(ssl, bytes.baseAddress, bytes.count, &n)
        if rc == 1 { return (n, false) }
        let err = SSL_get_error(ssl, rc)
        if err == apnsctl_SSL_ERROR_WANT_WRITE() { return (0, false) }
        if err == apnsctl_SSL_ERROR_WANT_READ() { return (0, true) }
        if err == apnsctl_SSL_ERROR_SYSCALL() && ERR_peek_error() == 0 {
            throw TLSError(description: "connection lost: \(errno == 0 ? "closed by the peer" : String(cString: strerror(errno)))")
        }
        throw TLSError.drain("TLS write failed")
    }

    /// Sends close_notify (best effort; the socket is closed by the owner).
    package func shutdown() {
        ERR_clear_error()
        _ = SSL_shutdown(ssl)
        ERR_clear_error()
    }
}
