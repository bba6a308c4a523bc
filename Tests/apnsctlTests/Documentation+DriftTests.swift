import Foundation
import Testing
@testable import apnsctl

@Suite("Generated files match the table")
struct DocumentationDriftTests {
    @Test("The committed file equals what `apnsctl generate` renders now",
          arguments: GenerateTarget.allCases)
    func committedMatchesRendered(target: GenerateTarget) throws {
        let committed = target.committed(in: try Repository.contents(of: target.repositoryPath))
        let rendered = target.render()
        #expect(committed == rendered, """
            \(target.repositoryPath) is out of date with the option table; regenerate it with `make docs`
            """)
    }

    @Test("Rendering is deterministic")
    func deterministic() {
        for target in GenerateTarget.allCases {
            #expect(target.render() == target.render())
        }
    }
}

@Suite("Generated files cover every command, option and exit status")
struct DocumentationCoverageTests {
    static let man = (try? Repository.contents(of: GenerateTarget.man.repositoryPath)) ?? ""
    static let bash = (try? Repository.contents(of: GenerateTarget.bash.repositoryPath)) ?? ""
    static let zsh = (try? Repository.contents(of: GenerateTarget.zsh.repositoryPath)) ?? ""
    static let fish = (try? Repository.contents(of: GenerateTarget.fish.repositoryPath)) ?? ""

    @Test("Every subcommand appears in the man page and each completion script",
          arguments: CommandTable.commandNames)
    func subcommands(name: String) {
        #expect(Self.man.contains(".SH \"APNSCTL \(name.uppercased())\""))
        #expect(Self.bash.contains("        \(name))\n"))
        #expect(Self.bash.contains("|\(name)|") || Self.bash.contains(" \(name)|") || Self.bash.contains("|\(name))"))
        #expect(Self.zsh.contains("'\(name):"))
        #expect(Self.zsh.contains("\(name)) _apnsctl_\(name) && ret=0"))
        #expect(Self.fish.contains("-a \(name) -d "))
        #expect(Self.fish.contains("-n '\(FishCompletionRenderer.condition(for: name))' "))
    }

    @Test("Every option of every command appears in man, bash, zsh and fish",
          arguments: CommandTable.commands.flatMap { command in command.options.map { (command.name, $0.long) } })
    func options(commandName: String, long: String) throws {
        let command = try #require(CommandTable.command(named: commandName))
        let option = try #require(command.option(long: long))
        let manSection = Self.section(of: Self.man, command: command)
        #expect(manSection.contains("\\fB\(Roff.escape(option.longFlag))\\fR"), "man lacks \(option.longFlag)")
        if let short = option.shortFlag { #expect(manSection.contains("\\fB\(Roff.escape(short))\\fR, ")) }

        let bashArm = Self.bashArm(command)
        #expect(bashArm.contains(" \(option.longFlag) ") || bashArm.contains("'\(option.longFlag) "),
                "bash lacks \(option.longFlag) for \(command.name)")
        let zshFunction = Self.zshFunction(command)
        #expect(zshFunction.contains(option.longFlag + (option.takesValue ? "=" : "")),
                "zsh lacks \(option.longFlag) for \(command.name)")
        let fishLines = Self.fish.split(separator: "\n")
            .filter { $0.contains("-n '\(FishCompletionRenderer.condition(for: command.name))' ")
                && $0.contains(" -l \(option.long) ") }
        #expect(fishLines.count == 1, "fish lacks \(option.longFlag) for \(command.name)")
        if let short = option.short { #expect(fishLines.first?.contains("-s \(short) ") == true) }

        switch option.completion {
        case .file:
            #expect(bashArm.contains("\(option.longFlag)") && Self.bashValueLine(bashArm, option).contains("-f --"))
            #expect(Self.zshSpecLine(zshFunction, option).contains(":_files'"))
            #expect(fishLines.first?.contains("-r -F") == true)
        case .choices(let words):
            let list = words.joined(separator: " ")
            #expect(Self.bashValueLine(bashArm, option).contains("-W '\(list)'"))
            #expect(Self.zshSpecLine(zshFunction, option).contains(":(\(list))'"))
            #expect(fishLines.first?.contains("-x -a '\(list)'") == true)
        case .directory, .none:
            break
        }
    }

    @Test("Global options appear at the top level of each script and in the man page")
    func globalOptions() {
        for option in CommandTable.globalOptions {
            #expect(Self.man.components(after: ".SH \"GLOBAL OPTIONS\"").contains(Roff.escape(option.longFlag)))
            #expect(Self.bash.components(after: "        *)").contains(option.longFlag))
            #expect(Self.zsh.components(after: "_apnsctl() {").contains(option.longFlag))
            #expect(Self.fish.contains("-n '\(FishCompletionRenderer.condition(for: nil))' "
                + (option.short.map { "-s \($0) " } ?? "") + "-l \(option.long) "))
        }
    }

    @Test("Every exit status and environment variable is in the man page")
    func manSections() {
        let exit = Self.man.components(after: ".SH \"EXIT STATUS\"")
        for status in ExitStatus.allCases { #expect(exit.contains("\\fB\(status.rawValue)\\fR")) }
        let env = Self.man.components(after: ".SH ENVIRONMENT")
        for command in CommandTable.commands {
            for variable in command.options.compactMap(\.environmentVariable) {
                #expect(env.contains("\\fB\(Roff.escape(variable))\\fR"))
            }
        }
        for title in ["NAME", "SYNOPSIS", "DESCRIPTION", "\"INPUT FORMAT\"", "TEMPLATES", "\"REPORT FORMAT\"",
                      "\"EXIT STATUS\"", "ENVIRONMENT", "FILES", "EXAMPLES", "\"SEE ALSO\""] {
            #expect(Self.man.contains("\n.SH \(title)\n"), "man lacks section \(title)")
        }
    }

    @Test("Operands (help COMMAND, generate TARGET, report FILE) are completed")
    func operands() {
        for command in CommandTable.commands {
            guard let operand = command.operand else { continue }
            if operand.isFile {
                #expect(Self.bashArm(command).contains("_reply \"\" -f -- \"$cur\""))
                #expect(Self.zshFunction(command).contains(":_files'"))
                #expect(Self.fish.contains("-n '\(FishCompletionRenderer.condition(for: command.name))' -F"))
                continue
            }
            let list = operand.choices.joined(separator: " ")
            #expect(Self.bashArm(command).contains("-W '\(list)'"))
            #expect(Self.zshFunction(command).contains(":(\(list))'"))
            #expect(Self.fish.contains("-n '\(FishCompletionRenderer.condition(for: command.name))' -a '\(list)'"))
        }
    }

    // MARK: - Slicing the generated files

    /// The man page text from a command's `.SH` to the next `.SH`.
    static func section(of man: String, command: CommandSpec) -> String {
        let start = man.components(after: ".SH \"APNSCTL \(command.name.uppercased())\"\n")
        return String(start.split(separator: "\n.SH ", maxSplits: 1).first ?? "")
    }

    /// The `case $cmd in NAME)` arm of the bash script.
    static func bashArm(_ command: CommandSpec) -> String {
        let start = bash.components(after: "\n        \(command.name))\n")
        return String(start.split(separator: "\n            ;;\n", maxSplits: 1).first ?? "")
    }

    static func bashValueLine(_ arm: String, _ option: OptionSpec) -> String {
        let pattern = ([option.longFlag] + (option.shortFlag.map { [$0] } ?? [])).joined(separator: "|") + ")"
        return arm.split(separator: "\n").first { $0.trimmingCharacters(in: .whitespaces).hasPrefix(pattern) }
            .map(String.init) ?? ""
    }

    /// The `_apnsctl_NAME() { ... }` function of the zsh script.
    static func zshFunction(_ command: CommandSpec) -> String {
        let start = zsh.components(after: "_apnsctl_\(command.name)() {\n")
        return String(start.split(separator: "\n}\n", maxSplits: 1).first ?? "")
    }

    static func zshSpecLine(_ function: String, _ option: OptionSpec) -> String {
        function.split(separator: "\n").first { $0.contains(option.longFlag + "=") }.map(String.init) ?? ""
    }
}
