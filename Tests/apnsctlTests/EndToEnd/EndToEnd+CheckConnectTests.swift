import Foundation
import Testing
@testable import apnsctl
import PushCore

extension EndToEndTests {
    @Suite("check --connect proves the credentials with one request to the all-zero token")
    struct CheckConnect {
        @Test("accepted credentials: the rows' status, a note on stderr, exactly one request reached the mock")
        func accepted() throws {
            let fixture = try MockFixture()
            let input = try fixture.write("rows.csv", "token,name\n\(deviceToken("ab", 1)),Ann\n")
            let check = try MockFixture.apnsctl(["check", "--connect", "--input", input, "--payload", #"{"aps":{"alert":"Hi {{name}}"}}"#,
                                                 "--topic", MockFixture.topic, "--report", fixture.path("c.jsonl")]
                                                + fixture.connection, in: fixture)
            let log = try fixture.stopMock()
            #expect(check.status == 0, "stderr:\n\(check.stderr)")
            #expect(check.stderr.contains("accepted the credentials"))
            #expect(log.tokens == [String(repeating: "0", count: 64)], "only the probe was sent, no row")
        }

        @Test("a key the server does not accept: exit 3 with what to check; no row is sent")
        func refused() throws {
            let fixture = try MockFixture()
            let other = try fixture.write("AuthKey_OTHER.p8", try ES256PrivateKey.generate().pkcs8PEM())
            let input = try fixture.write("rows.csv", "token,name\n\(deviceToken("ab", 1)),Ann\n")
            let check = try MockFixture.apnsctl(["check", "--connect", "--input", input, "--payload", #"{"aps":{"alert":"Hi"}}"#,
                                                 "--topic", MockFixture.topic, "--report", fixture.path("c.jsonl"),
                                                 "--key", other, "--key-id", MockFixture.keyID, "--team-id", MockFixture.teamID,
                                                 "--endpoint", "127.0.0.1:\(fixture.port)", "--ca-file", fixture.caPath],
                                                in: fixture)
            let log = try fixture.stopMock()
            #expect(check.status == 3)
            #expect(check.stderr.contains("InvalidProviderToken"))
            #expect(log.tokens.allSatisfy { $0 == String(repeating: "0", count: 64) })
        }

        @Test("--connect without a dry run is a usage error")
        func needsDryRun() throws {
            let fixture = try MockFixture()
            let run = try fixture.send(["--device", deviceToken("ab", 1), "--payload", #"{"aps":{}}"#, "--topic",
                                        MockFixture.topic, "--connect"] + fixture.connection)
            _ = try fixture.stopMock()
            #expect(run.status == 2)
            #expect(run.stderr.contains("--connect goes with apnsctl check"))
        }
    }
}

extension MockFixture {
    /// Runs `apnsctl` + `arguments` in the fixture's directory, at most `sendTimeLimit`.
    static func apnsctl(_ arguments: [String], in fixture: MockFixture) throws -> ChildProcess.Result {
        let child = try ChildProcess(try BinarySmokeTests.binary(), arguments, name: "apnsctl", directory: fixture.directory)
        return try child.wait(seconds: sendTimeLimit)
    }
}
