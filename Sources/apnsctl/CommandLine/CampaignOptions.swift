import Foundation
import PushCore

/// The campaign options of `send` and `check` (dry run, kept fields, resume, shards...), validated.
struct CampaignOptions: Equatable, Sendable {
    /// `--dry-run`, or the `check` command.
    var dryRun = false
    /// The command that was run (`send` or `check`), for hints in messages.
    var command = "send"
    /// `--keep`: input fields copied into the report.
    var keep: [String] = []
    /// `--prune-list`: where the tokens to delete go.
    var pruneList: String?
    /// `--shard K/N`.
    var shard: Shard?
    /// `--dedupe`.
    var dedupe = false
    /// `--resume`.
    var resume = false
    /// `--force`: start over a report that holds rows.
    var force = false
    /// `--strict`: exit 1 unless every row was delivered.
    var strict = false
    /// `--connect` (check / dry run): prove the credentials with one request to the all-zero token.
    var connect = false
}

extension CampaignOptions {
    /// Reads the campaign options; `check` is a dry run without being asked.
    static func build(from values: inout OptionValues, check: Bool) throws(UsageError) -> CampaignOptions {
        var options = CampaignOptions()
        options.dryRun = check || values.flag(OptionSpec.Campaign.dryRun)
        options.command = values.command
        options.pruneList = values.string(OptionSpec.Campaign.pruneList)
        options.dedupe = values.flag(OptionSpec.Campaign.dedupe)
        options.resume = values.flag(OptionSpec.Campaign.resume)
        options.connect = values.flag(OptionSpec.Campaign.connect)
        options.force = values.flag(OptionSpec.Campaign.force)
        options.strict = values.flag(OptionSpec.Campaign.strict)
        if options.force && options.resume {
            throw values.error("--resume and --force exclude each other: --resume continues the report, --force starts it over")
        }
        if options.connect && !options.dryRun {
            throw values.error("--connect goes with apnsctl check or send --dry-run (a real send proves the credentials anyway)")
        }
        if let text = values.string(OptionSpec.Campaign.shard) {
            options.shard = try shard(text, values: values)
        }
        if let text = values.string(OptionSpec.Campaign.keep) {
            options.keep = try keepList(text, values: values)
        }
        return options
    }

    /// `2/8`: shard 2 of 8.
    static func shard(_ text: String, values: OptionValues) throws(UsageError) -> Shard {
        let flag = OptionSpec.Campaign.shard.longFlag
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), parts.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) }) else {
            throw values.error("\(flag): '\(text)' is not K/N (shard K of N, e.g. 1/4)")
        }
        guard n >= 1, n <= 1_000_000 else { throw values.error("\(flag): '\(text)': N must be between 1 and 1000000") }
        guard let shard = Shard(index: k, count: n) else {
            throw values.error("\(flag): '\(text)': K must be between 1 and \(n) (shards count from 1)")
        }
        return shard
    }

    /// `user_id,campaign`: names, each once, none a standard report field.
    static func keepList(_ text: String, values: OptionValues) throws(UsageError) -> [String] {
        let flag = OptionSpec.Campaign.keep.longFlag
        var names: [String] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let name = part.trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty else { throw values.error("\(flag): '\(text)' has an empty field name") }
            // A broadcast report's names too: a report reader takes either name for the same column.
            guard !ReportRow.fieldNames.contains(name) && !ReportColumns.broadcast.fieldNames.contains(name) else {
                throw values.error("\(flag): '\(name)' is already a report field; the report has "
                    + ReportRow.fieldNames.joined(separator: ", "))
            }
            guard !names.contains(name) else { throw values.error("\(flag): '\(name)' is named twice") }
            names.append(name)
        }
        return names
    }
}
