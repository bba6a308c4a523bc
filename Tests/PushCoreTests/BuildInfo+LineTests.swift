import Testing
@testable import PushCore

@Suite("BuildInfo: the one line that names a build")
struct BuildInfoLineTests {
    static let libraries = (openssl: "OpenSSL 3.0.17 1 Jul 2025", nghttp2: "1.52.0", zlib: "1.2.13")

    func info(version: String, commit: String) -> BuildInfo {
        BuildInfo(version: version, commit: commit, openssl: Self.libraries.openssl,
                  nghttp2: Self.libraries.nghttp2, zlib: Self.libraries.zlib)
    }

    @Test("A stamped build: version, the commit's first 12 digits, the three libraries")
    func stamped() {
        let line = info(version: "0.1.0-12-g240d8eb", commit: "240d8eb1c2f3a4b5c6d7e8f90123456789abcdef").line
        #expect(line == "apnsctl 0.1.0-12-g240d8eb (commit 240d8eb1c2f3) with OpenSSL 3.0.17 1 Jul 2025, "
            + "nghttp2 1.52.0, zlib 1.2.13")
    }

    @Test("Built outside git: the release number and a commit said to be unknown")
    func outsideGit() {
        let line = info(version: "0.1.0", commit: "").line
        #expect(line.hasPrefix("apnsctl 0.1.0 (built outside git: commit unknown) with OpenSSL 3.0.17"))
    }

    @Test("Unstamped (plain swift build): says so, never pretends to be a release")
    func unstamped() {
        let line = info(version: "", commit: "").line
        #expect(line.hasPrefix("apnsctl \(APNsCtlVersion.current) (unstamped: built without make, version unknown)"))
        #expect(line.hasSuffix("nghttp2 1.52.0, zlib 1.2.13"))
    }

    @Test("The running build reports the libraries it loaded, one line")
    func running() {
        let running = BuildInfo.running
        #expect(running.openssl.hasPrefix("OpenSSL 3."))
        #expect(running.nghttp2.split(separator: ".").count == 3)
        #expect(running.zlib.hasPrefix("1."))
        #expect(!running.line.contains("\n"))
        #expect(running.line.contains(" with \(running.openssl), nghttp2 \(running.nghttp2), zlib \(running.zlib)"))
    }
}
