import Foundation
import PushCore

/// `apnsctl channel create|read|delete|list`: builds the requests, sends them through the push engine to the
/// management host, writes one row per channel, and maps the result to an exit status: 0 when every request was
/// accepted, 1 when some were not (or creating stopped at the channel limit), 3 when the run could not go on.
func runChannel(_ options: ChannelOptions) -> Int32 {
    let quiet = options.connection.quiet
    let warn: (String) -> Void = { message in if !quiet { Output.standardError("apnsctl: warning: \(message)\n") } }
    var log: EventLog?
    if options.connection.verbosity > 0 && !quiet {
        log = { message in Output.standardError("apnsctl: \(message)\n") }
    }
    let credentials: LoadedCredentials
    do {
        credentials = try loadCredentials(options.connection, environment: ProcessInfo.processInfo.environment,
                                          now: Clock.wallSeconds(), warn: warn, log: log)
    } catch {
        switch error {
        case .usage(let message):
            Output.standardError(UsageError(message, command: "channel").rendered)
            return ExitStatus.usage.rawValue
        case .fatal(let message): return channelFatal(message)
        }
    }
    guard let bundleID = credentials.topic else { return channelFatal("channel needs --bundle-id") }

    // The requests (and, for read and delete, the input rows that name no channel).
    var invalid: [ChannelRow] = []
    let requests: [PushNotification]
    switch options.operation {
    case .create:
        requests = (1...options.count).map {
            options.operation.request(line: $0, bundleID: bundleID, storagePolicy: options.storagePolicy)
        }
    case .list:
        requests = [options.operation.request(line: 1, bundleID: bundleID)]
    case .read, .delete:
        do {
            let ids = try channelIDs(options)
            invalid = ids.invalid
            requests = ids.valid.map { options.operation.request(line: $0.line, bundleID: bundleID, channelID: $0.id) }
        } catch {
            return channelFatal("\(error)")
        }
    }

    let output: LineOutput
    do {
        output = try LineOutput(path: options.output, append: false, compressed: false, mode: options.connection.fileMode)
    } catch {
        return channelFatal("\(error)")
    }
    let tlsContext: TLSContext
    do {
        tlsContext = try TLSContext.client(caFile: options.connection.caFile, identity: credentials.identity)
    } catch {
        return channelFatal("\(error)")
    }
    var settings = CampaignSettings(endpoint: options.endpoint, concurrency: options.connection.concurrency,
                                    connections: options.connection.connections,
                                    requestTimeoutMs: options.connection.timeoutMs,
                                    connectTimeoutMs: options.connection.connectTimeoutMs,
                                    retryPolicy: RetryPolicy(maxRetries: options.connection.retries), campaignGuard: nil)
    settings.proxy = options.connection.proxy
    settings.clientCertificate = credentials.identity?.info
    if options.connection.verbosity > 1 { settings.trace = log }
    settings.warn = { message in if !quiet { Output.standardError("apnsctl: warning: \(message)\n") } }
    log?("\(options.operation.rawValue): \(requests.count) request\(requests.count == 1 ? "" : "s") to \(options.endpoint)")

    let result = ChannelRun(settings: settings, tlsContext: tlsContext, auth: credentials.authorization, log: log)
        .run(requests)
    let answered = result.answers.sorted { $0.line < $1.line }
    var rows = invalid
    for answer in answered {
        let made = options.operation.rows(for: answer, storagePolicy: options.storagePolicy)
        // create writes the channels it made: its output is a broadcast's input. Refusals are counted below.
        rows += options.operation == .create ? made.filter(\.succeeded) : made
    }
    do {
        let text = options.format == .csv ? ChannelRow.csvHeader + rows.map(\.csvLine).joined()
            : rows.map(\.jsonLine).joined()
        output.buffer.append(contentsOf: Array(text.utf8))
        try output.close()
    } catch {
        return channelFatal("--output: \(error)")
    }
    return channelStatus(options, result: result, rows: rows, requests: requests.count, invalid: invalid.count)
}

/// The summary on stderr and the exit status.
private func channelStatus(_ options: ChannelOptions, result: ChannelRunResult, rows: [ChannelRow], requests: Int,
                           invalid: Int) -> Int32 {
    let operation = options.operation
    let done = result.answers.filter { $0.outcome == .delivered }.count
    let refused = result.answers.count - done
    var reasons: [String: Int] = [:]
    for answer in result.answers where answer.outcome != .delivered { reasons[answer.reason ?? "no answer", default: 0] += 1 }
    if !options.connection.quiet {
        var line = "apnsctl: channel \(operation.rawValue): "
        line += operation == .list ? "\(rows.filter(\.succeeded).count) channels" : "\(done) \(operation.doneWord)"
        if refused > 0 {
            line += ", \(refused) not (" + reasons.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }
                .joined(separator: ", ") + ")"
        }
        if invalid > 0 { line += ", \(invalid) input row\(invalid == 1 ? "" : "s") without a channel id" }
        Output.standardError(line + "\n")
    }
    if let fatal = result.fatal { return channelFatal(fatal) }
    if result.channelLimitReached {
        Output.standardError("apnsctl: channel create stopped at the channel limit (CannotCreateChannelConfig): the app "
            + "has as many channels as APNs allows in this environment (10,000); \(done) made in this run are in the "
            + "output; delete channels that are no longer needed (apnsctl channel list, channel delete)\n")
        return ExitStatus.undelivered.rawValue
    }
    let unsent = requests - result.answers.count
    if unsent > 0 { Output.standardError("apnsctl: \(unsent) request\(unsent == 1 ? "" : "s") not sent\n") }
    return refused == 0 && invalid == 0 && unsent == 0 ? ExitStatus.success.rawValue : ExitStatus.undelivered.rawValue
}

/// The channels of `--channel-id`, or of `--input`'s `channel_id` column or key; rows without one are invalid.
private func channelIDs(_ options: ChannelOptions) throws -> (valid: [(line: Int, id: String)], invalid: [ChannelRow]) {
    if let id = options.channelID { return ([(1, id)], []) }
    guard let input = options.input else { return ([], []) }
    var reader = try openRecordReader(path: input, format: nil, tokenField: BroadcastDefaults.channelField)
    var valid: [(line: Int, id: String)] = []
    var invalid: [ChannelRow] = []
    while let record = try reader.next() {
        let text: String?
        switch record.fields?.value(named: BroadcastDefaults.channelField) {
        case .text(let value)?, .json(.string(let value))?: text = value
        default: text = nil
        }
        do {
            valid.append((record.line, try BroadcastRules.channelID(text ?? "", label: "line \(record.line): channel_id")))
        } catch {
            invalid.append(ChannelRow(channelID: text ?? "", outcome: Outcome.invalid.rawValue, reason: error.message))
        }
    }
    return (valid, invalid)
}

private func channelFatal(_ message: String) -> Int32 {
    Output.standardError("apnsctl: \(TerminalText.escapeLines(message))\n")
    return ExitStatus.fatal.rawValue
}
