import Foundation
import PushCore
import Testing
@testable import apnsctl

@Suite("apnsctl send against apnsctl mock: summary, metrics, progress, closed pipes", .timeLimit(.minutes(TestTime.minutes(2))))
struct SendLiveTests {
    @Test("The summary on stderr, --summary-json and --metrics-file tell the same story; -v logs JSON lines")
    func summaryAndMetrics() throws {
        let mock = try MockFixture(respond: ["0bad=400:BadDeviceToken"])
        let input = try mock.writeRecipients("nightly.csv", rows: 300, rejectEvery: 10, invalidRow: true)
        let campaign = #"nightly "A""#
        let result = try Tool.run(try BinarySmokeTests.binary(), mock.sendArguments(input: input, extra: [
            "--report", mock.path("report.jsonl"), "--summary-json", mock.path("summary.json"),
            "--metrics-file", mock.path("apnsctl.prom"), "--campaign", campaign, "-v", "--log-format", "json",
        ]))
        #expect(result.status == ExitStatus.undelivered.rawValue)
        #expect(result.stdout == "")

        // stderr: JSON event lines, then the fixed summary block; no progress line (stderr is a file).
        #expect(!result.stderr.contains("\u{1B}["))
        let lines = result.stderr.split(separator: "\n").map(String.init)
        let events = lines.filter { $0.hasPrefix("{") }
        let names = events.compactMap { try? JSONParser.parse($0).objectValue?["event"]?.stringValue }
        #expect(names.count == events.count)
        // First the build that sent the campaign (the --version line).
        let build = try #require(events.first.flatMap { try? JSONParser.parse($0).objectValue })
        #expect(build["event"] == .string("build"))
        #expect(build["message"] == .string(BuildInfo.running.line))
        // Then the push type the rows are sent with, and the connection events.
        let pushType = try #require(events.dropFirst().first.flatMap { try? JSONParser.parse($0).objectValue })
        #expect(pushType["event"] == .string("push_type") && pushType["push_type"] == .string("alert"))
        #expect(pushType["message"]?.stringValue?.hasPrefix("push type: alert (inferred from --payload)") == true)
        #expect(names.dropFirst(2).first == "connected")
        #expect(names.contains("settings"))
        let summary = lines.filter { !$0.hasPrefix("{") }
        #expect(summary.count == 6)
        #expect(summary.first?.hasPrefix("apnsctl: sent to 127.0.0.1:\(mock.port) in ") == true)
        #expect(summary.dropFirst().first == "rows: 301 total, 270 delivered, 30 rejected, 0 failed, 1 invalid")
        #expect(summary.dropFirst(2).first == "statuses: 270 200, 30 400")
        #expect(summary.dropFirst(3).first?.hasPrefix("reasons: 30 BadDeviceToken, 1 ") == true)
        #expect(summary.dropFirst(4).first?.hasPrefix("latency: p50 ") == true)
        #expect(summary.last == "connections: 1 opened, 0 reconnects, 0 GOAWAYs")

        // The JSON summary: the same counts, the campaign and the exit status.
        let json = try #require(try JSONParser.parse(String(contentsOfFile: mock.path("summary.json"), encoding: .utf8))
            .objectValue)
        #expect(json["rows"] == ["total": 301, "delivered": 270, "rejected": 30, "failed": 0, "invalid": 1, "valid": 0, "skipped": 0, "stopped": 0])
        #expect(json["statuses"] == ["200": 270, "400": 30])
        #expect(json["reasons"]?.objectValue?["BadDeviceToken"] == 30)
        #expect(json["campaign"] == .string(campaign))
        #expect(json["exit_status"] == 1)
        #expect(json["connections_opened"] == 1)
        #expect(json["version"] == .string(BuildInfo.running.line))

