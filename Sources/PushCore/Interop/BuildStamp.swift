import CBuildStamp

extension BuildInfo {
    /// This binary: the stamp `make` compiled in, and the C libraries as loaded now (the shared libraries
    /// found at run time, which may be newer than the ones it was built against).
    public static let running = BuildInfo(
        version: String(cString: apnsctl_stamped_version()), commit: String(cString: apnsctl_stamped_commit()),
        openssl: LibraryVersions.openssl, nghttp2: LibraryVersions.nghttp2, zlib: LibraryVersions.zlib)
}
