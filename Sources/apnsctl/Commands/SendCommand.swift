import Foundation
import PushCore

/// `apnsctl send` (and `check`, a dry run): builds the campaign from the options, runs it, prints the summary,
/// maps the result to an exit status. Everything that can be checked before a connection opens is checked
/// first (key, template, input header, report file, metrics file), so those mistakes cost nothing.
func runSend(_ options: SendOptions, environment: [String: String] = [:]) -> Int32 {
    let command = options.plan.command
    let dryRun = options.plan.dryRun
    let statusLine = StatusLine()
    let showProgress = TerminalInfo.showsProgress(options.progress, quiet: options.quiet,
                                                  isTerminal: TerminalInfo.stderrIsTerminal,
                                                  reportOnTerminal: options.report == "-" && TerminalInfo.stdoutIsTerminal
                                                      && TerminalInfo.stderrIsTerminal)
    var log: EventLog?
    if options.verbosity > 0 && !options.quiet {
        let format = options.logFormat
        log = { message in statusLine.print(EventLogFormat.line(message, format: format, timeMs: Clock.wallMilliseconds())) }
    }
    log?(BuildInfo.running.line)   // which build sent this campaign, first in the log

    // One run per report, first of all: a second cron run on the same report stops here, having done nothing.
    var lock: ReportLock?
    if options.report != "-" && Files.isRegularFile(options.report) != false {
        do {
            lock = try ReportLock(report: options.report, startedAtMs: Clock.wallMilliseconds())
        } catch {
            return fatal("\(error)")
        }
    }
    defer { lock?.release() }

    // Credentials: a .p8 key for provider tokens, or a client certificate. A dry run needs none.
    var credentials: LoadedCredentials?
    if !dryRun || options.plan.connect {
        do {
            credentials = try loadCredentials(options, environment: ProcessInfo.processInfo.environment,
                                              now: Clock.wallSeconds(), warn: { message in
                                                  if !options.quiet { Output.standardError("apnsctl: warning: \(message)\n") }
                                              }, log: log)
        } catch {
            switch error {
            case .usage(let message): return usageFailure(message, command: command)
            case .fatal(let message): return fatal(message)
            }
        }
    }

    // Payload template (checked once, rendered per row).
    let template: PayloadTemplate?
    do {
        if let path = options.template {
            template = try PayloadTemplate.load(path: path)
        } else if let text = options.payload {
            template = try PayloadTemplate(text: text, name: "--payload")
        } else {
            template = nil
        }
    } catch {
        return usageFailure("\(error)", command: command)
    }
    var contentStateSchema: ContentStateSchema?
    if let path = options.contentStateSchema {
        do {
            contentStateSchema = try ContentStateSchema.load(path: path)
        } catch {
            return usageFailure("--content-state-schema: \(error)", command: command)
        }
    }
    let defaults = NotificationDefaults(topic: credentials?.topic ?? options.topic, pushType: options.pushType,
                                        priority: options.priority, expiration: options.expiration,
                                        collapseID: options.collapseID, expiresAfter: options.expiresAfter,
                                        usesTokenAuth: options.usesCertificate == false,
                                        contentStateSchema: contentStateSchema)
    var channels: ChannelPolicies?
    if let path = options.channels {
        do {
            var reader = try openRecordReader(path: path, format: nil, tokenField: "channel_id")
            channels = try ChannelPolicies(reader: &reader, name: path)
        } catch let error as InputError where error.kind == .unusable {
            return usageFailure("--channels: \(error.message)", command: command)
        } catch {
            return fatal("--channels: \(error)")
        }
    }
    let preparer = options.broadcast ? RowPreparer.broadcast(template: template, defaults: defaults, channels: channels)
        : RowPreparer(template: template, defaults: defaults, tokenField: options.tokenField)
    let plan = RowPlan(preparer: preparer, dryRun: dryRun, keep: options.plan.keep, shard: options.plan.shard,
                       dedupe: options.plan.dedupe)
    if !options.broadcast, let text = pushTypeText(preparer, options: options) { log?(text) }
    // A template that fits no push type, with no --push-type: the rows must say (a push_type field), else nothing is sent.
    let untypedTemplate = options.broadcast || preparer.defaultType != nil ? nil : template?.name

    // Input: a file or stdin, or the --device tokens. A missing token column is the command line's mistake.
    var reader: any RecordReader
    var bytesRead: ByteCounter?
    var total = ProgressTotal.rows(options.devices.count)
    if let input = options.input {
        if !dryRun && Files.isRegularFile(input) == true {   // a pipe can be read once only: checked at its end
            do {
                try verifyCompressedInput(path: input)
            } catch {
                return fatal("\(error.message): nothing was sent")
            }
        }
        do {
            let opened = try openCountedInput(path: input, format: options.format.flatMap { InputFormat(rawValue: $0.rawValue) },
                                              tokenField: options.tokenField)
            (reader, bytesRead, total) = (opened.reader, opened.counter, opened.total)
        } catch let error as InputError where error.kind == .unusable {
            return usageFailure(error.message, command: command)   // no header, no token column...: fix the file or the options
        } catch {
            return fatal("\(error)")          // cannot open or read it
        }
        // The fields the whole run needs (template placeholders, --keep, a payload source) are in the input.
        let fieldCheck = InputFieldCheck(templateFields: template?.fieldNames ?? [], keep: options.plan.keep,
                                         hasTemplate: template != nil, tokenField: options.tokenField,
                                         untypedTemplate: untypedTemplate)
        let inputName = input == "-" ? "stdin" : input
        if let csv = reader as? CSVReader, let problem = fieldCheck.problem(columns: csv.columns, name: inputName) {
            return usageFailure(problem.message, command: command)
        }
        if let jsonl = reader as? JSONLReader {
            do {
                let sampled = try SampledRecordReader(jsonl, count: InputFieldCheck.sampleSize)
                if let problem = fieldCheck.problem(sample: sampled.sampled, name: inputName) {
                    return usageFailure(problem.message, command: command)
                }
                reader = sampled
            } catch {
                return fatal("\(error)")
            }
        }
    } else {
        if let untypedTemplate { return usageFailure(PushTypeRules.untyped(untypedTemplate), command: command) }
        reader = DeviceListReader(tokens: options.devices)
    }

    // Transport and report.
    let endpoint = options.endpoint ?? Endpoint(host: options.environment.host, port: APNsEnvironment.defaultPort)
    var tlsContext: TLSContext?
    if let credentials {
        do {
            tlsContext = try TLSContext.client(caFile: options.caFile, identity: credentials.identity)
        } catch {
            return fatal("\(error)")
        }
    }
    if let path = options.summaryJSON, path != "-", let problem = Files.unwritableDirectory(of: path) {
        return fatal("--summary-json: \(problem)")
    }
    // A report that holds rows is continued or started over on purpose only.
    let reportFormat = ReportFormat(rawValue: options.reportFormat.rawValue) ?? .jsonl
    if !dryRun, !options.plan.resume, !options.plan.force, let rows = existingReportRows(options.report, format: reportFormat) {
        return usageFailure("\(options.report) \(rows): add --resume to continue it, or --force to start over "
            + "(its rows are then replaced and every row is sent again)", command: command)
    }
    // --resume: the rows the report already settled (none when it does not exist yet).
    var resumeIndex: ResumeIndex?
    if options.plan.resume, FileManager.default.fileExists(atPath: options.report) {
        do {
            resumeIndex = try ResumeIndex.load(path: options.report, format: reportFormat,
                                               dryRun: options.plan.dryRun, keep: options.plan.keep)
        } catch {
            return fatal("cannot resume: \(error)")
        }
    }
    let report: ReportWriter
    do {
        report = try ReportWriter(path: options.report, format: reportFormat, append: options.plan.resume,
                                  keptFields: options.plan.keep, fileMode: options.fileMode,
                                  columns: options.broadcast ? .broadcast : .device)
    } catch {
        return fatal("\(error)")
    }
    let planner = RowPlanner(plan: plan, resume: resumeIndex)

    let summary = RunSummary(endpoint: endpoint, startedAtMs: Clock.wallMilliseconds())
    let result: CampaignResult
    let signal: Int32?
    let rowsRead: Int
    var metrics: MetricsWriter?
    if let tlsContext, let credentials, !dryRun {
        var pruneList: PruneListWriter?
        if let path = options.plan.pruneList {
            do {
                pruneList = try PruneListWriter(path: path, append: options.plan.resume, fileMode: options.fileMode)
            } catch {
                return fatal("\(error)")
            }
        }
        var settings = CampaignSettings(endpoint: endpoint, concurrency: options.concurrency,
                                        connections: options.connections, requestTimeoutMs: options.timeoutMs,
                                        connectTimeoutMs: options.connectTimeoutMs,
                                        retryPolicy: RetryPolicy(maxRetries: options.retries), ratePerSecond: options.rate,
                                        campaignGuard: CampaignGuard(environmentFlag: options.endpoint == nil
                                            ? "--\(options.environment.rawValue)" : nil))
        settings.campaignGuard?.topic = defaults.topic.map { (try? NotificationRules.topic($0, for: preparer.defaultType)) ?? $0 }
        settings.proxy = options.proxy
        settings.clientCertificate = credentials.identity?.info
        if options.verbosity > 1 { settings.trace = log }
        settings.maxPauseMs = options.pauseMaxMs
        let quiet = options.quiet
        settings.warn = { message in if !quiet { Output.standardError("apnsctl: warning: \(message)\n") } }
        if let proxy = options.proxy { log?("connecting to \(endpoint) through proxy \(proxy)") }
        let campaign = Campaign(settings: settings, tlsContext: tlsContext, auth: credentials.authorization,
                                report: report, pruneList: pruneList, summary: summary, log: log)
        // The metrics file is written once before anything is sent: a path that cannot be written stops here.
        metrics = options.metricsFile.map { MetricsWriter(path: $0, campaign: options.campaign, fileMode: options.fileMode) }
        do {
            try metrics?.writeFinal(campaign.progress(), exitStatus: nil, succeeded: false, finished: false)
        } catch {
            return fatal("--metrics-file: \(error)")
        }
        let monitor = RunMonitor(campaign: campaign, configuration: RunMonitor.Configuration(
            statusLine: showProgress ? statusLine : nil,
            width: { TerminalInfo.stderrWidth(environment: environment) },
            total: total, bytesRead: bytesRead, metrics: metrics))
        let interrupts = InterruptWatcher { campaign.interrupt(graceMs: options.gracePeriodMs) }
        result = campaign.run(reader: &reader, planner: planner)
        signal = interrupts.stop()
        monitor.stop()
        rowsRead = campaign.progress().rowsRead
    } else {
        let dryRunner = DryRun(report: report, summary: summary)
        let interrupts = InterruptWatcher { dryRunner.interrupt() }
        result = dryRunner.run(reader: &reader, planner: planner)
        signal = interrupts.stop()
        if signal == nil, options.plan.connect, let tlsContext, let credentials {
            if !options.quiet { Output.standardError(result.summary.render()) }
            return proveCredentials(options, endpoint: endpoint, tlsContext: tlsContext, credentials: credentials,
                                    rowsStatus: result.exitStatus, log: log)
        }
        rowsRead = result.summary.total
    }

    // With --resume, the exit status and the totals describe the whole campaign: the report's rows and this run's.
    var campaignTotals: RunSummary?
    if var settled = resumeIndex?.settled {
        settled.merge(result.summary)
        campaignTotals = settled
    }
    let rowsStatus = (campaignTotals ?? result.summary).exitStatus(strict: options.plan.strict)
    // The fatal error first, the partial summary after it, then what is left and how to continue.
    var after: [String] = []
    let status: ExitStatus
    if let signal {
        status = signal == SIGTERM ? .terminated : .interrupted
        after.append(leftOver(result, verb: "interrupted", report: options.report))
    } else if let fatal = result.fatal {
        Output.standardError("apnsctl: \(fatal)\n")
        status = .fatal
        if !dryRun && result.canContinue { after.append(leftOver(result, verb: "stopped", report: options.report)) }
    } else if result.reportReaderGone {
        // `--report - | head`: the reader has what it wanted. Stop quietly, but not with 0: rows were left.
        after.append("apnsctl: stopped sending: the reader of the report on stdout went away\n")
        status = .undelivered
    } else {
        status = rowsStatus == 0 ? .success : .undelivered
    }
    if !options.quiet {
        for warning in preparer.notes.warnings { Output.standardError("apnsctl: warning: \(warning)\n") }
        var text = (dryRun ? pushTypeText(preparer, options: options).map { $0 + "\n" } ?? "" : "") + result.summary.render()
        if let campaignTotals { text += campaignTotals.rowsLine(label: "campaign") + " (the report's rows and this run's)\n" }
        Output.standardError(text)
    }
    for message in after { Output.standardError(message) }

    return finishOutputs(options, result: result, campaignTotals: campaignTotals, rowsRead: rowsRead, status: status,
                         metrics: metrics).rawValue
}

