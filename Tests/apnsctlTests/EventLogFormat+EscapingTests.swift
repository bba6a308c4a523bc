import Testing
import PushCore
@testable import apnsctl

@Suite("-v log lines: server text is escaped in text format")
struct EventLogFormatEscapingTests {
    @Test("GOAWAY debug data with an escape sequence reaches stderr escaped; JSON keeps it exact (escaped as JSON)")
    func goawayReason() {
        let message = "connection 1: GOAWAY (error 0, last stream 7, reason Shut\u{1b}[31mdown)"
        let text = EventLogFormat.line(message, format: .text, timeMs: 0)
        #expect(text == "apnsctl: connection 1: GOAWAY (error 0, last stream 7, reason Shut\\x1b[31mdown)\n")
        let json = EventLogFormat.line(message, format: .json, timeMs: 0)
        #expect(!json.contains("\u{1b}") && json.contains("\\u001b") || json.contains("\\u001B"))
    }
}
