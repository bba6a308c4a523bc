import Foundation
import Testing
import PushCore

extension EndToEndTests {
    /// Scenario 6: usage errors exit 2 before anything is sent (the mock sees no request, no report is written).
    @Suite("Usage errors exit 2 and send nothing")
    struct Usage {
        /// Runs `send` with `arguments` against a fresh mock; returns the result and the mock's log.
        static func run(_ fixture: MockFixture, _ arguments: [String]) throws -> (ChildProcess.Result, MockLog) {
            let result = try fixture.send(arguments)
            return (result, try fixture.stopMock())
        }

        @Test("A missing --topic")
        func missingTopic() throws {
            let fixture = try MockFixture()
            let input = try fixture.write("in.csv", "token\n\(deviceToken("aa", 1))\n")
            let reportPath = fixture.path("r.jsonl")
            let (result, log) = try Self.run(fixture, ["--input", input, "--payload", #"{"aps":{}}"#,
                                                       "--report", reportPath] + fixture.connection)
            #expect(result.status == 2)
            #expect(result.stderr.hasPrefix("apnsctl: --topic is required"))
            #expect(result.stderr.hasSuffix("Try 'apnsctl send --help'.\n"))
            #expect(log.requests.isEmpty)
            #expect(!FileManager.default.fileExists(atPath: reportPath))
        }

        @Test("A template that is not JSON names the file, line and column")
        func templateNotJSON() throws {
            let fixture = try MockFixture()
            let input = try fixture.write("in.csv", "token,name\n\(deviceToken("aa", 1)),Ann\n")
            let template = try fixture.write("welcome.json", "{\"aps\":\n  {\"alert\": \"Hi {{name}}\" oops}}\n")
            let reportPath = fixture.path("r.jsonl")
            let (result, log) = try Self.run(fixture, ["--input", input, "--template", template, "--topic", MockFixture.topic,
                                                       "--report", reportPath] + fixture.connection)
            #expect(result.status == 2, "stderr:\n\(result.stderr)")
            #expect(result.stderr == "apnsctl: \(template):2:27: expected ',' or '}', found 'o'\nTry 'apnsctl send --help'.\n")
            #expect(log.requests.isEmpty)
            #expect(!FileManager.default.fileExists(atPath: reportPath))
        }

        @Test("A CSV without the token column: exit 2 before anything is sent, listing the columns it has")
        func missingTokenColumn() throws {
            let fixture = try MockFixture()
            let input = try fixture.write("people.csv", "email,device\nann@example.com,\(deviceToken("aa", 1))\n")
            let reportPath = fixture.path("r.jsonl")
            let (result, log) = try Self.run(fixture, ["--input", input, "--payload", #"{"aps":{}}"#,
                                                       "--topic", MockFixture.topic, "--report", reportPath]
                                                       + fixture.connection)
            #expect(result.status == 2, "stderr:\n\(result.stderr)")
            #expect(result.stderr == """
                apnsctl: \(input): the header row has no 'token' column (its columns: 'email', 'device'); \
                name the token column with --token-field
                Try 'apnsctl send --help'.

                """)
            #expect(log.requests.isEmpty)
            #expect(!FileManager.default.fileExists(atPath: reportPath))
        }

        @Test("An input file that cannot be opened stays a fatal error (exit 3), not a usage error")
        func unreadableInput() throws {
            let fixture = try MockFixture()
            let missing = fixture.path("nowhere.csv")
            let (result, log) = try Self.run(fixture, ["--input", missing, "--payload", #"{"aps":{}}"#,
                                                       "--topic", MockFixture.topic, "--report", fixture.path("r.jsonl")]
                                                       + fixture.connection)
            #expect(result.status == 3, "stderr:\n\(result.stderr)")
            #expect(result.stderr == "apnsctl: \(missing): cannot open: No such file or directory\n")
            #expect(log.requests.isEmpty)
        }

        @Test("--token-field names another column: the same file is then sent (scenario 7: no JWT in the mock log)")
        func tokenFieldFixesIt() throws {
            let fixture = try MockFixture()
            let token = deviceToken("aa", 1)
            let input = try fixture.write("people.csv", "email,device\nann@example.com,\(token)\n")
            let (result, log) = try Self.run(fixture, ["--input", input, "--token-field", "device",
                                                       "--payload", #"{"aps":{"alert":"to {{email}}"}}"#,
                                                       "--topic", MockFixture.topic, "--report", fixture.path("r.jsonl")]
                                                       + fixture.connection)
            #expect(result.status == 0, "stderr:\n\(result.stderr)")
            #expect(log.tokens == [token])
            #expect(try log.request(for: token)["payload"] == ["aps": ["alert": "to ann@example.com"]])
            // The request log records every request but never the bearer token (JWTs start with eyJ).
            #expect(log.text.contains("\"token\":\"\(token)\""))
            #expect(!log.text.contains("eyJ") && !log.text.lowercased().contains("bearer"))
        }
    }
}
