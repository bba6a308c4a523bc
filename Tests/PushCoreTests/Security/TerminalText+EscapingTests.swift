import Testing
@testable import PushCore

@Suite("TerminalText: server text cannot drive the terminal")
struct TerminalTextEscapingTests {
    @Test("control characters, DEL, C1 and bidi overrides are escaped; the rest is kept")
    func escapes() {
        #expect(TerminalText.escape("Shutdown") == "Shutdown")
        #expect(TerminalText.escape("Bad\u{1b}]0;pwned\u{07}Token") == "Bad\\x1b]0;pwned\\x07Token")
        #expect(TerminalText.escape("a\nb\rc\td") == "a\\x0ab\\x0dc\\x09d")
        #expect(TerminalText.escape("\u{7f}\u{9b}31m") == "\\x7f\\x9b31m")
        #expect(TerminalText.escape("abc\u{202e}txt") == "abc\\u{202e}txt")
        #expect(TerminalText.escape("é ✓ 日本") == "é ✓ 日本")
        // A backslash is doubled once anything is escaped, so "\x1b" typed by a server is not mistaken for ESC.
        #expect(TerminalText.escape("\\x1b\u{1b}") == "\\\\x1b\\x1b")
        #expect(TerminalText.escapeLines("one\u{1b}\ntwo") == "one\\x1b\ntwo")
    }

    @Test("reasons in the summary (from answers and from report files) are escaped")
    func summaryReasons() {
        var summary = RunSummary(startedAtMs: 0)
        summary.record(ReportRow(line: 1, token: "ab", outcome: .rejected, status: 400, reason: "Evil\u{1b}[2J",
                                 attempts: 1, latencyMs: 1, finishedAtMs: 1))
        let text = summary.render()
        #expect(!text.contains("\u{1b}"))
        #expect(text.contains("Evil\\x1b[2J"))
    }
}
