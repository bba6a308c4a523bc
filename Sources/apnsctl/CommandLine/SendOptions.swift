import PushCore

/// `--format`: how `--input` is read.
enum InputFormatChoice: String, Sendable, CaseIterable {
    case csv, jsonl
}

/// `--report-format`: how the report is written.
enum ReportFormatChoice: String, Sendable, CaseIterable {
    case jsonl, csv
}

/// How `apnsctl send` authenticates: where the key or certificate comes from (its bytes only when the value was
/// the secret itself, and then never printable) and ids; never a password.
enum SendCredentials: Equatable, Sendable {
    /// Provider tokens signed with the `.p8` key.
    case token(key: CredentialSource, keyID: String, teamID: String)
    /// A TLS client certificate.
    case certificate(CertificateFiles)
    /// None: a dry run (`check`) sends nothing.
    case none

    /// The key or certificate is read from stdin (`--key -`, `--cert -`).
    var readsStandardInput: Bool {
        switch self {
        case .token(let key, _, _): return key == .standardInput
        case .certificate(let files): return files.certificate == .standardInput
        case .none: return false
        }
    }
}

/// `--cert`, `--cert-key`, `--cert-password-file`.
struct CertificateFiles: Equatable, Sendable {
    var certificate: CredentialSource
    var key: String?
    /// The password's file; nil means APNSCTL_CERT_PASSWORD, or no password.
    var passwordFile: String?
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
    /// Nil only with certificate authentication, where it defaults to the certificate's bundle ID.
    var topic: String?
    var pushType: PushType?
    /// 10, 5 or 1; nil leaves the header out.
    var priority: Int?
    /// UNIX seconds; nil leaves the header out (or `expiresAfter` sets it per request).
    var expiration: Int?
    /// `--expiration 1h`: the send time plus this many seconds.
    var expiresAfter: Int?
    /// `--content-state-schema` path.
    var contentStateSchema: String?

    /// Certificate authentication (`--cert`): push types that need a provider token are refused per row.
    var usesCertificate: Bool {
        if case .certificate = credentials { return true }
        return false
    }
    var collapseID: String?
    var credentials: SendCredentials
    var environment: APNsEnvironment = SendDefaults.environment
    /// `--endpoint`: overrides the environment's host.
    var endpoint: Endpoint?
    /// `--proxy`, or `HTTPS_PROXY` when it applies to the endpoint; nil connects directly.
    var proxy: HTTPProxy?
    var caFile: String?
    var concurrency: Int = SendDefaults.concurrency
    var connections: Int = SendDefaults.connections
    var timeoutMs: Int = SendDefaults.timeoutMs
    var connectTimeoutMs: Int = SendDefaults.connectTimeoutMs
    var pauseMaxMs: Int = SendDefaults.pauseMaxMs
    var retries: Int = SendDefaults.retries
    var gracePeriodMs: Int = SendDefaults.gracePeriodMs
    var rate: Int?
    /// `--report` path, `-` for stdout.
    var report: String
    var reportFormat: ReportFormatChoice = .jsonl
    /// How many times `-v` was given.
    var verbosity: Int = 0
    var quiet: Bool = false
    // Progress, summary and metrics (MonitoringSpec.swift)
    var progress: ProgressMode = MonitoringDefaults.progress
    /// `--summary-json` path, `-` for stdout.
    var summaryJSON: String?
    /// `--file-mode`: permissions of the files created (report, prune list, summary, metrics).
    var fileMode: UInt32 = FileIO.privateMode
    var metricsFile: String?
    /// The metrics' `campaign` label.
    var campaign: String = defaultCampaignName(input: nil)
    var logFormat: LogFormat = MonitoringDefaults.logFormat
    /// Dry run, kept fields and the other campaign options (`check` is a dry run).
    var plan = CampaignOptions()
    /// `apnsctl broadcast`: rows name channels (`channel_id`), `topic` is the bundle ID.
    var broadcast = false
    /// `broadcast --channels FILE`: channel create or read's output, for each channel's storage policy.
    var channels: String?
}

