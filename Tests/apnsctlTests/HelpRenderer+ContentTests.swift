import Testing
@testable import apnsctl

@Suite("Help text rendered from the table")
struct HelpRendererContentTests {
    @Test("Each command's help lists every option with its label, summary and default",
          arguments: CommandTable.commands.map(\.name))
    func everyOption(name: String) throws {
        let command = try #require(CommandTable.command(named: name))
        let text = HelpRenderer.help(for: command)
        let flat = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for option in command.options {
            #expect(text.contains("  " + option.helpLabel), "\(name) help lacks \(option.helpLabel)")
            #expect(flat.contains(option.summary), "\(name) help lacks the summary of \(option.longFlag)")
            if let value = option.defaultText {
                #expect(flat.contains("Default: \(value)"), "\(name) help lacks the default of \(option.longFlag)")
            }
            if let variable = option.environmentVariable {
                #expect(text.contains("Env: \(variable)"))
            }
            if option.inConfigFile {
                #expect(text.contains("Config file: \(option.long)\n"), "\(name) help lacks the setting \(option.long)")
            }
            for choice in option.choices ?? [] {
                #expect(flat.contains(choice))
            }
        }
        for line in command.synopsis { #expect(text.contains(line)) }
    }

    @Test("Defaults shown are the live defaults the parser uses")
    func liveDefaults() {
        let send = HelpRenderer.help(for: .send)
        #expect(send.contains("--concurrency=<N>     Requests in flight"))
        #expect(send.contains("Default: \(SendDefaults.concurrency)\n"))
        #expect(send.contains("Default: \(SendDefaults.connections)\n"))
        #expect(send.contains("Default: \(SendDefaults.tokenField)\n"))
        let mock = HelpRenderer.help(for: .mock)
        #expect(mock.contains("Default: \(MockDefaults.listen)\n"))
        #expect(mock.contains("Default: \(MockDefaults.maxStreams)\n"))
    }

    @Test("h2load layout: short name column, long name, description at a fixed column")
    func layout() {
        let rows = HelpRenderer.optionRows(OptionSpec.Send.concurrency)
        #expect(rows[0].hasPrefix("  -c, --concurrency=<N>"))
        #expect(rows[0].dropFirst(HelpRenderer.descriptionColumn).hasPrefix("Requests"))
        #expect(rows.dropFirst().contains(String(repeating: " ", count: HelpRenderer.descriptionColumn) + "Default: 100"))
        #expect(rows.last == String(repeating: " ", count: HelpRenderer.descriptionColumn) + "Config file: concurrency")
        // A label too wide for the column puts the description on the next line.
        let wide = HelpRenderer.optionRows(OptionSpec.Send.contentStateSchema)
        #expect(wide[0] == "      --content-state-schema=<FILE>")
        #expect(wide[1].hasPrefix(String(repeating: " ", count: HelpRenderer.descriptionColumn) + "Refuse"))
    }

    @Test("The overview lists every command, global option and exit status")
    func overview() {
        let text = HelpRenderer.overview()
        #expect(text.hasPrefix("apnsctl 0.1.0: "))
        for command in CommandTable.commands {
            #expect(text.contains("  \(command.name)"))
            #expect(text.contains(command.summary))
        }
        for option in CommandTable.globalOptions { #expect(text.contains(option.helpLabel)) }
        for status in ExitStatus.allCases { #expect(text.contains("\n  \(status.rawValue) ")) }
    }

    @Test("No help line is wider than 80 columns", arguments: CommandTable.commands.map(\.name) + [""])
    func width(name: String) {
        let text = CommandTable.command(named: name).map(HelpRenderer.help(for:)) ?? HelpRenderer.overview()
        for line in text.split(separator: "\n") {
            #expect(line.count <= HelpRenderer.width, "too wide: \(line)")
        }
    }

    @Test("Text wrapping keeps words whole and indents continuation lines")
    func wrapping() {
        let lines = TextWrap.wrap("aaa bbb ccc ddd", width: 9, indent: 2)
        #expect(lines == ["  aaa bbb", "  ccc ddd"])
        #expect(TextWrap.wrap("averyveryverylongword x", width: 8) == ["averyveryverylongword", "x"])
        #expect(TextWrap.wrap("", width: 10, indent: 3) == ["   "])
    }
}
