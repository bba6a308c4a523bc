import PushCore

extension OptionSpec {
    enum Report {
        static let failed = OptionSpec(
            "failed", value: "FILE", category: .report,
            summary: "Write the rows worth sending again to FILE, as an input for send",
            longHelp: ["Rows that got no answer (failed) or a \"not now\" answer (429, 5xx, Shutdown, IdleTimeout, "
                + "provider-token trouble). CSV when FILE ends in .csv or .csv.gz, else JSONL; - is stdout; .gz is "
                + "compressed. Each row has token, input_line (its line in the original input) and the report's "
                + "--keep fields; with --input, the rows of the original input instead, with every field."],
            completion: .file)
        static let input = OptionSpec(
            "input", value: "FILE", category: .report,
            summary: "With --failed: write the failed rows' original input rows from FILE, every field kept",
            longHelp: ["FILE is the input the report was written from (CSV or JSONL, gzip or not). The retry file "
                + "gets its format (name it .csv for a CSV input) and, for the rows to retry, the input's rows as "
                + "they are: `apnsctl send --input RETRY` with the same template renders the same payloads. A line "
                + "whose token is not the one the report names stops it: that is another input."],
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
        synopsis: ["FILE [--failed FILE [--input FILE]]", "[--prune-list FILE] [--file-mode MODE] [--quiet]"],
        description: [
            "Reads a report written by send or check (JSONL or CSV, gzip-compressed or not; - is stdin) and prints "
                + "its summary: rows by outcome, HTTP status and reason, latency percentiles, and any input line "
                + "reported more than once. A compressed report cut off by a crash is read up to its last whole row.",
            "The summary goes to stdout, or to stderr when --failed or --prune-list writes to stdout. The exit "
                + "status is 0 when every row is settled with APNs' final answer about it (delivered, token gone or "
                + "wrong, skipped; valid in a dry run), 1 otherwise.",
        ],
        operand: OperandSpec(name: "FILE", choices: [], optional: false,
                             summary: "The report to read (- for stdin)"),
        options: [Report.failed, Report.input, Report.pruneList, OptionSpec.Send.fileMode, .quiet, .help],
        examples: [
            CommandExample(
                description: "Send again the rows that got no answer: their input rows, every field the template uses.",
                command: """
                    apnsctl send -i users.csv --template t.json ... -r run1.jsonl
                    apnsctl report run1.jsonl --input users.csv --failed r.csv
                    apnsctl send -i r.csv --template t.json ... -r run2.jsonl
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
    /// `--input`: the campaign's input, for a retry file with every field.
    var input: String? = nil

    static func build(from values: inout OptionValues, operands: [String]) throws(UsageError) -> ReportOptions {
        guard let path = operands.first else {
            throw values.error("report needs the report file to read (or - for stdin)")
        }
        guard operands.count == 1 else {
            throw values.error("report reads one file; unexpected '\(operands[1])'")
        }
        let options = ReportOptions(report: path, failed: values.string(Report.failed),
                                    pruneList: values.string(Report.pruneList), fileMode: try values.fileMode(),
                                    quiet: values.flag(.quiet), input: values.string(Report.input))
        if options.input != nil && options.failed == nil {
            throw values.error("--input goes with --failed (it names the input the failed rows are taken from)")
        }
        if options.failed == "-" && options.pruneList == "-" {
            throw values.error("--failed and --prune-list cannot both write to stdout")
        }
        return options
    }
}
