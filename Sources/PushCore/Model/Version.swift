/// apnsctl's release number as the source states it; the man page and the mock's `server` header show it.
/// What a particular binary is (the `git describe` version it was built from, its commit, the C libraries
/// it runs on) is `BuildInfo.running`.
public enum APNsCtlVersion {
    public static let current = "0.1.0"
}

/// Which build this is, in one line for `--version`, the first `-v` event and `--summary-json`, so a
/// campaign's record says which build sent it:
///
///     apnsctl 0.1.0-12-g240d8eb (commit 240d8eb1c2f3) with OpenSSL 3.0.17 1 Jul 2025, nghttp2 1.52.0, zlib 1.2.13
///     apnsctl 0.1.0 (built outside git: commit unknown) with OpenSSL ...
///     apnsctl 0.1.0 (unstamped: built without make, version unknown) with OpenSSL ...
///
/// `version` and `commit` come from the build stamp `make` writes (scripts/version): no commit means the
/// source had no git history; no stamp at all, a plain `swift build` or `swift test`.
public struct BuildInfo: Sendable, Equatable {
    /// `git describe` of the tree it was built from, without the leading `v` (the release number outside git);
    /// empty when unstamped.
    public var version: String
    /// The full commit hash; empty when unstamped.
    public var commit: String
    /// As the libraries report themselves at run time (`OpenSSL_version`, `nghttp2_version`, `zlibVersion`).
    public var openssl: String
    public var nghttp2: String
    public var zlib: String

    public init(version: String, commit: String, openssl: String, nghttp2: String, zlib: String) {
        self.version = version
        self.commit = commit
        self.openssl = openssl
        self.nghttp2 = nghttp2
        self.zlib = zlib
    }

    /// Digits of the commit hash shown: enough to be unique in any repository of this size.
    static let commitDigits = 12

    /// The one line (no newline).
    public var line: String {
        let build: String
        if version.isEmpty {
            build = "\(APNsCtlVersion.current) (unstamped: built without make, version unknown)"
        } else if commit.isEmpty {
            build = "\(version) (built outside git: commit unknown)"
        } else {
            build = "\(version) (commit \(commit.prefix(Self.commitDigits)))"
        }
        return "apnsctl \(build) with \(openssl), nghttp2 \(nghttp2), zlib \(zlib)"
    }
}
