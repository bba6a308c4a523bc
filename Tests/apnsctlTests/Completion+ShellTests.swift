import Foundation
import Testing
@testable import apnsctl

@Suite("Completion scripts: syntax and behaviour in real shells")
struct CompletionShellTests {
    @Test("bash -n accepts the bash script", .enabled(if: Tool.has("bash")))
    func bashSyntax() throws {
        let result = try Tool.run(try #require(Tool.path("bash")), ["-n"], stdin: BashCompletionRenderer.render())
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test("zsh -n accepts the zsh script", .enabled(if: Tool.has("zsh")))
    func zshSyntax() throws {
        let result = try Tool.run(try #require(Tool.path("zsh")), ["-n"], stdin: ZshCompletionRenderer.render())
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test("fish -n accepts the fish script", .enabled(if: Tool.has("fish")))
    func fishSyntax() throws {
        let result = try Tool.run(try #require(Tool.path("fish")), ["--no-execute"],
                                  stdin: FishCompletionRenderer.render())
        #expect(result.status == 0, "\(result.stderr)")
    }

    /// Runs the bash completion function on a command line and returns COMPREPLY, one per line.
    private func bashComplete(_ words: [String]) throws -> [String] {
        let bash = try #require(Tool.path("bash"))
        let quotedWords = words.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let script = BashCompletionRenderer.render() + """
            COMP_WORDS=(\(quotedWords.joined(separator: " ")))
            COMP_CWORD=\(words.count - 1)
            _apnsctl
            printf '%s\\n' "${COMPREPLY[@]}"
            """
        let result = try Tool.run(bash, ["--norc", "--noprofile"], stdin: script)
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout.split(separator: "\n").map(String.init)
    }

    @Test("bash completes commands, options, choices and operands", .enabled(if: Tool.has("bash")))
    func bashBehaviour() throws {
        #expect(try bashComplete(["apnsctl", ""]) == CommandTable.commandNames)
        #expect(try bashComplete(["apnsctl", "mo"]) == ["mock"])
        #expect(try bashComplete(["apnsctl", "send", "--conc"]) == ["--concurrency"])
        #expect(try bashComplete(["apnsctl", "send", "--push-type", "l"]) == ["liveactivity", "location"])
        #expect(try bashComplete(["apnsctl", "send", "--priority", ""]) == ["10", "5", "1"])
        #expect(try bashComplete(["apnsctl", "send", "--format=j"]) == ["--format=jsonl"])
        #expect(try bashComplete(["apnsctl", "send", "--report-format", "=", "c"]) == ["csv"])
        #expect(try bashComplete(["apnsctl", "-v", "send", "--topic", ""]) == [])
        #expect(try bashComplete(["apnsctl", "generate", "f"]) == ["fish"])
        #expect(try bashComplete(["apnsctl", "help", "g"]) == ["generate"])
        #expect(try bashComplete(["apnsctl", "mock", "--res"]).sorted() == ["--respond", "--respond-channel", "--respond-manage"])
        #expect(try bashComplete(["apnsctl", "mock", "--manage-l"]) == ["--manage-listen"])
        #expect(try bashComplete(["apnsctl", "--ver"]).sorted() == ["--verbose", "--version"])
    }

    @Test("bash completes file names for path options", .enabled(if: Tool.has("bash")))
    func bashFiles() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("apnsctl-compl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = FileManager.default.createFile(atPath: dir.appendingPathComponent("recipients.csv").path, contents: nil)
        let prefix = dir.path + "/rec"
        #expect(try bashComplete(["apnsctl", "send", "--input", prefix]) == [dir.path + "/recipients.csv"])
        #expect(try bashComplete(["apnsctl", "mock", "--tls-cert", prefix]) == [dir.path + "/recipients.csv"])
    }

    @Test("fish offers the options and choices from the table", .enabled(if: Tool.has("fish")))
    func fishBehaviour() throws {
        let fish = try #require(Tool.path("fish"))
        func complete(_ line: String) throws -> [String] {
            let script = FishCompletionRenderer.render() + "\ncomplete -C '\(line)'\n"
            let result = try Tool.run(fish, ["--no-config"], stdin: script)
            #expect(result.status == 0, "\(result.stderr)")
            return result.stdout.split(separator: "\n").map { String($0.split(separator: "\t").first ?? "") }
        }
        #expect(try complete("apnsctl ").sorted() == CommandTable.commandNames.sorted())
        #expect(try complete("apnsctl send --push-type ").sorted() == PushType.knownNames.sorted())
        #expect(try complete("apnsctl send --conc") == ["--concurrency"])
        #expect(try complete("apnsctl generate ").sorted() == ["bash", "fish", "man", "settings", "zsh"])
        #expect(try complete("apnsctl -v send -").contains("--topic"))
        // After `help send`, send's options are not offered: the command is help.
        #expect(try complete("apnsctl help send --").sorted() == ["--help"])
    }
}

import PushCore

extension PushType {
    static var knownNames: [String] { known.map(\.rawValue) }
}
