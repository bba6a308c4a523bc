import Foundation
import Testing
@testable import apnsctl

@Suite("Man page: roff escaping and groff rendering")
struct ManPageRoffTests {
    @Test("Hyphens and backslashes are escaped; `code` turns bold")
    func escaping() {
        #expect(Roff.escape("--input") == "\\-\\-input")
        #expect(Roff.escape("a\\b") == "a\\eb")
        #expect(Roff.inline("use `--key` here") == "use \\fB\\-\\-key\\fR here")
        #expect(Roff.inline("`a` and `b`") == "\\fBa\\fR and \\fBb\\fR")
        #expect(Roff.inline("plain") == "plain")
        #expect(Roff.quoted("say \"hi\"") == "\"say \\(dqhi\\(dq\"")
    }

    @Test("Lines starting with . or ' cannot become requests")
    func requestCharacters() {
        #expect(Roff.textLine(".p8 files") == "\\&.p8 files")
        #expect(Roff.textLine("'quoted'") == "\\&'quoted'")
        #expect(Roff.textLine("plain .") == "plain .")
        let literal = ManPageRenderer.literal(".hidden\n'tick")
        #expect(literal.contains("\\&.hidden"))
        #expect(literal.contains("\\&'tick"))
    }

    @Test("No text line of the man page starts with a bare . or ' that is not a request")
    func noStrayRequests() {
        let requests: Set<String> = [".TH", ".SH", ".SS", ".PP", ".TP", ".RS", ".RE", ".nf", ".fi", ".\\\""]
        for line in ManPageRenderer.render().split(separator: "\n") where line.hasPrefix(".") || line.hasPrefix("'") {
            let request = String(line.prefix { $0 != " " })
            #expect(requests.contains(request), "unexpected request line: \(line)")
        }
    }

    @Test("Option names in the man page never carry an unescaped hyphen")
    func hyphens() {
        for line in ManPageRenderer.render().split(separator: "\n") where !line.hasPrefix(".\\\"") {
            #expect(!line.contains("--"), "unescaped hyphens: \(line)")
        }
    }

    @Test("groff renders the page without a single warning", .enabled(if: Tool.has("groff")))
    func groffClean() throws {
        let groff = try #require(Tool.path("groff"))
        let result = try Tool.run(groff, ["-ww", "-man", "-Tutf8"], stdin: ManPageRenderer.render())
        #expect(result.status == 0)
        #expect(result.stderr == "", "groff warnings:\n\(result.stderr)")
        #expect(result.stdout.contains("APNSCTL(1)"))
    }
}
