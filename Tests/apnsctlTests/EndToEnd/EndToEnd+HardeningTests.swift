import Foundation
import Testing
import PushCore

extension EndToEndTests {
    /// What a running `apnsctl send` does to protect its secrets and the device tokens it writes down.
    @Suite("Secrets and the files written")
    struct Hardening {
        @Test("a running send has core dumps off (limit 0 in /proc/PID/limits)")
        func coreDumpsOff() throws {
            let fixture = try MockFixture()
            // --rate 2 over 8 tokens keeps the process alive for a few seconds to look at it.
            let devices = (1...8).flatMap { ["--device", deviceToken("beef", $0)] }
            let child = try ChildProcess(try BinarySmokeTests.binary(),
                                         ["send"] + devices + ["--payload", #"{"aps":{"badge":1}}"#, "--topic", MockFixture.topic,
                                                               "--rate", "2"] + fixture.connection,
                                         name: "send", directory: fixture.directory)
            var limits = ""
            let deadline = Date().addingTimeInterval(TestTime.seconds(20))
            // Wait for the first report row: by then the key is loaded.
            while Date() < deadline, child.isRunning, child.stdoutSoFar.isEmpty { usleep(20_000) }
            if child.isRunning {
                limits = (try? String(contentsOfFile: "/proc/\(child.processIdentifier)/limits", encoding: .utf8)) ?? ""
            }
            let result = try child.wait(seconds: MockFixture.sendTimeLimit)
            #expect(result.status == 0, "stderr:\n\(result.stderr)")
            let line = limits.split(separator: "\n").first { $0.hasPrefix("Max core file size") }
            let fields = line.map { $0.split(separator: " ", omittingEmptySubsequences: true) } ?? []
            #expect(fields.count >= 6 && fields[4] == "0" && fields[5] == "0", "core limit of the running send: \(line ?? "none")")
        }

        @Test("a key file others may read gets one warning line with the chmod; a private one none")
        func sharedKeyWarning() throws {
            let fixture = try MockFixture()
            let arguments = ["token", "--key", fixture.keyPath, "--key-id", MockFixture.keyID, "--team-id", MockFixture.teamID]
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: fixture.keyPath)
            let shared = try Tool.run(try BinarySmokeTests.binary(), arguments)
            #expect(shared.status == 0)
            #expect(shared.stderr == "apnsctl: warning: the key file \(fixture.keyPath) is accessible to group and others "
                + "(mode 644): run chmod 600 \(fixture.keyPath)\n")
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: fixture.keyPath)
            let private_ = try Tool.run(try BinarySmokeTests.binary(), arguments)
            #expect(private_.status == 0 && private_.stderr.isEmpty, "\(private_.stderr)")
        }

        @Test("report, prune list, summary and metrics are created 0600; --file-mode changes it; existing files keep theirs")
        func fileModes() throws {
            let fixture = try MockFixture(respond: ["dead=410:Unregistered"])
            let gone = "dead" + String(repeating: "0", count: 60)
            let input = try fixture.write("in.csv", "token\n\(deviceToken("abcd", 1))\n\(gone)\n")
            func run(_ extra: [String]) throws -> Int32 {
                try fixture.send(["--input", input, "--payload", #"{"aps":{"badge":1}}"#, "--topic", MockFixture.topic,
                                  "--report", fixture.path("report.jsonl"), "--prune-list", fixture.path("gone.txt"),
                                  "--summary-json", fixture.path("summary.json"),
                                  "--metrics-file", fixture.path("metrics.prom")] + extra + fixture.connection).status
            }
            func mode(_ name: String) -> Int {
                ((try? FileManager.default.attributesOfItem(atPath: fixture.path(name)))?[.posixPermissions] as? Int) ?? -1
            }
            let names = ["report.jsonl", "gone.txt", "summary.json", "metrics.prom"]
            // The 410 is APNs' final word about that token: the run exits 0.
            #expect(try run([]) == 0)
            for name in names { #expect(mode(name) == 0o600, "\(name): \(String(mode(name), radix: 8))") }

            for name in names { try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: fixture.path(name)) }
            #expect(try run(["--force"]) == 0, "the report exists: starting over takes --force")
            for name in names { #expect(mode(name) == 0o640, "\(name) keeps its mode: \(String(mode(name), radix: 8))") }

            for name in names { try FileManager.default.removeItem(atPath: fixture.path(name)) }
            #expect(try run(["--file-mode", "0604"]) == 0)
            let umask = Self.umask()
            for name in names { #expect(mode(name) == 0o604 & ~umask, "\(name): \(String(mode(name), radix: 8))") }
        }

        static func umask() -> Int {
            let old = Foundation.umask(0o022)
            _ = Foundation.umask(old)
            return Int(old)
        }
    }
}
