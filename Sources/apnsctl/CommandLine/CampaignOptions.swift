import PushCore

/// Issue 4's options of `send` and `check`, validated.
struct CampaignOptions: Equatable, Sendable {
    /// `--dry-run`, or the `check` command.
    var dryRun = false
    /// The command that was run (`send` or `check`), for hints in messages.
    var command = "send"
}

extension CampaignOptions {
    /// Reads the campaign options; `check` is a dry run without being asked.
    static func build(from values: inout OptionValues, check: Bool) throws(UsageError) -> CampaignOptions {
        var options = CampaignOptions()
        options.dryRun = check || values.flag(OptionSpec.Campaign.dryRun)
        options.command = values.command
        return options
    }
}