/// Which push type the run sends when no row sets its own: "push type: alert (inferred from the template)", in
/// `check`'s summary and at the start of a `-v` log; nil when the rows bring their own payloads. Each row's type is
/// in the report's `push_type` column, and in every request of a `-vv` log.
private func pushTypeText(_ preparer: RowPreparer, options: SendOptions) -> String? {
    guard let type = preparer.defaultType else { return nil }
    let source = options.pushType != nil ? "--push-type" : "inferred from \(preparer.template?.name ?? "the payload")"
    return "push type: \(type.rawValue) (\(source))"
}

/// "interrupted: 120 rows not sent yet; …": what a run that did not finish left, and how to continue it.
private func leftOver(_ result: CampaignResult, verb: String, report: String) -> String {
    let left = result.rowsNotSettled
    let rows = "\(left) row\(left == 1 ? "" : "s")"
    let how = report == "-" ? "run the same command again" : "run the same command with --resume"
    let stopped = result.summary.stopped
    let what = stopped > 0 ? "not in the report yet (\(stopped) of them answered while the run stopped)" : "not sent yet"
    let sent = result.summary.total
    let done = sent > 0 ? "\(sent) row\(sent == 1 ? "" : "s") of this run in the report; " : ""
    if result.inputEnded {
        return "apnsctl: \(verb): \(done)\(rows) \(what); \(how)\n"
    }
    return "apnsctl: \(verb): \(done)\(rows) read and \(what), and the rest of the input not read; \(how) to send "
        + "them\n"
}

