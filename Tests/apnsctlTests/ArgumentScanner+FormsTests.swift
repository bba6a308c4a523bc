import Testing
@testable import apnsctl

@Suite("Argument scanner: option forms")
struct ArgumentScannerFormsTests {
    @Test("--opt value and --opt=value give the same value")
    func longForms() {
        let spaced = sendOptions(validSend + ["--concurrency", "250"])
        let joined = sendOptions(validSend + ["--concurrency=250"])
        #expect(spaced?.concurrency == 250)
        #expect(joined?.concurrency == 250)
    }

    @Test("-c 10, -c10 and -c=10 all set --concurrency", arguments: [["-c", "10"], ["-c10"], ["-c=10"]])
    func shortForms(_ form: [String]) {
        #expect(sendOptions(validSend + form)?.concurrency == 10)
    }

    @Test("--opt=value keeps everything after the first =")
    func valueWithEquals() {
        let options = sendOptions(removing("--template", from: validSend) + [#"--payload={"a":"b=c"}"#])
        #expect(options?.payload == #"{"a":"b=c"}"#)
    }

    @Test("Bundled short flags: -vq, -vvv, and a value option last in the bundle")
    func bundles() {
        let vq = sendOptions(validSend + ["-vq"])
        #expect(vq?.verbosity == 1)
        #expect(vq?.quiet == true)
        #expect(sendOptions(validSend + ["-vvv"])?.verbosity == 3)
        let attached = sendOptions(validSend + ["-vc20"])
        #expect(attached?.verbosity == 1)
        #expect(attached?.concurrency == 20)
        let separate = sendOptions(validSend + ["-vc", "30"])
        #expect(separate?.concurrency == 30)
    }

    @Test("Repeatable options accumulate in order")
    func repeatables() {
        let args = removing("--input", from: removing("--report", from: validSend))
            + ["--device", "aa", "-d", "bb", "--device=cc", "-ddd"]
        #expect(sendOptions(args)?.devices == ["aa", "bb", "cc", "dd"])
        #expect(sendOptions(validSend + ["-v", "--verbose", "-v"])?.verbosity == 3)
        let mock = mockOptions(["mock", "--respond", "aa=400:BadDeviceToken", "--respond=bb=410:Unregistered"])
        #expect(mock?.respond.map(\.prefix) == ["aa", "bb"])
    }

    @Test("- is a value: stdin for --input, stdout for --report")
    func dashIsAValue() {
        let args = removing("--input", from: removing("--report", from: validSend))
            + ["--input", "-", "--report", "-"]
        let options = sendOptions(args)
        #expect(options?.input == "-")
        #expect(options?.report == "-")
    }

    @Test("-- ends options: what follows is an operand even if it looks like an option")
    func doubleDash() {
        #expect(invocation(["help", "--", "send"]) == .help(command: "send"))
        #expect(invocation(["generate", "--", "man"]) == .generate(.man))
        #expect(usageMessage(["help", "--", "--version"]) == "unknown command '--version'")
        #expect(usageMessage(validSend + ["--", "--concurrency"])
            == "send takes no arguments; unexpected '--concurrency'")
        // --help after -- is an operand, not a request for help.
        #expect(usageMessage(validSend + ["--", "--help"]) == "send takes no arguments; unexpected '--help'")
    }

    @Test("A word starting with - is not taken as a value")
    func dashWordsAreNotValues() {
        #expect(usageMessage(removing("--topic", from: validSend) + ["--topic", "--production"])
            == "--topic needs a value")
        #expect(usageMessage(validSend + ["-c", "-v"]) == "-c needs a value")
        #expect(usageMessage(validSend + ["--collapse-id"]) == "--collapse-id needs a value")
        #expect(usageMessage(validSend + ["--collapse-id="]) == "--collapse-id needs a value")
    }

    @Test("A negative number reaches the value check instead of 'needs a value'")
    func negativeNumbers() {
        #expect(usageMessage(validSend + ["--expiration", "-1"])
            == "--expiration: '-1' is not 0, a UNIX time, a duration (30s, 15m, 1h, 2d) or an RFC 3339 time")
        #expect(usageMessage(validSend + ["--concurrency", "-5"])
            == "--concurrency: '-5' is not a positive integer")
    }

    @Test("A flag given a value, an option given twice")
    func flagValueAndDuplicates() {
        #expect(usageMessage(validSend + ["--production=yes"]) == "--production takes no value")
        #expect(usageMessage(validSend + ["--topic", "other"]) == "--topic was given more than once")
        #expect(usageMessage(validSend + ["--sandbox", "--sandbox"]) == "--sandbox was given more than once")
    }

    @Test("Global -v and -q before the command count for the command")
    func globalFlagsBeforeCommand() {
        let options = sendOptions(["-v", "-v"] + validSend + ["-v"])
        #expect(options?.verbosity == 3)
        #expect(mockOptions(["-q", "mock"])?.quiet == true)
        #expect(usageMessage(["-v", "mock"]) == "--verbose does not apply to 'mock'")
        #expect(usageMessage(["-q", "generate", "man"]) == "--quiet does not apply to 'generate'")
    }

    @Test("Choices are checked while scanning, with a suggestion")
    func choices() {
        #expect(usageMessage(validSend + ["--format", "xml"]) == "--format: 'xml' is not one of csv, jsonl")
        #expect(usageMessage(validSend + ["--push-type", "alrt"]) == "--push-type: 'alrt' is not one of "
            + "alert, background, complication, controls, fileprovider, liveactivity, location, mdm, pushtotalk, "
            + "voip, widgets (did you mean 'alert'?)")
        #expect(usageMessage(validSend + ["--priority", "3"]) == "--priority: '3' is not one of 10, 5, 1")
        #expect(usageMessage(validSend + ["--report-format", "json"])
            == "--report-format: 'json' is not one of jsonl, csv (did you mean 'jsonl'?)")
    }

    @Test("isValueWord: plain words, '-', and negative numbers only")
    func valueWords() {
        #expect(ArgumentScanner.isValueWord("abc"))
        #expect(ArgumentScanner.isValueWord("-"))
        #expect(ArgumentScanner.isValueWord("-12"))
        #expect(!ArgumentScanner.isValueWord("-v"))
        #expect(!ArgumentScanner.isValueWord("--"))
        #expect(!ArgumentScanner.isValueWord("-1a"))
    }
}
