import PushCore

// The options of campaigns cron can trust, kept together: the table entries, the synopsis lines
// and `apnsctl check`, which is `send --dry-run` under its own name.

extension OptionSpec {
    enum Campaign {
        static let dryRun = OptionSpec(
            "dry-run", category: .campaign,
            summary: "Check every row and write the report, but send nothing (same as apnsctl check)",
            longHelp: ["Reads every row, renders every payload and applies every rule; each row is reported "
                + "valid or invalid. No connection is opened and no credentials are needed. The exit status is 0 "
                + "when every row is valid, 1 otherwise."])

        static let connect = OptionSpec(
            "connect", category: .campaign,
            summary: "With check or --dry-run: also prove the credentials work against APNs",
            longHelp: ["After checking the rows, opens one connection and sends one request to the all-zero "
                + "device token: APNs answers BadDeviceToken only after accepting the credentials, so that "
                + "answer proves them (nothing reaches any device). A refused key, certificate or topic, or a "
                + "connection that cannot be made, exits 3 with what to do."])

        static let keep = OptionSpec(
            "keep", value: "FIELD,...", category: .campaign,
            summary: "Copy these input fields into every report row (e.g. user_id,campaign)",
            longHelp: ["Each named column (CSV) or key (JSONL) is added to the report after the standard fields, "
                + "as a JSONL key or a CSV column; a row without it gets null or an empty cell. With --input only. "
                + "Keeping the fields the template uses lets `apnsctl report --failed` write a retry input that "
                + "the same template can render."])

        static let pruneList = OptionSpec(
            "prune-list", value: "FILE", category: .campaign,
            summary: "Write the tokens APNs says are gone (410 Unregistered, ExpiredToken) to FILE",
            longHelp: ["One token per line, written as rows settle, ready to delete from a database (a .gz name "
                + "is compressed). BadDeviceToken and DeviceTokenNotForTopic tokens are left out, since they may be "
                + "valid for the other environment or topic; the summary counts them. A dry run writes no list."],
            completion: .file)

        static let shard = OptionSpec(
            "shard", value: "K/N", category: .campaign,
            summary: "Send only the rows whose token falls in shard K of N (1 to N)",
            longHelp: ["A stable hash of the lowercased token (FNV-1a, 64 bits) modulo N picks each row's shard, the "
                + "same on every machine: N runs with K = 1...N, each with its own --report, cover the input exactly "
                + "once. Rows of other shards are not reported. See the README for a Kubernetes Indexed Job and GNU "
                + "parallel."])

        static let dedupe = OptionSpec(
            "dedupe", category: .campaign,
            summary: "Push each token once: report a repeated token skipped, naming its first line",
            longHelp: ["Tokens are compared in lower case, after the shard is chosen. The run remembers a 96-bit "
                + "fingerprint and the line of each token (about 16 to 32 bytes per distinct token); a row is "
                + "skipped only when all 96 bits match, so a false duplicate does not happen in practice."])

        static let resume = OptionSpec(
            "resume", category: .campaign,
            summary: "Carry on the run whose --report exists: skip the rows it settled, append the rest",
            longHelp: ["Every input row the report already has (same line, same token) is left out; the others are "
                + "sent and appended to the report (and to --prune-list). An input that changed since (another "
                + "token on a line, rows missing, another --shard or --keep) is refused before anything is sent. "
                + "Without a report, the run starts from the beginning: cron can give --resume every time.",
                "Delivery is at least once: rows in flight when a run is killed (SIGKILL, a crash, a power cut) were "
                + "perhaps delivered but are not in the report, so they are sent again. Rows written to the report "
                + "are never sent again; failed rows are retried with apnsctl report --failed."])

        static let force = OptionSpec(
            "force", category: .campaign,
            summary: "Start the report over even when it already holds rows (without --resume)",
            longHelp: ["A report that exists and holds rows is refused without --resume (continue it) or --force "
                + "(start over: its rows are replaced and every row is sent again), so that a rerun never loses "
                + "a campaign's record by accident."])

        static let strict = OptionSpec(
            "strict", category: .campaign,
            summary: "Exit 1 unless every row was delivered (tokens gone or wrong and skipped rows count too)",
            longHelp: ["Without it, the exit status is 0 when every row is settled with APNs' final answer about the "
                + "row: delivered, rejected because the token is gone or wrong (410 Unregistered or ExpiredToken, "
                + "400 BadDeviceToken or DeviceTokenNotForTopic: the prune list's business), or skipped as a "
                + "duplicate by --dedupe. With --strict, any row that was not delivered makes it 1."])

        /// The options `send` and `check` share, in table order (`--dry-run` is send's alone).
        static let shared: [OptionSpec] = [connect, keep, pruneList, shard, dedupe, resume, force, strict]
    }
}

extension CommandSpec {
    /// The synopsis lines of the campaign options (`send` adds `--dry-run`).
    static func campaignSynopsis(dryRun: Bool) -> [String] {
        (dryRun ? ["[--dry-run [--connect]]"] : ["[--connect]"])
            + ["[--keep FIELD,...] [--prune-list FILE]", "[--shard K/N] [--dedupe] [--resume | --force] [--strict]"]
    }

    /// `apnsctl check`: the options of `send`, and what `send --dry-run` does.
    static let check = CommandSpec(
        name: "check",
        summary: "Check every row as send would, without sending anything",
        // The same command line as send; credentials are optional here (nothing is sent).
        synopsis: send.synopsis.map { line in
            switch line {
            case "[--dry-run [--connect]]": return "[--connect]"
            case "(--key FILE --key-id ID --team-id ID": return "[--key FILE --key-id ID --team-id ID"
            case "   [--cert-password-file FILE])": return "   [--cert-password-file FILE]]"
            default: return line
            }
        },
        description: [
            "Reads every row, renders every payload and applies every rule that send applies, then writes the "
                + "same report with each row valid or invalid, and prints the summary. Nothing is sent and no "
                + "connection is opened: `apnsctl check` is `apnsctl send --dry-run`.",
            "It takes the options of send, so a send command line is checked by changing its first word; "
                + "credentials are optional and connection options are checked but not used. Without --report "
                + "the report goes to stdout. The exit status is 0 when every row is valid, 1 when some are not.",
        ],
        operand: nil,
        options: send.options.filter { $0 != OptionSpec.Campaign.dryRun },
        examples: [
            CommandExample(
                description: "List the rows that would not be sent, with the reason.",
                command: """
                    apnsctl check --input recipients.csv --template payload.json \\
                        --topic com.example.app --push-type alert \\
                        | jq -r 'select(.outcome == "invalid") | "\\(.line): \\(.reason)"'
                    """),
        ])
}
