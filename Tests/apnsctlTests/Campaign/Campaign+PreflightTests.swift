import Foundation
import Testing
import PushCore
@testable import apnsctl

/// Mistakes of the whole run are caught before the first request (exit 2, nothing sent), a damaged input before it
/// is acted on, and a report that cannot be written stops the run without counting rows it does not hold.
@Suite("The built apnsctl: run-wide mistakes caught before sending", .enabled(if: CampaignHarness.canRun), .serialized)
struct CampaignPreflightTests {
    /// `send` arguments for the mock with `payload` as the template (nil: none) and the summary on stderr.
    static func arguments(_ harness: CampaignHarness, input: String, payload: String?, extra: [String] = []) -> [String] {
        var arguments = harness.sendArguments(input: input, report: "report.jsonl", extra: extra).filter { $0 != "--quiet" }
        let at = arguments.firstIndex(of: "--payload")!
        if let payload { arguments[at + 1] = payload } else { arguments.removeSubrange(at...(at + 1)) }
        return arguments
    }

    /// Runs `arguments` and checks that it exited 2 with `message` first and wrote no report (the mock's count of
    /// requests is checked once it stopped: its log is written out then).
    static func refused(_ harness: CampaignHarness, _ arguments: [String], _ message: String,
                        sourceLocation: SourceLocation = #_sourceLocation) throws {
        let result = try harness.run(arguments)
        #expect(result.status == ExitStatus.usage.rawValue, "stderr: \(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.hasPrefix("apnsctl: \(message)"), "stderr: \(result.stderr)", sourceLocation: sourceLocation)
        #expect(!FileManager.default.fileExists(atPath: harness.path("report.jsonl")), sourceLocation: sourceLocation)
    }

