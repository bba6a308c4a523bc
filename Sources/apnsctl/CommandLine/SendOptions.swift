import PushCore

/// `--format`: how `--input` is read.
enum InputFormatChoice: String, Sendable, CaseIterable {
    case csv, jsonl
}

/// `--report-format`: how the report is written.
enum ReportFormatChoice: String, Sendable, CaseIterable {
    case jsonl, csv
}

/// Everything `apnsctl send` was asked to do, validated. Plain values; no I/O happened yet.
struct SendOptions: Equatable, Sendable {
    /// `--input` path, `-` for stdin; nil when `devices` is used.
    var input: String?
    /// `--format`; nil means detect from the file name, then from the first byte.
    var format: InputFormatChoice?
    var tokenField: String = SendDefaults.tokenField
    /// `--device` tokens, in the order given; empty when `input` is used.
    var devices: [String] = []
    /// `--template` path.
    var template: String?
    /// `--payload` text.
    var payload: String?
    var topic: String
    var pushType: PushType?
    /// 10, 5 or 1; nil leaves the header out.
    var priority: Int?
    /// UNIX seconds; nil leaves the header out.
    var expiration: Int?
    var collapseID: String?
    /// `--key`: path of the .p8 file (never its contents). Nil only in a dry run.
    var keyFile: String?
    var keyID: String?
    var teamID: String?
    var environment: APNsEnvironment = SendDefaults.environment
    /// `--endpoint`: overrides the environment's host.
    var endpoint: Endpoint?
    var caFile: String?
    var concurrency: Int = SendDefaults.concurrency
    var connections: Int = SendDefaults.connections
    var timeoutMs: Int = SendDefaults.timeoutMs
    var connectTimeoutMs: Int = SendDefaults.connectTimeoutMs
    /// `--report` path, `-` for stdout.
    var report: String
    var reportFormat: ReportFormatChoice = .jsonl
    /// How many times `-v` was given.
    var verbosity: Int = 0
    var quiet: Bool = false
    /// Dry run, resume, shards, dedupe, kept fields, prune list (issue 4).
    var campaign = CampaignOptions()
}

extension SendOptions {
    /// Stage two for `send`: meaning and cross-option rules.
    /// `check` is the same command line as a dry run.
    static func build(from values: inout OptionValues, check: Bool = false) throws(UsageError) -> SendOptions {
        typealias O = OptionSpec.Send
        try values.rejectOperands()
        let campaign = try CampaignOptions.build(from: &values, check: check)

        // Recipients
        let input = values.string(O.input)
        let devices = values.strings(O.device)
        let format = values.string(O.format).flatMap(InputFormatChoice.init(rawValue:))
        let tokenField = values.string(O.tokenField)
        switch (input, devices.isEmpty) {
        case (nil, true):
            throw values.error("\(values.command) needs recipients: --input FILE or --device TOKEN")
        case (.some, false):
            throw values.error("--input and --device exclude each other")
        default: break
        }
        if input == nil {
            if !campaign.keep.isEmpty { throw values.error("--keep applies only to --input") }
            if format != nil { throw values.error("--format applies only to --input") }
            if tokenField != nil { throw values.error("--token-field applies only to --input") }
        }

        // Payload
        let template = values.string(O.template)
        let payload = values.string(O.payload)
        if template != nil, payload != nil {
            throw values.error("--template and --payload exclude each other")
        }
        if input == nil, template == nil, payload == nil {
            throw values.error("--device needs --template FILE or --payload JSON")
        }

        // Headers
        guard let topic = values.string(O.topic) else {
            throw values.missing(O.topic, "the app's bundle ID")
        }
        let pushType = values.string(O.pushType).map(PushType.init(rawValue:))
        do {
            _ = try NotificationRules.topic(topic, for: pushType, label: O.topic.longFlag)
        } catch {
            throw values.error(error.message)
        }
        let priority = values.string(O.priority).flatMap { Int($0) }
        let expiration = try values.string(O.expiration).map { (text) throws(UsageError) in
            try ValueParser.integer(text, in: 0...Int.max, option: O.expiration, command: values.command)
        }
        let collapseID = values.string(O.collapseID)

        // Credentials (a dry run sends nothing and needs none)
        let keyFile = values.string(O.key), keyID = values.string(O.keyID), teamID = values.string(O.teamID)
        if !campaign.dryRun {
            guard keyFile != nil else { throw values.missing(O.key, "the .p8 signing key") }
            guard keyID != nil else { throw values.missing(O.keyID, "the key's 10-character ID") }
            guard teamID != nil else { throw values.missing(O.teamID, "your 10-character team ID") }
        }

        // Connection
        let production = values.flag(O.production)
        let sandbox = values.flag(O.sandbox)
        if production, sandbox { throw values.error("--production and --sandbox exclude each other") }
        let endpoint = try values.string(O.endpoint).map { (text) throws(UsageError) in
            try ValueParser.endpoint(text, option: O.endpoint, command: values.command)
        }
        let caFile = values.string(O.caFile)
        let concurrency = try values.integer(O.concurrency, in: SendDefaults.concurrencyRange,
                                             default: SendDefaults.concurrency)
        let connections = try values.integer(O.connections, in: SendDefaults.connectionsRange,
                                             default: SendDefaults.connections)
        let timeoutMs = try values.duration(O.timeout, default: SendDefaults.timeoutMs)
        let connectTimeoutMs = try values.duration(O.connectTimeout, default: SendDefaults.connectTimeoutMs)

        // Report
        let reportPath = values.string(O.report)
        if input != nil, reportPath == nil, !campaign.dryRun {
            throw values.error("--report is required with --input (a file, or - for stdout)")
        }
        let report = reportPath ?? SendDefaults.deviceReport
        if campaign.resume && report == "-" {
            throw values.error("--resume needs --report FILE: the report on stdout cannot be read back")
        }
        let reportFormat = values.string(O.reportFormat).flatMap(ReportFormatChoice.init(rawValue:))
            ?? (ReportFormat(path: report) == .csv ? .csv : .jsonl)

        return SendOptions(
            input: input, format: format, tokenField: tokenField ?? SendDefaults.tokenField, devices: devices,
            template: template, payload: payload,
            topic: topic, pushType: pushType, priority: priority, expiration: expiration, collapseID: collapseID,
            keyFile: keyFile, keyID: keyID, teamID: teamID,
            environment: production ? .production : SendDefaults.environment,
            endpoint: endpoint, caFile: caFile, concurrency: concurrency, connections: connections,
            timeoutMs: timeoutMs, connectTimeoutMs: connectTimeoutMs,
            report: report, reportFormat: reportFormat,
            verbosity: values.count(.verbose), quiet: values.flag(.quiet), campaign: campaign)
    }
}
