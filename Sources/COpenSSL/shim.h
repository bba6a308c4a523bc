#ifndef APNSCTL_COPENSSL_SHIM_H
#define APNSCTL_COPENSSL_SHIM_H
// OpenSSL 3 entry points apnsctl uses. Function-like macros are not imported into Swift,
// so each one we need is wrapped in a static inline function here.
#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/bn.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/pkcs12.h>
#include <openssl/rand.h>
#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/provider.h>
#include <sys/prctl.h>

static inline int apnsctl_SSL_CTX_set_min_proto_version(SSL_CTX *ctx, int version) {
    return (int)SSL_CTX_set_min_proto_version(ctx, version);
}
static inline int apnsctl_TLS1_2_VERSION(void) { return TLS1_2_VERSION; }
static inline int apnsctl_SSL_set_tlsext_host_name(SSL *ssl, const char *name) {
    return (int)SSL_set_tlsext_host_name(ssl, name);
}
static inline void apnsctl_SSL_CTX_set_default_options(SSL_CTX *ctx) {
    // HTTP/2 framing is self-delimiting: a FIN without close_notify is not a truncation attack.
    SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF | SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
    // Non-blocking writes may be retried from a different buffer address with the same bytes.
    SSL_CTX_set_mode(ctx, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_RELEASE_BUFFERS);
}
static inline long apnsctl_BIO_get_mem_data(BIO *bio, char **data) {
    return BIO_get_mem_data(bio, data);
}
static inline int apnsctl_SSL_ERROR_WANT_READ(void) { return SSL_ERROR_WANT_READ; }
static inline int apnsctl_SSL_ERROR_WANT_WRITE(void) { return SSL_ERROR_WANT_WRITE; }
static inline int apnsctl_SSL_ERROR_ZERO_RETURN(void) { return SSL_ERROR_ZERO_RETURN; }
static inline int apnsctl_SSL_ERROR_SYSCALL(void) { return SSL_ERROR_SYSCALL; }
static inline int apnsctl_SSL_ERROR_SSL(void) { return SSL_ERROR_SSL; }
static inline int apnsctl_SSL_TLSEXT_ERR_OK(void) { return SSL_TLSEXT_ERR_OK; }
static inline int apnsctl_SSL_TLSEXT_ERR_ALERT_FATAL(void) { return SSL_TLSEXT_ERR_ALERT_FATAL; }
static inline int apnsctl_SSL_TLSEXT_ERR_NOACK(void) { return SSL_TLSEXT_ERR_NOACK; }
// The alert a TLS server sends when it speaks none of the ALPN protocols offered (a server without h2).
static inline int apnsctl_ERR_is_no_application_protocol(unsigned long code) {
    return ERR_GET_LIB(code) == ERR_LIB_SSL && ERR_GET_REASON(code) == SSL_R_TLSV1_ALERT_NO_APPLICATION_PROTOCOL;
}

// True for an alert by which the peer refused our certificate (TLS 1.3 servers send it after the handshake).
static inline int apnsctl_ERR_is_certificate_refused_alert(unsigned long code) {
    if (ERR_GET_LIB(code) != ERR_LIB_SSL) return 0;
    switch (ERR_GET_REASON(code)) {
    case SSL_R_SSLV3_ALERT_BAD_CERTIFICATE:
    case SSL_R_SSLV3_ALERT_UNSUPPORTED_CERTIFICATE:
    case SSL_R_SSLV3_ALERT_CERTIFICATE_REVOKED:
    case SSL_R_SSLV3_ALERT_CERTIFICATE_EXPIRED:
    case SSL_R_SSLV3_ALERT_CERTIFICATE_UNKNOWN:
    case SSL_R_TLSV1_ALERT_UNKNOWN_CA:
    case SSL_R_TLSV1_ALERT_ACCESS_DENIED:
    case SSL_R_TLSV13_ALERT_CERTIFICATE_REQUIRED:
        return 1;
    default:
        return 0;
    }
}

// ES256 keys and the local certificate authority (Interop/ES256*.swift, LocalCertificateAuthority.swift).
// EVP_EC_gen is a macro over the variadic EVP_PKEY_Q_keygen, which Swift cannot call.
static inline EVP_PKEY *apnsctl_EVP_EC_gen(const char *curve) { return EVP_EC_gen(curve); }
static inline int apnsctl_MBSTRING_ASC(void) { return MBSTRING_ASC; }
static inline int apnsctl_EVP_PKEY_EC(void) { return EVP_PKEY_EC; }
static inline int apnsctl_EVP_PKEY_RSA(void) { return EVP_PKEY_RSA; }
static inline int apnsctl_X509_PURPOSE_SSL_SERVER(void) { return X509_PURPOSE_SSL_SERVER; }

// Client identities (Interop/ClientIdentity*.swift): STACK_OF(X509) accessors and OPENSSL_free are macros.
static inline int apnsctl_sk_X509_num(const STACK_OF(X509) *sk) { return sk_X509_num(sk); }
static inline X509 *apnsctl_sk_X509_value(const STACK_OF(X509) *sk, int i) { return sk_X509_value(sk, i); }
static inline void apnsctl_sk_X509_pop_free(STACK_OF(X509) *sk) { sk_X509_pop_free(sk, X509_free); }
static inline void apnsctl_OPENSSL_free(void *p) { OPENSSL_free(p); }
static inline int apnsctl_SSL_VERIFY_PEER_REQUIRED(void) { return SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT; }
// prctl is variadic, which Swift cannot call. Lives here, beside the key handling it protects: after loading a
// private key the process is marked not dumpable, so no core file (or same-user ptrace) can carry the key away.
static inline int apnsctl_set_not_dumpable(void) { return prctl(PR_SET_DUMPABLE, 0, 0, 0, 0); }
static inline int apnsctl_is_dumpable(void) { return prctl(PR_GET_DUMPABLE, 0, 0, 0, 0); }

#endif