    @Test("A template placeholder, --keep field or token column the input lacks, or no payload at all: exit 2 naming it")
    func missingFields() throws {
        let harness = try CampaignHarness()
        try harness.write("in.csv", "token,first_name,user_id\n\(CampaignHarness.token(1)),Ada,7\n")
        try harness.startMock()
        let input = harness.path("in.csv")
        try Self.refused(harness, Self.arguments(harness, input: "in.csv", payload: #"{"aps":{"alert":"Hi {{frist_name}}"}}"#),
                         "\(input): the template uses field 'frist_name', which the header row does not have (its columns: "
                            + "'token', 'first_name', 'user_id') (did you mean 'first_name'?)")
        try Self.refused(harness, Self.arguments(harness, input: "in.csv", payload: #"{"aps":{"badge":1}}"#, extra: ["--keep", "user_idd"]),
                         "--keep: \(input) has no 'user_idd' column (its columns: 'token', 'first_name', 'user_id') "
                            + "(did you mean 'user_id'?)")
        try Self.refused(harness, Self.arguments(harness, input: "in.csv", payload: nil),
                         "\(input): nothing to send: give --template FILE or --payload JSON")
        try harness.write("upper.csv", "Token,name\n\(CampaignHarness.token(1)),Ada\n")
        try Self.refused(harness, Self.arguments(harness, input: "upper.csv", payload: #"{"aps":{}}"#),
                         "\(harness.path("upper.csv")): the header row has no 'token' column (its columns: 'Token', 'name'); "
                            + "did you mean 'Token'?")

        // JSONL: a field missing from every one of the first rows stops the run; missing from some rows, it is
        // those rows' problem.
        var lines = (1...150).map { #"{"token":"\#(CampaignHarness.token($0))","first_name":"N\#($0)"}"# }
        try harness.write("in.jsonl", lines.joined(separator: "\n") + "\n")
        try Self.refused(harness, Self.arguments(harness, input: "in.jsonl", payload: #"{"aps":{"alert":"{{frist_name}}"}}"#),
                         "\(harness.path("in.jsonl")): the template uses field 'frist_name', which none of the first 100 rows has")
        lines[4] = #"{"token":"\#(CampaignHarness.token(5))"}"#
        try harness.write("some.jsonl", lines.joined(separator: "\n") + "\n")
        let some = try harness.run(Self.arguments(harness, input: "some.jsonl", payload: #"{"aps":{"alert":"{{first_name}}"}}"#))
        #expect(some.status == 1, "stderr: \(some.stderr)")
        #expect(some.stderr.contains("reasons: 1 template field 'first_name' is missing\n"), "stderr: \(some.stderr)")
        harness.stopMock()
        #expect(try harness.mockRequestLines().count == 149, "only the run that was not refused sent")
    }

    @Test("A template that fits no push type, without --push-type: exit 2 unless the rows name theirs")
    func untypedTemplate() throws {
        let harness = try CampaignHarness()
        try harness.write("in.csv", "token,first_name\n\(CampaignHarness.token(1)),Ada\n")
        try harness.write("typed.csv", "token,push_type\n\(CampaignHarness.token(2)),alert\n\(CampaignHarness.token(3)),\n")
        let jsonl = (1...3).map { #"{"token":"\#(CampaignHarness.token($0))"}"# }.joined(separator: "\n") + "\n"
        try harness.write("in.jsonl", jsonl)
        try harness.startMock()
        let untyped = #"{"aps":{"mutable-content":1},"data":"{{first_name}}"}"#
        let advice = "--payload fits no push type ('aps' has no alert, sound, badge, content-available or event): set "
            + "--push-type (alert, background, complication, controls, fileprovider, liveactivity, location, mdm, "
            + "pushtotalk, voip, widgets) or give the rows a 'push_type' field"
        try Self.refused(harness, Self.arguments(harness, input: "in.csv", payload: untyped),
                         "\(harness.path("in.csv")): \(advice) (its columns: 'token', 'first_name')")
        try Self.refused(harness, Self.arguments(harness, input: "in.jsonl", payload: #"{"aps":{}}"#),
                         "\(harness.path("in.jsonl")): \(advice), which none of the first 3 rows has")
        var devices = Self.arguments(harness, input: "in.csv", payload: #"{"aps":{}}"#)
        let at = devices.firstIndex(of: "--input")!
        devices.replaceSubrange(at...(at + 1), with: ["--device", CampaignHarness.token(4)])
        try Self.refused(harness, devices, advice)

        // --push-type says, or the rows do: those with a push_type are sent, one without it is invalid and says why.
        let given = try harness.run(Self.arguments(harness, input: "in.csv", payload: untyped, extra: ["--push-type", "alert"]))
        #expect(given.status == 0, "stderr: \(given.stderr)")
        let typed = try harness.run(Self.arguments(harness, input: "typed.csv", payload: #"{"aps":{}}"#, extra: ["--force"]))
        #expect(typed.status == 1, "stderr: \(typed.stderr)")
        #expect(typed.stderr.contains("rows: 2 total, 1 delivered, 0 rejected, 0 failed, 1 invalid"), "stderr: \(typed.stderr)")
        let rows = try ReportReader(path: harness.path("report.jsonl")).readAll().sorted { $0.line < $1.line }
        #expect(rows.map(\.pushType) == [.alert, nil])
        #expect(rows.last?.reason?.hasPrefix("--payload fits no push type") == true)
        harness.stopMock()
        #expect(try harness.mockRequestLines().count == 2, "the run with --push-type and the typed row")
    }

    @Test("Flag values get the checks the same fields get in a row: exit 2 from check and send")
    func flagsAreChecked() throws {
        let harness = try CampaignHarness()
        try harness.writeRecipients("in.csv", count: 3)
        try harness.startMock()
        for command in ["check", "send"] {
            var collapse = Self.arguments(harness, input: "in.csv", payload: #"{"aps":{}}"#,
                                          extra: ["--collapse-id", String(repeating: "c", count: 65)])
            collapse[0] = command
            try Self.refused(harness, collapse, "--collapse-id: 65 bytes, over the 64-byte limit")
            var topic = Self.arguments(harness, input: "in.csv", payload: #"{"aps":{}}"#)
            topic[topic.firstIndex(of: CampaignHarness.topic)!] = "bad topic"
            topic[0] = command
            try Self.refused(harness, topic, "--topic: 'bad topic' contains spaces or control characters")
        }
        harness.stopMock()
        #expect(try harness.mockRequestLines().isEmpty)
    }

    @Test("An input that is not CSV or JSONL as read: CR-only line ends, a JSON array; refused before sending")
    func inputShapes() throws {
        let harness = try CampaignHarness()
        try harness.startMock()
        try harness.write("mac.csv", "token,name\r\(CampaignHarness.token(1)),Ada\r\(CampaignHarness.token(2)),Bob\r")
        try Self.refused(harness, Self.arguments(harness, input: "mac.csv", payload: #"{"aps":{}}"#),
                         "\(harness.path("mac.csv")): its lines end with a carriage return alone")
        var check = Self.arguments(harness, input: "mac.csv", payload: #"{"aps":{}}"#)
        check[0] = "check"
        try Self.refused(harness, check, "\(harness.path("mac.csv")): its lines end with a carriage return alone")
        try harness.write("array.json", #"[{"token":"\#(CampaignHarness.token(1))"}]"# + "\n")
        try Self.refused(harness, Self.arguments(harness, input: "array.json", payload: #"{"aps":{}}"#, extra: ["--format", "jsonl"]),
                         "\(harness.path("array.json")): this is a JSON array; apnsctl reads JSONL")
        harness.stopMock()
        #expect(try harness.mockRequestLines().isEmpty)
    }

    /// `in.csv.gz` with one hex digit of token 500 turned into another (a → c): stored blocks, so only the CRC
    /// tells, at the end.
    static func damagedGzip(_ harness: CampaignHarness, rows: Int) throws -> String {
        try harness.writeRecipients("in.csv", count: rows)
        let python = try #require(Tool.path("python3"), "python3 makes the damaged gzip file")
        let script = """
            import gzip, sys
            data = open(sys.argv[1], 'rb').read()
            gz = bytearray(gzip.compress(data, compresslevel=0))
            i = gz.find(b'ab' + b'0' * 59 + b'1f4')
            gz[i] ^= 0x02
            open(sys.argv[2], 'wb').write(gz)
            """
        let made = try Tool.run(python, ["-c", script, harness.path("in.csv"), harness.path("bad.csv.gz")])
        try #require(made.status == 0, "python3: \(made.stderr)")
        return harness.path("bad.csv.gz")
    }

    @Test("A damaged .gz file is refused before the first request; on stdin, the failed check exits 3 saying what was sent")
    func damagedGzipIsNotActedOn() throws {
        let harness = try CampaignHarness()
        let bad = try Self.damagedGzip(harness, rows: 2_000)
        try harness.startMock()
        let file = try harness.run(harness.sendArguments(input: "bad.csv.gz", report: "report.jsonl"))
        #expect(file.status == ExitStatus.fatal.rawValue)
        #expect(file.stderr == "apnsctl: \(bad): corrupt gzip data: incorrect data check: nothing was sent\n")
        harness.stopMock()
        #expect(try harness.mockRequestLines().isEmpty)
        try harness.startMock()

        let shell = harness.sendArguments(input: "stdin", report: "piped.jsonl")
            .map { $0 == harness.path("stdin") ? "-" : $0 }.map { "'\($0)'" }.joined(separator: " ")
        let result = try Tool.run("/bin/sh", ["-c", "'\(harness.binary)' \(shell) < '\(bad)'"])
        #expect(result.status == ExitStatus.fatal.rawValue, "stderr: \(result.stderr)")
        let written = try ReportReader(path: harness.path("piped.jsonl")).readAll().count
        #expect(written > 0)
        #expect(result.stderr.hasPrefix("apnsctl: stdin: corrupt gzip data: incorrect data check\n"), "stderr: \(result.stderr)")
        #expect(result.stderr.contains("apnsctl: stopped: \(written) rows of this run in the report; "))
    }

    @Test("A report that cannot be written stops the run at once; the summary counts no row the report lacks")
    func writeFailureStops() throws {
        let harness = try CampaignHarness()
        try harness.writeRecipients("in.csv", count: 2_000)
        try harness.startMock()
        var arguments = harness.sendArguments(input: "in.csv", report: "report.jsonl", extra: ["--concurrency", "10"])
            .filter { $0 != "--quiet" }
        arguments[arguments.firstIndex(of: harness.path("report.jsonl"))!] = "/dev/full"
        let result = try harness.run(arguments)
        #expect(result.status == ExitStatus.fatal.rawValue)
        #expect(result.stderr.hasPrefix("apnsctl: cannot write the report: /dev/full: cannot write: No space left on device\n"),
                "the error first: \(result.stderr)")
        #expect(result.stderr.contains("\nrows: 0 total, 0 delivered,"), "stderr: \(result.stderr)")
        harness.stopMock()
        let sent = try harness.mockRequestLines().count
        #expect(sent <= 100, "\(sent) requests after the first write failed")
    }
}
