import PushCore
import Testing
@testable import apnsctl

@Suite("Invocation: commands, help, version")
struct InvocationTopLevelTests {
    @Test("Ways to ask for help", arguments: [
        (["help"], nil),
        (["-h"], nil),
        (["--help"], nil),
        (["help", "send"], "send"),
        (["send", "--help"], "send"),
        (["send", "-h"], "send"),
        (["-h", "mock"], "mock"),
        (["mock", "-qh"], "mock"),
        (["generate", "--help"], "generate"),
        (["help", "--help"], "help"),
    ] as [([String], String?)])
    func help(args: [String], command: String?) {
        #expect(invocation(args) == .help(command: command))
    }

    @Test("--help wins over other mistakes on the same line")
    func helpWins() {
        #expect(invocation(["send", "--concurency", "x", "--help"]) == .help(command: "send"))
        #expect(invocation(["mock", "--listen", "--help"]) == .help(command: "mock"))
    }

    @Test("--version, with or without -v")
    func version() {
        #expect(invocation(["--version"]) == .version)
        #expect(invocation(["-v", "--version"]) == .version)
        #expect(versionText() == BuildInfo.running.line + "\n")
        #expect(usageMessage(["--version", "send"])
            == "--version goes before or instead of a command, not with 'send'")
    }

    @Test("No command: the short usage, pointing at --help")
    func missingCommand() throws {
        guard case .failure(let error) = parse([]) else {
            Issue.record("expected a usage error")
            return
        }
        #expect(error == .missingCommand)
        #expect(error.rendered == """
            Usage: apnsctl <command> [options]
            Commands: send, check, broadcast, channel, report, token, config, mock, help, generate
            Try 'apnsctl --help'.

            """)
        // Global flags alone are not a command.
        for args in [["-v"], ["-q"], ["-vq"]] {
            guard case .failure(let error) = parse(args) else {
                Issue.record("expected a usage error for \(args)")
                continue
            }
            #expect(error == .missingCommand)
        }
    }

    @Test("generate targets")
    func generate() {
        for target in GenerateTarget.allCases {
            #expect(invocation(["generate", target.rawValue]) == .generate(target))
        }
        #expect(usageMessage(["generate"]) == "generate needs a target: man, bash, zsh, fish, settings")
        #expect(usageMessage(["generate", "man", "bash"]) == "generate takes one target; unexpected 'bash'")
        #expect(usageMessage(["help", "send", "mock"]) == "help takes one command at most; unexpected 'mock'")
    }

    @Test("Top-level errors point at the overview; command errors at the command's help")
    func hints() {
        guard case .failure(let top) = parse(["frobnicate"]), case .failure(let sub) = parse(["mock", "--bogus"]) else {
            Issue.record("expected usage errors")
            return
        }
        #expect(top.rendered == "apnsctl: unknown command 'frobnicate'\nTry 'apnsctl --help'.\n")
        #expect(sub.rendered == "apnsctl: unknown option '--bogus'\nTry 'apnsctl mock --help'.\n")
    }
}
