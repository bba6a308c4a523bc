import Foundation
import PushCore

/// `apnsctl send` (and `check`, a dry run): builds the campaign from the options, runs it, prints the
/// summary, maps the result to an exit status. Everything that can be checked before a connection opens is checked first (key, template,
/// input header, report file), so those mistakes cost nothing.
func runSend(_ options: SendOptions) -> Int32 {
    var log: EventLog?
    if options.verbosity > 0 && !options.quiet {
        log = { message in Output.standardError("apnsctl: \(message)\n") }
    }

    // Credentials: the key file must hold the P-256 .p8 key; ids are 10 characters. A dry run needs none.
    var tokens: ProviderTokenSource?
    if !options.campaign.dryRun, let keyFile = options.keyFile, let keyID = options.keyID, let teamID = options.teamID {
        do {
            let key = try ES256PrivateKey(pemFile: keyFile)
            let source = try ProviderTokenSource(key: key, keyID: keyID, teamID: teamID)
            _ = try source.authorization()   // sign once now: a key that cannot sign fails before anything is read
            tokens = source
        } catch let error as ProviderTokenError {
            return usageFailure("\(error)", command: options.campaign.command)
        } catch {
            return fatal("\(error)")
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
        return usageFailure("\(error)", command: options.campaign.command)
    }
    let defaults = NotificationDefaults(topic: options.topic, pushType: options.pushType, priority: options.priority,
                                        expiration: options.expiration, collapseID: options.collapseID)
    let preparer = RowPreparer(template: template, defaults: defaults, tokenField: options.tokenField)
    let plan = RowPlan(preparer: preparer, dryRun: options.campaign.dryRun, keep: options.campaign.keep,
                       shard: options.campaign.shard, dedupe: options.campaign.dedupe)

    // Input: a file or stdin, or the --device tokens. A missing token column is the command line's mistake.
    var reader: any RecordReader
    if let input = options.input {
        do {
            reader = try openRecordReader(path: input, format: options.format.flatMap { InputFormat(rawValue: $0.rawValue) },
                                          tokenField: options.tokenField)
        } catch let error as InputError where error.kind == .missingTokenColumn {
            return usageFailure(error.message, command: options.campaign.command)
        } catch {
            return fatal("\(error)")
        }
    } else {
        reader = DeviceListReader(tokens: options.devices)
    }

    // Transport and report.
    let endpoint = options.endpoint ?? Endpoint(host: options.environment.host, port: APNsEnvironment.defaultPort)
    var tlsContext: TLSContext?
    if !options.campaign.dryRun {
        do {
            tlsContext = try TLSContext.client(caFile: options.caFile)
        } catch {
            return fatal("\(error)")
        }
    }
    // --resume: the rows the report already settled (none when it does not exist yet).
    let reportFormat = ReportFormat(rawValue: options.reportFormat.rawValue) ?? .jsonl
    var resumeIndex: ResumeIndex?
    if options.campaign.resume, FileManager.default.fileExists(atPath: options.report) {
        do {
            resumeIndex = try ResumeIndex.load(path: options.report, format: reportFormat,
                                               dryRun: options.campaign.dryRun, keep: options.campaign.keep)
        } catch {
            return fatal("cannot resume: \(error)")
        }
    }
    let report: ReportWriter
    do {
        report = try ReportWriter(path: options.report, format: reportFormat, append: options.campaign.resume,
                                  keptFields: options.campaign.keep)
    } catch {
        return fatal("\(error)")
    }
    let planner = RowPlanner(plan: plan, resume: resumeIndex)

    let summary = RunSummary(endpoint: endpoint, startedAtMs: Clock.wallMilliseconds())
    let result: CampaignResult
    let signal: Int32?
    if let tlsContext, let tokens {
        var pruneList: PruneListWriter?
        if let path = options.campaign.pruneList {
            do {
                pruneList = try PruneListWriter(path: path, append: options.campaign.resume)
            } catch {
                return fatal("\(error)")
            }
        }
        let settings = CampaignSettings(endpoint: endpoint, concurrency: options.concurrency, connections: options.connections,
                                        requestTimeoutMs: options.timeoutMs, connectTimeoutMs: options.connectTimeoutMs)
        let campaign = Campaign(settings: settings, tlsContext: tlsContext, auth: tokens, report: report,
                                pruneList: pruneList, summary: summary, log: log)
        let interrupts = InterruptWatcher { campaign.interrupt() }
        result = campaign.run(reader: &reader, planner: planner)
        signal = interrupts.stop()
    } else {
        let dryRun = DryRun(report: report, summary: summary)
        let interrupts = InterruptWatcher { dryRun.interrupt() }
        result = dryRun.run(reader: &reader, planner: planner)
        signal = interrupts.stop()
    }

    if !options.quiet { Output.standardError(result.summary.render()) }
    if let signal { return signal == SIGTERM ? ExitStatus.terminated.rawValue : ExitStatus.interrupted.rawValue }
    if let fatal = result.fatal {
        Output.standardError("apnsctl: \(fatal)\n")
        return ExitStatus.fatal.rawValue
    }
    return result.exitStatus
}

private func fatal(_ message: String) -> Int32 {
    Output.standardError("apnsctl: \(message)\n")
    return ExitStatus.fatal.rawValue
}

private func usageFailure(_ message: String, command: String) -> Int32 {
    Output.standardError(UsageError(message, command: command).rendered)
    return ExitStatus.usage.rawValue
}

/// Turns the first SIGINT/SIGTERM into a graceful stop (no new rows; in-flight requests finish and are
/// reported); a second one ends the process at once with the default action.
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
            var fds = [pollfd(fd: waker.readFD, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: done.readFD, events: Int16(POLLIN), revents: 0)]
            while poll(&fds, 2, -1) < 0 && errno == EINTR {}
            if fds[0].revents != 0 {
                for signo in Waker.stopSignals { signal(signo, SIG_DFL) }
                onInterrupt()
            }
            finished.signal()
        }
        waker.wakeOnSignals()
        thread.start()
    }

    /// Stops watching; returns the signal that interrupted the run, if any.
    func stop() -> Int32? {
        done.wake()
        finished.wait()
        return Waker.caughtSignal
    }
}