extension SendOptions {
    /// Stage two for `send`: meaning and cross-option rules.
    /// `check` is the same command line as a dry run.
    static func build(from values: inout OptionValues, check: Bool = false,
                      broadcast: Bool = false) throws(UsageError) -> SendOptions {
        typealias O = OptionSpec.Send
        try values.rejectOperands()
        let plan = try CampaignOptions.build(from: &values, check: check)
        if broadcast && values.string(O.input) == nil {
            throw values.error("broadcast needs --input FILE: rows with a channel_id column (apnsctl channel create writes one)")
        }

        // Recipients
        let input = values.string(O.input)
        let devices = values.strings(O.device)
        let format = values.string(O.format).flatMap(InputFormatChoice.init(rawValue:))
        let tokenField = broadcast ? BroadcastDefaults.channelField : values.string(O.tokenField)
        switch (input, devices.isEmpty) {
        case (nil, true):
            throw values.error("\(values.command) needs recipients: --input FILE or --device TOKEN")
        case (.some, false):
            throw values.error("--input and --device exclude each other")
        default: break
        }
        if input == nil {
            if !plan.keep.isEmpty { throw values.error("--keep applies only to --input") }
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

        // Credentials (first: whether --topic is required depends on them). A dry run sends nothing: it uses
        // whatever credentials are given only to know the topic, and needs none.
        let credentials: SendCredentials = plan.dryRun && !plan.connect
            ? ((try? buildCredentials(from: &values)) ?? .none) : try buildCredentials(from: &values)
        if input == "-", credentials.readsStandardInput {
            throw values.error("--input - and a key or certificate read from standard input (-) cannot share stdin")
        }

        // Headers
        let topic = broadcast ? values.string(OptionSpec.Broadcast.bundleID) ?? values.string(O.topic) : values.string(O.topic)
        if topic == nil, case .token = credentials {
            throw values.missing(broadcast ? OptionSpec.Broadcast.bundleID : O.topic, "the app's bundle ID")
        }
        let pushType = try values.choice(O.pushType).map(PushType.init(rawValue:))
        // Flag values go through the rules the same fields get in a row: a mistake here would fail every row.
        if let topic, broadcast {
            do {
                _ = try BroadcastRules.bundleID(topic, label: OptionSpec.Broadcast.bundleID.longFlag)
            } catch {
                throw values.error(error.message)
            }
        } else if let topic {
            do {
                _ = try NotificationRules.topic(topic, label: O.topic.longFlag)
                _ = try NotificationRules.topic(topic, for: pushType, label: O.topic.longFlag)
            } catch {
                throw values.error(error.message)
            }
        }
        let priority = try values.choice(O.priority).flatMap { Int($0) }
        if broadcast, let priority, priority != 5 && priority != 10 {
            throw values.error("\(O.priority.longFlag): a broadcast (a Live Activity) takes priority 5 or 10, not \(priority)")
        }
        var expiration: Int?, expiresAfter: Int?
        if let text = values.string(O.expiration) {
            do {
                switch try ExpirationValue.parse(text, nowSeconds: Clock.wallSeconds(), label: O.expiration.longFlag) {
                case .at(let time): expiration = time
                case .after(let seconds): expiresAfter = seconds
                }
            } catch {
                throw values.error(error.message)
            }
        }
        let collapseID = values.string(O.collapseID)
        if let collapseID {
            do {
                _ = try NotificationRules.collapseID(collapseID, label: O.collapseID.longFlag)
            } catch {
                throw values.error(error.message)
            }
        }

        // Connection
        let environment = try environmentChoice(from: &values)
        let endpoint = try values.resolved(O.endpoint).map { (resolved) throws(UsageError) in
            try ValueParser.endpoint(resolved.value, option: O.endpoint, command: values.command,
                                     label: resolved.source.label(for: O.endpoint))
        }
        let proxy = try buildProxy(from: &values,
                                   target: endpoint ?? Endpoint(host: environment.host, port: APNsEnvironment.defaultPort))
        let caFile = values.string(O.caFile)
        let concurrency = try values.integer(O.concurrency, in: SendDefaults.concurrencyRange,
                                             default: SendDefaults.concurrency)
        let connections = try values.integer(O.connections, in: SendDefaults.connectionsRange,
                                             default: SendDefaults.connections)
        let timeoutMs = try values.duration(O.timeout, default: SendDefaults.timeoutMs)
        let connectTimeoutMs = try values.duration(O.connectTimeout, default: SendDefaults.connectTimeoutMs)
        let pauseMaxMs = try values.duration(O.pauseMax, default: SendDefaults.pauseMaxMs)
        let retries = try values.integer(O.retries, in: SendDefaults.retriesRange, default: SendDefaults.retries)
        let gracePeriodMs = try values.duration(O.gracePeriod, default: SendDefaults.gracePeriodMs)
        let rate = try values.string(O.rate).map { (text) throws(UsageError) in
            try ValueParser.integer(text, in: SendDefaults.rateRange, option: O.rate, command: values.command)
        }

        // Report
        let reportPath = values.string(O.report)
        if input != nil, reportPath == nil, !plan.dryRun {
            throw values.error("--report is required with --input (a file, or - for stdout)")
        }
        let report = reportPath ?? SendDefaults.deviceReport
        if plan.resume && report == "-" {
            throw values.error("--resume needs --report FILE: the report on stdout cannot be read back")
        }
        let fileMode = try values.fileMode()
        let reportFormat = values.string(O.reportFormat).flatMap(ReportFormatChoice.init(rawValue:))
            ?? (ReportFormat(path: report) == .csv ? .csv : .jsonl)

        // Progress, summary and metrics
        let progress = values.string(O.progress).flatMap(ProgressMode.init(rawValue:)) ?? MonitoringDefaults.progress
        let summaryJSON = values.string(O.summaryJSON)
        if summaryJSON == "-", report == "-" {
            throw values.error("--summary-json - and the report would both go to stdout; write one of them to a file")
        }
        let metricsFile = values.string(O.metricsFile)
        if metricsFile == "-" {
            throw values.error("--metrics-file needs a file (it is replaced atomically), not -")
        }
        let campaign = values.string(O.campaign) ?? defaultCampaignName(input: input)
        let logFormat = values.string(O.logFormat).flatMap(LogFormat.init(rawValue:)) ?? MonitoringDefaults.logFormat

        var options = SendOptions(
            input: input, format: format, tokenField: tokenField ?? SendDefaults.tokenField, devices: devices,
            template: template, payload: payload,
            topic: topic, pushType: pushType, priority: priority, expiration: expiration, collapseID: collapseID,
            credentials: credentials,
            environment: environment,
            endpoint: endpoint, proxy: proxy, caFile: caFile, concurrency: concurrency, connections: connections,
            timeoutMs: timeoutMs, connectTimeoutMs: connectTimeoutMs, retries: retries, gracePeriodMs: gracePeriodMs,
            rate: rate,
            report: report, reportFormat: reportFormat,
            verbosity: values.count(.verbose), quiet: values.flag(.quiet),
            progress: progress, summaryJSON: summaryJSON, fileMode: fileMode, metricsFile: metricsFile, campaign: campaign,
            logFormat: logFormat, plan: plan)
        options.pauseMaxMs = pauseMaxMs
        options.expiresAfter = expiresAfter
        options.contentStateSchema = values.string(O.contentStateSchema)
        options.broadcast = broadcast
        if broadcast { options.channels = values.string(OptionSpec.Broadcast.channels) }
        return options
    }

    /// `--production`, `--sandbox` and `--environment` on the command line (one of them), else
    /// APNSCTL_ENVIRONMENT, else the config file, else sandbox.
    static func environmentChoice(from values: inout OptionValues) throws(UsageError) -> APNsEnvironment {
        typealias O = OptionSpec.Send
        let production = values.flag(O.production)
        let sandbox = values.flag(O.sandbox)
        let chosen = values.resolved(O.environment)
        if production, sandbox { throw values.error("--production and --sandbox exclude each other") }
        if production || sandbox, values.given(O.environment) {
            throw values.error("--environment and --\(production ? "production" : "sandbox") exclude each other")
        }
        if production { return .production }
        if sandbox { return .sandbox }
        guard let chosen else { return SendDefaults.environment }
        return APNsEnvironment(rawValue: try values.checkChoice(O.environment, chosen)) ?? SendDefaults.environment
    }
}

extension SendOptions {
    /// Token authentication (`--key`, `--key-id`, `--team-id`, each with its environment variable) or certificate
    /// authentication (`--cert`). `--cert` on the command line wins over the token variables in the environment;
    /// both on the command line is a mistake.
    static func buildCredentials(from values: inout OptionValues) throws(UsageError) -> SendCredentials {
        typealias O = OptionSpec.Send
        // Only the one used is read (classified): the other may be a stale variable of the CI job.
        let certificate = try values.pendingCredential(O.cert, variable: O.certEnv)
        let certKey = values.string(O.certKey)
        let passwordFile = values.string(O.certPasswordFile)
        let token = try values.pendingCredential(O.key, variable: O.keyEnv)
        let keyGiven = token?.given ?? false
        let keyIDGiven = values.given(O.keyID)
        let teamIDGiven = values.given(O.teamID)
        let keyID = values.string(O.keyID)
        let teamID = values.string(O.teamID)

        let certGiven = certificate?.given ?? false
        // Flags win over the environment and the config file: a --key on the command line sets aside a
        // certificate that only came from APNSCTL_CERT or the profile, and the other way round.
        if certificate != nil, !certGiven, token != nil, !keyGiven {
            throw values.error("both a certificate (APNSCTL_CERT or the config file's cert) and a token key "
                + "(APNSCTL_KEY or the config file's key) are set: give --cert or --key on the command line, "
                + "or unset one")
        }
        if let certificate, certGiven || !keyGiven {
            if keyGiven {
                throw values.error("--cert and --key exclude each other: drop --key (with --key-id and --team-id) "
                    + "to authenticate with the certificate, or drop --cert to use the token key")
            }
            for (given, spec) in [(keyIDGiven, O.keyID), (teamIDGiven, O.teamID)] where given {
                throw values.error("\(spec.longFlag) belongs to token authentication (--key); drop it when using --cert")
            }
            let cert = try values.source(of: certificate, fileExists: FileIO.exists)
            return .certificate(CertificateFiles(certificate: cert, key: certKey, passwordFile: passwordFile))
        }
        if certKey != nil { throw values.error("--cert-key needs --cert (the certificate it belongs to)") }
        if passwordFile != nil { throw values.error("--cert-password-file needs --cert") }
        guard let token else { throw values.missing(O.key, "the .p8 signing key") }
        let keyFile = try values.source(of: token, fileExists: FileIO.exists)
        guard let keyID else { throw values.missing(O.keyID, "the key's 10-character ID") }
        guard let teamID else { throw values.missing(O.teamID, "your 10-character team ID") }
        return .token(key: keyFile, keyID: keyID, teamID: teamID)
    }

    /// `--proxy`, else the proxy environment variables as they apply to `target`.
    static func buildProxy(from values: inout OptionValues, target: Endpoint) throws(UsageError) -> HTTPProxy? {
        let flag = values.string(OptionSpec.Send.proxy)
        var environment: [String: String] = [:]
        for name in ProxySelection.environmentNames + ProxySelection.noProxyNames {
            if let value = values.environmentValue(name) { environment[name] = value }
        }
        do {
            return try ProxySelection.resolve(flag: flag, environment: environment, target: target)
        } catch {
            throw values.error(error.description)
        }
    }
}
