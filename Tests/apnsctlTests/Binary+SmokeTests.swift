import Foundation
import PushCore
import Testing
@testable import apnsctl

@Suite("The built apnsctl binary")
struct BinarySmokeTests {
    /// `.build/<triple>/debug/apnsctl`: next to the test bundle, else under the package root.
    static func binary() throws -> String {
        var candidates: [URL] = []
        if let executable = Bundle.main.executableURL {
            candidates.append(executable.deletingLastPathComponent().appendingPathComponent("apnsctl"))
        }
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("apnsctl"))
        candidates.append(Bundle.main.bundleURL.appendingPathComponent("apnsctl"))
        candidates.append(Repository.root.appendingPathComponent(".build/debug/apnsctl"))
        let found = candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
        return try #require(found, "no apnsctl binary at \(candidates.map(\.path))").path
    }

    @Test("--version prints the build line on stdout (the same as the library's) and exits 0")
    func version() throws {
        let result = try Tool.run(try Self.binary(), ["--version"])
        #expect(result.status == 0)
        #expect(result.stdout == BuildInfo.running.line + "\n")
        #expect(result.stdout.contains(" with OpenSSL 3."))
        #expect(result.stderr == "")
    }

    @Test("help send prints the send help on stdout and exits 0")
    func helpSend() throws {
        let result = try Tool.run(try Self.binary(), ["help", "send"])
        #expect(result.status == 0)
        #expect(result.stdout == HelpRenderer.help(for: .send))
        #expect(result.stdout.contains("  -c, --concurrency=<N>"))
        #expect(result.stderr == "")
    }

    @Test("A usage error goes to stderr with exit status 2")
    func usageError() throws {
        let result = try Tool.run(try Self.binary(), ["send", "--concurency", "5"])
        #expect(result.status == ExitStatus.usage.rawValue)
        #expect(result.stdout == "")
        #expect(result.stderr == """
            apnsctl: unknown option '--concurency' (did you mean '--concurrency'?)
            Try 'apnsctl send --help'.

            """)
        let bare = try Tool.run(try Self.binary(), [])
        #expect(bare.status == 2)
        #expect(bare.stderr.hasPrefix("Usage: apnsctl <command> [options]\n"))
    }

    @Test("The process environment reaches the parser")
    func environment() throws {
        // Without --team-id the first error is the missing team ID; with APNSCTL_TEAM_ID set, parsing
        // gets further and stops at the next rule (no --report): nothing is ever sent.
        let args = removing("--report", from: removing("--team-id", from: validSend))
        let without = try Tool.run(try Self.binary(), args, environment: [:])
        #expect(without.status == 2)
        #expect(without.stderr.hasPrefix("apnsctl: --team-id is required"))
        let with = try Tool.run(try Self.binary(), args, environment: ["APNSCTL_TEAM_ID": "DEF123GHIJ"])
        #expect(with.status == 2)
        #expect(with.stderr.hasPrefix("apnsctl: --report is required with --input"))
    }

    @Test("A closed stdout ends output quietly")
    func brokenPipe() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Self.binary())
        process.arguments = ["generate", "man"]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try out.fileHandleForReading.close()
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
        #expect(err.fileHandleForReading.readDataToEndOfFile().isEmpty)
    }
}
