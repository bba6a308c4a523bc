import Foundation
import PushCore

/// `apnsctl send`: builds the campaign from the options, runs it, prints the summary, maps the result to an
/// exit status. Everything that can be checked before a connection opens is checked first (key, template,
/// input header, report file), so those mistakes cost nothing.
func runSend(_ options: SendOptions) -> Int32 {
    var log: EventLog?
    if options.verbosity > 0 && !options.quiet {
        log = { message in Output.standardError("apnsctl: \(message)\n") }
    }

    // Credentials: a .p8 key for provider tokens, or a client certificate.
    let credentials: LoadedCredentials
    do {
        credentials = try loadCredentials(options, environment: ProcessInfo.processInfo.environment,
                                          now: Clock.wallSeconds(), warn: { message in
                                              if !options.quiet { Output.standardError("apnsctl: warning: \(message)\n") }
                                          }, log: log)
    } catch {
        switch error {
        case .usage(let message): return usageFailure(message)
        case .fatal(let message): return fatal(message)
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
        return usageFailure("\(error)")
    }
    let defaults = NotificationDefaults(topic: credentials.topic, pushType: options.pushType, priority: options.priority,
                                        expiration: options.expiration, collapseID: options.collapseID)
    let preparer = RowPreparer(template: template, defaults: defaults, tokenField: options.tokenField)

    // Input: a file or stdin, or the --device tokens.
    var reader: any RecordReader
    if let input = options.input {
        do {
            reader = try openRecordReader(path: input, format: options.format.flatMap { InputFormat(rawValue: $0.rawValue) },
                                          tokenField: options.tokenField)
        } catch let error as InputError where error.kind == .unusable {
            return usageFailure("\(error)")   // no header, no token column...: fix the file or the options
        } catch {
            return fatal("\(error)")          // cannot open or read it
        }
    } else {
        reader = DeviceListReader(tokens: options.devices)
    }

    // Transport and report.
    let endpoint = options.endpoint ?? Endpoint(host: options.environment.host, port: APNsEnvironment.defaultPort)
    let tlsContext: TLSContext
    do {
        tlsContext = try TLSContext.client(caFile: options.caFile, identity: credentials.identity)
    } catch {
        return fatal("\(error)")
    }
    let reportFormat = ReportFormat(rawValue: options.reportFormat.rawValue) ?? .jsonl
    let report: ReportWriter
    do {
        report = try ReportWriter(path: options.report, format: reportFormat)
    } catch {
        return fatal("\(error)")
    }

    var settings = CampaignSettings(endpoint: endpoint, concurrency: options.concurrency, connections: options.connections,
                                    requestTimeoutMs: options.timeoutMs, connectTimeoutMs: options.connectTimeoutMs,
                                    retryPolicy: RetryPolicy(maxRetries: options.retries), ratePerSecond: options.rate,
                                    campaignGuard: CampaignGuard(environmentFlag: options.endpoint == nil
                                        ? "--\(options.environment.rawValue)" : nil))
    settings.proxy = options.proxy
    if let proxy = options.proxy { log?("connecting to \(endpoint) through proxy \(proxy)") }
    let campaign = Campaign(settings: settings, tlsContext: tlsContext, auth: credentials.authorization, report: report,
                            summary: RunSummary(endpoint: endpoint, startedAtMs: Clock.wallMilliseconds()), log: log)
    let interrupts = InterruptWatcher { campaign.interrupt() }
    let result = campaign.run(reader: &reader, preparer: preparer)
    let signal = interrupts.stop()

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

private func usageFailure(_ message: String) -> Int32 {
    Output.standardError("apnsctl: \(message)\nTry 'apnsctl send --help'.\n")
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
