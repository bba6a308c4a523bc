import PushCore

extension OptionSpec {
    enum Report {
        static let failed = OptionSpec(
            "failed", value: "FILE", category: .report,
            summary: "Write the rows worth sending again to FILE, as an input for send",
            longHelp: ["Rows that got no answer (failed) or a \"not now\" answer (429, 5xx, Shutdown, IdleTimeout, "
                + "provider-token trouble). CSV when FILE ends in .csv or .csv.gz, else JSONL; - is stdout; .gz is "
                + "compressed. Each row has token, input_line (its line in the original input) and the report's "
                + "--keep fields."],
            completion: .file)
        static let pruneList = OptionSpec(
            "prune-list", value: "FILE", category: .report,
            summary: "Write the tokens APNs says are gone (410 Unregistered, ExpiredToken) to FILE",
            longHelp: ["One token per line; - is stdout. BadDeviceToken and DeviceTokenNotForTopic are left out "
                + "(they may be valid for the other environment or topic) and counted in the summary."],
            completion: .file)
    }
}

extension CommandSpec {
    static let report = CommandSpec(
        name: "report",
        summary: "Summarise a report; list the rows to retry, the tokens to prune",
        synopsis: ["FILE [--failed FILE] [--prune-list FILE]", "[--file-mode MODE] [--quiet]"],
        description: [
            "Reads a report written by send or check (JSONL or CSV, gzip-compressed or not; - is stdin) and prints "
                + "its summary: rows by outcome, HTTP status and reason, latency percentiles, and any input line "
                + "reported more than once. A compressed report cut off by a crash is read up to its last whole row.",
            "The summary goes to stdout, or to stderr when --failed or --prune-list writes to stdout. The exit "
                + "status is 0 when every row was delivered (or valid, or skipped), 1 otherwise.",
        ],
        operand: OperandSpec(name: "FILE", choices: [], optional: false,
                             summary: "The report to read (- for stdin)"),
        options: [Report.failed, Report.pruneList, OptionSpec.Send.fileMode, .quiet, .help],
        examples: [
            CommandExample(
                description: "Send again the rows that got no answer, with the same template (keep its fields).",
                command: """
                    apnsctl send -i users.csv --template t.json --keep name ... -r run1.jsonl
                    apnsctl report run1.jsonl --failed retry.csv
                    apnsctl send -i retry.csv --template t.json ... -r run2.jsonl
                    """),
        ])
}

private typealias Report = OptionSpec.Report

/// What `apnsctl report` was asked to do.
struct ReportOptions: Equatable, Sendable {
    var report: String
    var failed: String?
    var pruneList: String?
    var fileMode: UInt32 = FileIO.privateMode
    var quiet = false

    static func build(from values: inout OptionValues, operands: [String]) throws(UsageError) -> ReportOptions {
        guard let path = operands.first else {
            throw values.error("report needs the report file to read (or - for stdin)")
        }
        guard operands.count == 1 else {
            throw values.error("report reads one file; unexpected '\(operands[1])'")
        }
        let options = ReportOptions(report: path, failed: values.string(Report.failed),
                                    pruneList: values.string(Report.pruneList), fileMode: try values.fileMode(),
                                    quiet: values.flag(.quiet))
        if options.failed == "-" && options.pruneList == "-" {
            throw values.error("--failed and --prune-list cannot both write to stdout")
        }
        return options
    }
}