        // The metrics file: the same counts, the escaped campaign label, a last success (the run read to the end).
        let metrics = try String(contentsOfFile: mock.path("apnsctl.prom"), encoding: .utf8)
        let label = #"campaign="nightly \"A\"""#
        for expected in [
            "apnsctl_notifications_total{\(label),outcome=\"delivered\"} 270",
            "apnsctl_notifications_total{\(label),outcome=\"rejected\"} 30",
            "apnsctl_notifications_total{\(label),outcome=\"invalid\"} 1",
            "apnsctl_notification_reasons_total{\(label),reason=\"BadDeviceToken\"} 30",
            "apnsctl_rows_read_total{\(label)} 301",
            "apnsctl_rows_in_flight{\(label)} 0",
            "apnsctl_run_finished{\(label)} 1",
            "apnsctl_exit_status{\(label)} 1",
        ] {
            #expect(metrics.contains("\n" + expected + "\n"), "metrics lack \(expected)")
        }
        #expect(metrics.contains("\napnsctl_last_success_timestamp_seconds{\(label)} "))
        // Written atomically: no temporary file is left next to it.
        let files = try FileManager.default.contentsOfDirectory(atPath: mock.directory.path)
        #expect(!files.contains { $0.contains(".tmp-") }, "\(files)")
        // The report has a line per row.
        let report = try String(contentsOfFile: mock.path("report.jsonl"), encoding: .utf8)
        #expect(report.split(separator: "\n").count == 301)
    }

    @Test("A metrics file that cannot be written stops the run before anything is sent")
    func unwritableMetrics() throws {
        let mock = try MockFixture()
        let input = try mock.writeRecipients("r.csv", rows: 3)
        let result = try Tool.run(try BinarySmokeTests.binary(), mock.sendArguments(input: input, extra: [
            "--report", mock.path("report.jsonl"), "--metrics-file", mock.path("missing-dir/m.prom"),
        ]))
        #expect(result.status == ExitStatus.fatal.rawValue)
        #expect(result.stderr.hasPrefix("apnsctl: --metrics-file: "))
        #expect(result.stderr.contains("No such file or directory"))
        #expect(try String(contentsOfFile: mock.path("report.jsonl"), encoding: .utf8).isEmpty)
    }

    @Test("`--report - | head -1`: the closed pipe stops sending; exit 1, a summary, no 'Broken pipe'")
    func closedReportPipe() throws {
        let mock = try MockFixture()
        let rows = 20_000
        let input = try mock.writeRecipients("big.csv", rows: rows)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try BinarySmokeTests.binary())
        process.arguments = mock.sendArguments(input: input, extra: ["--report", "-", "--concurrency", "20"])
        let out = Pipe()
        let errURL = mock.directory.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err
        try process.run()

        // Read the first line, as `head -1` does, then go away.
        var first = Data()
        while !first.contains(UInt8(ascii: "\n")) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            first.append(chunk)
        }
        try out.fileHandleForReading.close()
        process.waitUntilExit()
        try err.close()

        let line = String(decoding: first.prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self)
        #expect(try JSONParser.parse(line).objectValue?["outcome"] == .string("delivered"))
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == ExitStatus.undelivered.rawValue)
        let stderr = try String(contentsOf: errURL, encoding: .utf8)
        #expect(!stderr.lowercased().contains("broken pipe"), "\(stderr)")
        #expect(!stderr.contains("cannot write"), "\(stderr)")
        #expect(stderr.contains("\napnsctl: stopped sending: the reader of the report on stdout went away\n"))
        // Sending stopped early: the summary counts far fewer rows than the input has.
        let total = stderr.split(separator: "\n").first { $0.hasPrefix("rows: ") }
            .flatMap { Int($0.dropFirst("rows: ".count).prefix { $0.isNumber }) }
        let counted = try #require(total)
        #expect(counted > 0 && counted < rows)
    }

    @Test("On a terminal: a progress line redrawn in place, erased before the summary",
          .enabled(if: PseudoTerminal.available))
    func progressOnTerminal() throws {
        let mock = try MockFixture()
        let input = try mock.writeRecipients("r.csv", rows: 3000)
        let columns = 100
        let result = try PseudoTerminal.run([try BinarySmokeTests.binary()] + mock.sendArguments(input: input, extra: [
            "--report", mock.path("report.jsonl"), "--concurrency", "2",
        ]), columns: columns)
        #expect(result.status == 0, "\(result.stdout)")
        let output = result.stdout
        let erase = ProgressLine.erase
        // Each frame: erase, then "rows N (P%), ..."; at least two of them means it was redrawn in place.
        let frames = output.components(separatedBy: erase).dropFirst().filter { $0.hasPrefix("rows ") }
        #expect(frames.count >= 2, "\(output.debugDescription)")
        for frame in frames {
            let text = frame.prefix { $0 != "\r" && $0 != "\n" }
            #expect(text.count < columns, "frame wider than the terminal: \(text)")
            #expect(text.contains(" delivered, ") && text.contains("%)"), "\(text)")
        }
        // The last thing before the summary is an erase, and no frame follows the summary.
        let summaryStart = try #require(output.range(of: "apnsctl: sent to "))
        #expect(output[..<summaryStart.lowerBound].hasSuffix(erase))
        #expect(!output[summaryStart.lowerBound...].contains(erase))
        #expect(output.contains("rows: 3000 total, 3000 delivered"))
    }

    @Test("--progress never and --quiet keep the terminal free of progress lines", .enabled(if: PseudoTerminal.available))
    func progressOff() throws {
        let mock = try MockFixture()
        let input = try mock.writeRecipients("r.csv", rows: 50)
        for extra in [["--progress", "never"], ["--quiet"]] {
            let result = try PseudoTerminal.run([try BinarySmokeTests.binary()] + mock.sendArguments(input: input, extra: [
                "--report", mock.path("report\(extra[0]).jsonl"),   // one report each: a report is not started over silently
            ] + extra), columns: 80)
            #expect(result.status == 0)
            #expect(!result.stdout.contains(ProgressLine.erase), "\(extra)")
            #expect(result.stdout.contains("rows: 50 total") == (extra == ["--progress", "never"]))
        }
    }
}