/// "has 120 rows" when `path` is a report that holds rows, "is not empty" when it holds something else; nil when
/// it is missing, empty or not a regular file (a pipe, /dev/null).
private func existingReportRows(_ path: String, format: ReportFormat) -> String? {
    guard path != "-", Files.isRegularFile(path) == true, Files.size(path).map({ $0 > 0 }) == true else { return nil }
    guard let reader = try? ReportReader(path: path, format: format) else { return "is not empty" }
    reader.ignoresTornLastLine = true
    var rows = 0
    do {
        while try reader.next() != nil { rows += 1 }
    } catch {
        return "is not empty"
    }
    return rows == 0 ? nil : "has \(rows) row\(rows == 1 ? "" : "s")"
}

/// `check --connect`: one request to the all-zero token. APNs answers BadDeviceToken only after it accepted the
/// credentials (and the topic), so that answer proves them and reaches no device. Returns the exit status:
/// the rows' status (0/1) when the credentials work, 3 when they do not or no connection could be made.
private func proveCredentials(_ options: SendOptions, endpoint: Endpoint, tlsContext: TLSContext,
                              credentials: LoadedCredentials, rowsStatus: Int32, log: EventLog?) -> Int32 {
    let report: ReportWriter
    do {
        report = try ReportWriter(path: "/dev/null", format: .jsonl)
    } catch {
        return fatal("\(error)")
    }
    let settings = CampaignSettings(endpoint: endpoint, concurrency: 1, connections: 1,
                                    requestTimeoutMs: options.timeoutMs, connectTimeoutMs: options.connectTimeoutMs,
                                    retryPolicy: RetryPolicy(maxRetries: 1), campaignGuard: nil)
    var proxied = settings
    proxied.proxy = options.proxy
    let campaign = Campaign(settings: proxied, tlsContext: tlsContext, auth: credentials.authorization, report: report,
                            summary: RunSummary(endpoint: endpoint, startedAtMs: Clock.wallMilliseconds()), log: log)
    var reader = DeviceListReader(tokens: [String(repeating: "0", count: 64)])
    let preparer = RowPreparer(template: try? PayloadTemplate(text: #"{"aps":{}}"#),
                               defaults: NotificationDefaults(topic: credentials.topic ?? options.topic,
                                                              pushType: options.pushType ?? .alert))
    let result = campaign.run(reader: &reader, planner: RowPlanner(plan: RowPlan(preparer: preparer)))
    if let problem = result.fatal { return fatal("--connect: \(problem)") }
    let reason = result.summary.reasonCounts.keys.first ?? "no answer"
    if result.summary.reasonCounts[Reason.badDeviceToken.rawValue] == 1 {
        Output.standardError("apnsctl: --connect: \(endpoint) accepted the credentials (the all-zero test token was "
            + "refused as BadDeviceToken, as expected)\n")
        return rowsStatus
    }
    if result.summary.count(.delivered) == 1 {
        Output.standardError("apnsctl: --connect: \(endpoint) accepted the credentials and the test token\n")
        return rowsStatus
    }
    let hint = Reason(rawValue: reason).isCredentialFailure ? ": \(Reason(rawValue: reason).credentialHint)" : ""
    return fatal("--connect: \(endpoint) did not accept the test request (\(reason))\(hint)")
}

/// Writes `--summary-json` and the final `--metrics-file`. A failure to write either is reported and makes the
/// exit status 3 (a cron job must notice), unless the run already ended worse.
private func finishOutputs(_ options: SendOptions, result: CampaignResult, campaignTotals: RunSummary?, rowsRead: Int,
                           status: ExitStatus, metrics: MetricsWriter?) -> ExitStatus {
    var status = status
    let ranToEnd = result.fatal == nil && !result.reportReaderGone
        && status != .interrupted && status != .terminated
    if let path = options.summaryJSON {
        var extra: [(key: String, value: JSONValue)] = [
            ("campaign", .string(options.campaign)), ("exit_status", .number(String(status.rawValue))),
            ("version", .string(BuildInfo.running.line)),
        ]
        if let campaignTotals { extra.append(("campaign_rows", campaignTotals.rowsJSON)) }
        do {
            try Files.replace(path, with: result.summary.renderJSON(extra: extra), mode: options.fileMode)
        } catch {
            Output.standardError("apnsctl: --summary-json: \(error)\n")
            if status.rawValue < ExitStatus.fatal.rawValue { status = .fatal }
        }
    }
    if let metrics {
        let progress = CampaignProgress(rowsRead: rowsRead, queued: 0, summary: result.summary)
        do {
            try metrics.writeFinal(progress, exitStatus: status.rawValue, succeeded: ranToEnd, campaignTotals: campaignTotals)
        } catch {
            Output.standardError("apnsctl: --metrics-file: \(error)\n")
            if status.rawValue < ExitStatus.fatal.rawValue { status = .fatal }
        }
    }
    return status
}

/// A fatal message may quote a server (a refusal's reason): its control characters are escaped.
private func fatal(_ message: String) -> Int32 {
    Output.standardError("apnsctl: \(TerminalText.escapeLines(message))\n")
    return ExitStatus.fatal.rawValue
}

private func usageFailure(_ message: String, command: String) -> Int32 {
    Output.standardError(UsageError(message, command: command).rendered)
    return ExitStatus.usage.rawValue
}

/// Turns the first SIGINT/SIGTERM into a graceful stop (no new rows; in-flight requests finish and are
/// reported); a second one ends the process at once with the default action.
///
/// The signals reach the watcher's thread only: the thread that makes the watcher blocks them once the watcher's
/// thread is started (the threads it starts later inherit that), until `stop()`. The watcher's thread stays after
/// the first signal, to take the second.
final class InterruptWatcher: @unchecked Sendable {
    private let waker = Waker()
    private let done = Waker()
    private let thread: Thread
    private let finished = DispatchSemaphore(value: 0)

    init(onInterrupt: @escaping @Sendable () -> Void) {
        let waker = self.waker
        let done = self.done
        let finished = self.finished
        thread = Thread {
            var pollSet = PollSet(capacity: 2)
            pollSet.add(waker.readFD, .readable)
            pollSet.add(done.readFD, .readable)
            pollSet.waitUntilReady()
            if !pollSet.events(at: 0).isEmpty {
                for signo in Waker.stopSignals { signal(signo, SIG_DFL) }
                onInterrupt()
                var end = PollSet(capacity: 1)   // the thread a second signal is delivered to, until the run ends
                end.add(done.readFD, .readable)
                end.waitUntilReady()
            }
            finished.signal()
        }
        waker.wakeOnSignals()
        thread.start()
        Waker.setBlocked(true)
    }

    /// Stops watching; returns the signal that interrupted the run, if any. The calling thread takes the signals
    /// again (after a first one, a second ends the process).
    func stop() -> Int32? {
        done.wake()
        finished.wait()
        Waker.setBlocked(false)
        return Waker.caughtSignal
    }
}
