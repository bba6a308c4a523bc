import CNGHTTP2
import COpenSSL
import CZlib

/// Versions of the C libraries apnsctl runs on (for `--version --verbose` and bug reports).
public enum LibraryVersions {
    public static var nghttp2: String {
        guard let info = nghttp2_version(0), let v = info.pointee.version_str else { return "unknown" }
        return String(cString: v)
    }
    public static var openssl: String { String(cString: OpenSSL_version(Int32(OPENSSL_VERSION))) }
    public static var zlib: String { String(cString: zlibVersion()) }
}