extension SendLiveTests {
    @Test("--report - on a terminal: report lines only, never a progress line between them", .enabled(if: PseudoTerminal.available))
    func reportOnTheTerminal() throws {
        let mock = try MockFixture()
        let input = try mock.writeRecipients("r.csv", rows: 3000)
        let result = try PseudoTerminal.run([try BinarySmokeTests.binary()] + mock.sendArguments(input: input, extra: [
            "--report", "-", "--concurrency", "10", "--rate", "2000",
        ]), columns: 80)
        #expect(result.status == 0)
        #expect(!result.stdout.contains(ProgressLine.erase))
        #expect(result.stdout.components(separatedBy: #"{"line":"#).count == 3001)
        #expect(result.stdout.contains("rows: 3000 total"))
    }
}

@Suite("Signals reach apnsctl", .timeLimit(.minutes(TestTime.minutes(1))))
struct SignalDeliveryTests {
    @Test("SIGTERM stops apnsctl mock even when the parent thread had it blocked (test runners, supervisors)")
    func sigtermWhileBlockedInParent() throws {
        // Block SIGTERM on this thread, as libdispatch's worker threads do, so the child inherits the mask.
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGTERM)
        var previous = sigset_t()
        pthread_sigmask(SIG_BLOCK, &signals, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("apnsctl-signal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let portFile = directory.appendingPathComponent("port").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try BinarySmokeTests.binary())
        process.arguments = ["mock", "--listen", "127.0.0.1:0", "--port-file", portFile, "--quiet"]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        #expect(TestTime.waitUntil(seconds: 10) { FileManager.default.fileExists(atPath: portFile) })

        process.terminate()
        let stopped = TestTime.waitUntil(seconds: 5) { !process.isRunning }
        if !stopped { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        #expect(stopped, "apnsctl mock ignored SIGTERM")
        #expect(process.terminationReason == .exit && process.terminationStatus == 0)
    }
}
