/// What UsageError.swift needs of the command table, which the fuzz target leaves out.
enum CommandTable {
    static let programName = "apnsctl"
    static let commandNames: [String] = []
}
