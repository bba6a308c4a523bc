import Testing
import PushCore
@testable import apnsctl

@Suite("Did you mean: edit distance and suggestions")
struct SuggestionEditDistanceTests {
    @Test("Edit distances", arguments: [
        ("", "", 0), ("abc", "", 3), ("", "ab", 2), ("send", "send", 0),
        ("sned", "send", 1),            // swap of neighbours counts once
        ("concurency", "concurrency", 1), ("kitten", "sitting", 3), ("mock", "mack", 1),
    ])
    func distances(a: String, b: String, expected: Int) {
        #expect(Suggestion.editDistance(a, b) == expected)
        #expect(Suggestion.editDistance(b, a) == expected)
    }

    @Test("Close words are suggested; far ones are not")
    func closest() {
        let names = ["--concurrency", "--connections", "--collapse-id"]
        #expect(Suggestion.closest(to: "--concurency", among: names) == "--concurrency")
        #expect(Suggestion.closest(to: "--conections", among: names) == "--connections")
        #expect(Suggestion.closest(to: "--zzz", among: names) == nil)
        #expect(Suggestion.closest(to: "gen", among: ["send", "generate"]) == "generate")  // unique prefix
        #expect(Suggestion.closest(to: "x", among: ["send", "mock"]) == nil)
    }

    @Test("Unknown options and commands get a suggestion in the message")
    func messages() {
        #expect(usageMessage(validSend + ["--concurency", "5"])
            == "unknown option '--concurency' (did you mean '--concurrency'?)")
        #expect(usageMessage(["sned"]) == "unknown command 'sned' (did you mean 'send'?)")
        #expect(usageMessage(["help", "mokc"]) == "unknown command 'mokc' (did you mean 'mock'?)")
        #expect(usageMessage(["generate", "zhs"]) == "unknown target 'zhs'; use one of man, bash, zsh, fish, settings (did you mean 'zsh'?)")
        #expect(usageMessage(validSend + ["--zzz"]) == "unknown option '--zzz'")
        #expect(usageMessage(validSend + ["-x"]) == "unknown option '-x'")
        #expect(usageMessage(validSend + ["-concurrency", "5"])
            == "unknown option '-concurrency' (did you mean '--concurrency'?)")
    }

    @Test("An option of another command says which command it belongs to")
    func otherCommandsOption() {
        #expect(usageMessage(validSend + ["--listen", "x"])
            == "unknown option '--listen' (it is an option of 'apnsctl mock')")
        #expect(usageMessage(["--concurrency", "5", "send"])
            == "unknown option '--concurrency' (it is an option of 'apnsctl send': put it after the command)")
    }
}
