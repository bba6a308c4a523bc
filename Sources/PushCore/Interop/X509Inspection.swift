import COpenSSL
#if canImport(Glibc)
import Glibc
#endif

/// Reads the parts of a certificate apnsctl shows or uses (subject CN and UID, end of validity, APNs topics).
enum X509Inspection {
    static func info(_ x509: OpaquePointer) -> CertificateInfo {
        let name = X509_get_subject_name(x509)   // internal pointer, owned by the certificate
        let topics = extensionData(x509, oid: APNsTopicsExtension.oid).flatMap(APNsTopicsExtension.topics(fromDER:)) ?? []
        OpenSSLError.clearQueue()
        return CertificateInfo(commonName: name.flatMap { entry($0, nid: NID_commonName) },
                               userID: name.flatMap { entry($0, nid: NID_userId) },
                               notAfter: notAfter(x509) ?? 0,
                               extensionTopics: topics)
    }

    /// The first subject entry with `nid`, as UTF-8.
    static func entry(_ name: OpaquePointer, nid: Int32) -> String? {
        let index = X509_NAME_get_index_by_NID(name, nid, -1)
        guard index >= 0, let entry = X509_NAME_get_entry(name, index),
              let data = X509_NAME_ENTRY_get_data(entry) else { return nil }
        var utf8: UnsafeMutablePointer<UInt8>?
        let length = ASN1_STRING_to_UTF8(&utf8, data)
        guard length >= 0, let utf8 else { return nil }
        defer { apnsctl_OPENSSL_free(utf8) }
        return String(decoding: UnsafeBufferPointer(start: utf8, count: Int(length)), as: UTF8.self)
    }

    /// notAfter as UNIX seconds.
    static func notAfter(_ x509: OpaquePointer) -> Int64? {
        guard let time = X509_get0_notAfter(x509) else { return nil }
        var parts = tm()
        guard ASN1_TIME_to_tm(time, &parts) == 1 else { return nil }
        let days = RFC3339.days(fromCivil: Int64(parts.tm_year) + 1900, Int64(parts.tm_mon) + 1, Int64(parts.tm_mday))
        return days * 86_400 + Int64(parts.tm_hour) * 3600 + Int64(parts.tm_min) * 60 + Int64(parts.tm_sec)
    }

    /// The DER value (inside the OCTET STRING) of the extension with dotted `oid`, if the certificate has it.
    static func extensionData(_ x509: OpaquePointer, oid: String) -> [UInt8]? {
        guard let object = OBJ_txt2obj(oid, 1) else { return nil }
        defer { ASN1_OBJECT_free(object) }
        let index = X509_get_ext_by_OBJ(x509, object, -1)
        guard index >= 0, let ext = X509_get_ext(x509, index), let data = X509_EXTENSION_get_data(ext),
              let bytes = ASN1_STRING_get0_data(data) else { return nil }
        return Array(UnsafeBufferPointer(start: bytes, count: Int(ASN1_STRING_length(data))))
    }
}
