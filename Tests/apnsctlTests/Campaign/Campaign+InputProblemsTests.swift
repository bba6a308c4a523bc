import Foundation
import Testing
@testable import apnsctl

@Suite("The built apnsctl: bad input is caught before it costs a push", .enabled(if: CampaignHarness.canRun))
struct CampaignInputProblemsTests {
    @Test("A CSV without the token column: exit 2, nothing sent, no report written")
    func missingTokenColumn() throws {
        let harness = try CampaignHarness()
        try harness.write("people.csv", "email,device\nx@example.com,aa01\n")
        try harness.startMock()
        let result = try harness.run(harness.sendArguments(input: "people.csv", report: "report.jsonl"))
        #expect(result.status == ExitStatus.usage.rawValue)
        #expect(result.stderr == """
            apnsctl: \(harness.path("people.csv")): the header row has no 'token' column (its columns: 'email', 'device'); name the token column with --token-field
            Try 'apnsctl send --help'.

            """)
        #expect(!FileManager.default.fileExists(atPath: harness.path("report.jsonl")))
        #expect(try harness.mockRequestLines().isEmpty)
    }

    @Test("check on a malformed file: every bad line in the report with its reason, exit 1")
    func checkReportsEveryLine() throws {
        let harness = try CampaignHarness()
        try harness.write("in.jsonl", """
            {"token":"aa01","name":"A"}
            [1]

            {"token":"aa02","name":}
            {"token":"zz","name":"C"}

            """)
        let result = try harness.run(["check", "--input", harness.path("in.jsonl"), "--payload", #"{"aps":{"alert":"{{name}}"}}"#,
                                      "--topic", CampaignHarness.topic, "--quiet"])
        #expect(result.status == 1)
        #expect(result.stderr == "")
        let lines = result.stdout.split(separator: "\n").map { String($0) }
        #expect(lines.count == 4)
        #expect(lines[0].hasPrefix(#"{"line":1,"token":"aa01","outcome":"valid","#))
        #expect(lines[1].hasPrefix(#"{"line":2,"token":"","outcome":"invalid","status":null,"reason":"expected a JSON object, found an array""#))
        #expect(lines[2].hasPrefix(#"{"line":4,"token":"","outcome":"invalid","status":null,"reason":"unexpected '}', expected a value at column 24""#))
        #expect(lines[3].hasPrefix(#"{"line":5,"token":"zz","outcome":"invalid","status":null,"reason":"field 'token': 'z' at position 1 is not a hex digit""#))
    }
}
