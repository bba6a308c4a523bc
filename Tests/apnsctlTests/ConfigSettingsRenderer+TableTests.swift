import Testing
@testable import apnsctl

@Suite("The config settings table README.md keeps")
struct ConfigSettingsRendererTableTests {
    static let rendered = ConfigSettingsRenderer.render()
    static var rows: [Substring] { rendered.split(separator: "\n").filter { $0.hasPrefix("| `") } }

    @Test("One row per config setting, in option table order, and nothing else")
    func everySetting() {
        let names = Self.rows.map { $0.split(separator: "|").first?.trimmingCharacters(in: " `") ?? "" }
        #expect(names == CommandSpec.settingOptions.map(\.long))
        #expect(names.contains("concurrency") && names.contains("rate") && names.contains("grace-period"))
        #expect(!names.contains("config") && !names.contains("profile") && !names.contains("input"))
    }

    @Test("Each row has five cells: the choices or value name, the summary, the default, the variable")
    func cells() throws {
        let topic = try #require(Self.rows.first { $0.hasPrefix("| `topic` |") })
        #expect(topic.split(separator: "|").count == 5)
        #expect(topic.contains("| `APNSCTL_TOPIC` |"))
        let environment = try #require(Self.rows.first { $0.hasPrefix("| `environment` |") })
        #expect(environment.contains("| `sandbox`, `production` |"))
        #expect(environment.contains("| \(SendDefaults.environment.rawValue) |"))
    }

    @Test("A | inside a cell is escaped, so it cannot split the row")
    func escaping() {
        #expect(ConfigSettingsRenderer.escape("a|b") == "a\\|b")
    }

    @Test("The block is found between its markers, markers included; missing markers give nil")
    func block() {
        let readme = "# Title\n\ntext\n" + Self.rendered + "\nafter\n"
        #expect(ConfigSettingsRenderer.block(in: readme) == Self.rendered)
        #expect(ConfigSettingsRenderer.block(in: "# Title\n" + ConfigSettingsRenderer.begin + "\n") == nil)
        #expect(ConfigSettingsRenderer.block(in: "nothing here\n") == nil)
    }
}

private extension Substring {
    func trimmingCharacters(in set: String) -> String {
        String(drop { set.contains($0) }.reversed().drop { set.contains($0) }.reversed())
    }
}
