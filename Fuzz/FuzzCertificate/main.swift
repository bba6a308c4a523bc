import FuzzSupport
@testable import PushCore

// The bytes as a certificate file: format detection, the DER walk for APNs topics, and OpenSSL's certificate
// readers with the subject, validity and topics apnsctl shows.
// OpenSSL's providers are loaded once per process and kept: load them before fuzzing, so that no input is blamed
// for memory that lives until exit.
_ = OpenSSLProviders.legacyAvailable
runFuzzer { data, size in
    let bytes = fuzzBytes(data, size)
    _ = APNsTopicsExtension.topics(fromDER: bytes)
    _ = CertificateFileFormat.detect(path: "fuzz.cer", bytes: bytes)
    _ = CertificateFileFormat.detect(path: "fuzz.p12", bytes: bytes)
    if let certificate = try? PEMIdentityReader.derCertificate(bytes, source: "fuzz.cer") {
        _ = X509Inspection.info(certificate.raw).summary
    }
    _ = try? ClientIdentity.load(certificate: bytes, source: "fuzz", password: nil)
    return 0
}
