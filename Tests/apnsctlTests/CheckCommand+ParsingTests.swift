import Testing
import PushCore
@testable import apnsctl

@Suite("check and send --dry-run: parsing")
struct CheckCommandParsingTests {
    /// `validSend` without credentials.
    static let withoutCredentials = removing("--team-id", from: removing("--key-id", from: removing("--key", from: validSend)))

    @Test("check is a dry run that needs no credentials and reports to stdout by default")
    func checkDefaults() throws {
        let args = ["check"] + removing("--report", from: Self.withoutCredentials).dropFirst()
        guard case .success(.check(let options)) = parse(Array(args)) else {
            Issue.record("check did not parse: \(parse(Array(args)))")
            return
        }
        #expect(options.plan.dryRun)
        #expect(options.plan.command == "check")
        #expect(options.keyFile == nil)
        #expect(options.report == "-")
        #expect(options.input == "recipients.csv")
    }

    @Test("check takes every option of send but --dry-run")
    func sameOptions() {
        let sendNames = CommandSpec.send.options.map(\.long)
        let checkNames = CommandSpec.check.options.map(\.long)
        #expect(checkNames == sendNames.filter { $0 != "dry-run" })
        #expect(sendNames.contains("dry-run"))
        // The whole send command line works for check.
        guard case .success(.check(let options))? = Optional(parse(["check"] + validSend.dropFirst())) else {
            Issue.record("a send command line must parse as check")
            return
        }
        #expect(options.keyFile == "AuthKey_ABC123DEFG.p8")
        #expect(options.report == "report.jsonl")
        #expect(usageMessage(["check", "--dry-run"] + validSend.dropFirst()) == "unknown option '--dry-run' (it is an option of 'apnsctl send')")
    }

    @Test("send --dry-run needs no credentials; send without it still does")
    func sendDryRun() throws {
        let options = try #require(sendOptions(Self.withoutCredentials + ["--dry-run"]))
        #expect(options.plan.dryRun)
        #expect(options.plan.command == "send")
        #expect(usageMessage(Self.withoutCredentials) == "--key is required (the .p8 signing key; or set APNSCTL_KEY, or 'key = ...' in the config file)")
    }

    @Test("A --topic whose suffix contradicts --push-type is a usage error")
    func topicContradiction() {
        #expect(usageMessage(validSend + ["--push-type", "voip"]) == nil)
        let args = removing("--topic", from: validSend) + ["--topic", "com.example.app.complication", "--push-type", "voip"]
        #expect(usageMessage(args) == "--topic: 'com.example.app.complication' ends in '.complication', the suffix for push "
            + "type complication; push type voip needs '.voip' (give the bare bundle ID and apnsctl adds it)")
    }
}
