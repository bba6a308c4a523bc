import Testing
@testable import apnsctl

@Suite("send: progress, summary, metrics and log options")
struct SendOptionsMonitoringTests {
    @Test("Defaults: progress auto, text logs, no summary JSON or metrics, campaign from the input name")
    func defaults() throws {
        let options = try #require(sendOptions(validSend))
        #expect(options.progress == .auto)
        #expect(options.logFormat == .text)
        #expect(options.summaryJSON == nil)
        #expect(options.metricsFile == nil)
        #expect(options.campaign == "recipients")
        #expect(try #require(sendOptions(validDeviceSend)).campaign == "devices")
    }

    @Test("Each option lands in its field")
    func mapping() throws {
        let options = try #require(sendOptions(validSend + [
            "--progress", "never", "--summary-json", "s.json", "--metrics-file", "/var/lib/m.prom",
            "--campaign", "weekly \"A\"", "--log-format", "json",
        ]))
        #expect(options.progress == .never)
        #expect(options.summaryJSON == "s.json")
        #expect(options.metricsFile == "/var/lib/m.prom")
        #expect(options.campaign == "weekly \"A\"")
        #expect(options.logFormat == .json)
    }

    @Test("The default campaign name is the input file's name without directories and extensions",
          arguments: [
              ("/data/weekly-2024.csv", "weekly-2024"), ("list.jsonl.gz", "list"), ("a.ndjson", "a"),
              ("noext", "noext"), ("dir/x.tsv", "x.tsv"), ("-", "stdin"), (".csv", "campaign"),
          ])
    func campaignName(input: String, expected: String) {
        #expect(defaultCampaignName(input: input) == expected)
    }

    static let errorCases: [([String], String)] = [
        (removing("--report", from: validSend) + ["--report", "-", "--summary-json", "-"],
         "--summary-json - and the report would both go to stdout; write one of them to a file"),
        (validSend + ["--metrics-file", "-"], "--metrics-file needs a file (it is replaced atomically), not -"),
        (validSend + ["--progress", "sometimes"], "--progress: 'sometimes' is not one of auto, always, never"),
        (validSend + ["--log-format", "jsn"], "--log-format: 'jsn' is not one of text, json (did you mean 'json'?)"),
    ]

    @Test("Conflicts and bad values", arguments: errorCases)
    func errors(args: [String], message: String) {
        #expect(usageMessage(args) == message)
    }

    @Test("The progress line: on a terminal unless --quiet or never; always forces it")
    func progressDecision() {
        #expect(TerminalInfo.showsProgress(.auto, quiet: false, isTerminal: true))
        #expect(!TerminalInfo.showsProgress(.auto, quiet: false, isTerminal: false))
        #expect(!TerminalInfo.showsProgress(.auto, quiet: true, isTerminal: true))
        #expect(TerminalInfo.showsProgress(.always, quiet: false, isTerminal: false))
        #expect(!TerminalInfo.showsProgress(.always, quiet: true, isTerminal: true))
        #expect(!TerminalInfo.showsProgress(.never, quiet: false, isTerminal: true))
        // Report lines on the same terminal would interleave with the progress line.
        #expect(!TerminalInfo.showsProgress(.auto, quiet: false, isTerminal: true, reportOnTerminal: true))
        #expect(!TerminalInfo.showsProgress(.always, quiet: false, isTerminal: true, reportOnTerminal: true))
    }

    @Test("The new path options complete files, the new fixed sets their choices, in every script")
    func completions() {
        typealias S = OptionSpec.Send
        for option in [S.summaryJSON, S.metricsFile, OptionSpec.config] {
            #expect(option.completion == .file, "\(option.longFlag)")
        }
        #expect(S.progress.choices == ["auto", "always", "never"])
        #expect(S.logFormat.choices == ["text", "json"])
        #expect(S.environment.choices == ["sandbox", "production"])
        let fish = GenerateTarget.fish.render()
        #expect(fish.contains("-l metrics-file -r -F"))
        #expect(fish.contains("-l environment -x -a 'sandbox production'"))
        #expect(GenerateTarget.bash.render().contains("--progress) _apnsctl_reply \"$prefix\" -W 'auto always never'"))
    }
}
