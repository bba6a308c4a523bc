import Testing
import PushCore
@testable import apnsctl
import PushMock

@Suite("mock: options for broken servers, outages and raw timestamps")
struct MockOptionsBrokenServerTests {
    @Test("Each connection-opening switch sets its behaviour", arguments: [
        (["--close-on-connect"], ConnectionOpening.closeOnConnect),
        (["--goaway-on-connect"], .goAwayOnConnect),
        (["--no-settings"], .noSettings),
        (["--stall", "handshake"], .stallHandshake),
        (["--stall", "read"], .stallReads),
        ([], .serve),
    ])
    func opening(arguments: [String], expected: ConnectionOpening) throws {
        let options = try #require(mockOptions(["mock"] + arguments))
        #expect(options.opening == expected)
        #expect(mockConfiguration(options, verifier: nil).opening == expected)
    }

    @Test("Two connection-opening switches exclude each other")
    func openingsExclude() {
        #expect(usageMessage(["mock", "--close-on-connect", "--stall", "read"])
            == "--close-on-connect and --stall read exclude each other (a connection misbehaves in one way at a time)")
        #expect(usageMessage(["mock", "--goaway-on-connect", "--no-settings"])?.contains("exclude each other") == true)
        #expect(usageMessage(["mock", "--stall", "forever"])?.hasPrefix("--stall: 'forever' is not one of handshake, read")
            == true)
    }

    @Test("--max-streams 0 is allowed (no stream ever); negative is not")
    func zeroStreams() throws {
        #expect(try #require(mockOptions(["mock", "--max-streams", "0"])).maxStreams == 0)
        #expect(usageMessage(["mock", "--max-streams", "-1"]) != nil)
    }

    @Test("--outage FROM..TO with a mode; 503 by default")
    func outage() throws {
        let unavailable = try #require(mockOptions(["mock", "--outage", "10s..40s"]))
        #expect(unavailable.outage == MockOutage(startMs: 10_000, endMs: 40_000, mode: .unavailable))
        let refuse = try #require(mockOptions(["mock", "--outage", "500ms..2m", "--outage-mode", "refuse"]))
        #expect(refuse.outage == MockOutage(startMs: 500, endMs: 120_000, mode: .refuse))
        #expect(mockConfiguration(refuse, verifier: nil).outage == refuse.outage)
        #expect(try #require(mockOptions(["mock"])).outage == nil)
    }

    @Test("A malformed --outage says what is wrong", arguments: [
        (["--outage", "10s"], "--outage: '10s' is not FROM..TO with durations (for example 10s..40s)"),
        (["--outage", "10s-40s"], "--outage: '10s-40s' is not FROM..TO with durations (for example 10s..40s)"),
        (["--outage", "1s..2s..3s"], "--outage: '1s..2s..3s' is not FROM..TO with durations (for example 10s..40s)"),
        (["--outage", "40s..10s"], "--outage: '40s..10s' ends before it begins (FROM must be less than TO)"),
        (["--outage-mode", "refuse"], "--outage-mode needs --outage"),
        (["--outage", "1s..2s", "--outage-mode", "down"], nil),
    ])
    func outageMistakes(arguments: [String], message: String?) {
        let got = usageMessage(["mock"] + arguments)
        #expect(got != nil)
        if let message { #expect(got == message) }
    }

    @Test("--timestamp PREFIX=TEXT keeps the text verbatim, in order")
    func timestamps() throws {
        let options = try #require(mockOptions(["mock", "--respond", "aa=410:Unregistered", "--timestamp", "aa01=1e19",
                                                "--timestamp", "aa02=-1e300", "--timestamp", "=\"soon\""]))
        let rules = [MockTimestampRule(prefix: "aa01", text: "1e19"), MockTimestampRule(prefix: "aa02", text: "-1e300"),
                     MockTimestampRule(prefix: "", text: "\"soon\"")]
        #expect(options.timestamps == rules)
        #expect(mockConfiguration(options, verifier: nil).timestampRules == rules)
    }

    @Test("A malformed --timestamp says what is wrong", arguments: [
        ("1e19", "--timestamp: '1e19' is not PREFIX=TEXT (for example dead=1e19)"),
        ("AA=1", "--timestamp: prefix 'AA' in 'AA=1' is not lowercase hex"),
        ("aa=", "--timestamp: the timestamp in 'aa=' is not printable ASCII without spaces (for example aa=1e400)"),
        ("aa=1 2", "--timestamp: the timestamp in 'aa=1 2' is not printable ASCII without spaces (for example aa=1e400)"),
    ])
    func timestampMistakes(text: String, message: String) {
        #expect(usageMessage(["mock", "--timestamp", text]) == message)
    }
}
