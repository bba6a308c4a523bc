import FuzzSupport

// The bytes as apnsctl's config file (its parser's sources are linked here from Sources/apnsctl/CommandLine:
// the command line is an executable, which another executable cannot import).
let settings = [
    OptionSpec("key", value: "FILE", category: .credentials, summary: "k", completion: .file, inConfigFile: true),
    OptionSpec("topic", value: "TOPIC", category: .headers, summary: "t", inConfigFile: true),
    OptionSpec("environment", value: "ENV", category: .connection, summary: "e",
               completion: .choices(["sandbox", "production"]), inConfigFile: true),
    OptionSpec("concurrency", value: "N", category: .connection, summary: "c", inConfigFile: true),
]
let parser = ConfigFileParser(settings: settings, otherOptions: ["input", "report", "key", "topic"], home: "/home/fuzz")
runFuzzer { data, size in
    let text = String(decoding: fuzzBytes(data, size), as: UTF8.self)
    if let file = try? parser.parse(text, displayPath: "~/.config/apnsctl/config", directory: "/home/fuzz/.config/apnsctl") {
        for section in file.sections { _ = section.setting("key") }
        _ = file.profileNames
    }
    return 0
}
