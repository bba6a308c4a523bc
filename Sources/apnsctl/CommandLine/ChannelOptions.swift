import PushCore

/// Everything `apnsctl channel` was asked to do, validated. The connection and credential part is a `SendOptions`
/// (the same options, read the same way), so that loading the credentials is send's.
struct ChannelOptions: Equatable, Sendable {
    var operation: ChannelOperation
    /// Credentials, bundle ID (`topic`), environment, endpoint, proxy, concurrency, timeouts, retries, file mode.
    var connection: SendOptions
    var storagePolicy = ChannelDefaults.storagePolicy
    var count = ChannelDefaults.count
    /// `--channel-id`.
    var channelID: String?
    /// `--input`: the channels to read or delete.
    var input: String?
    /// `--output` path, `-` for stdout.
    var output = "-"
    var format: ReportFormatChoice = .jsonl

    /// Where the requests go: `--endpoint`, else the environment's management host.
    var endpoint: Endpoint { connection.endpoint ?? connection.environment.managementEndpoint }
}

extension ChannelOptions {
    static func build(from values: inout OptionValues, operands: [String]) throws(UsageError) -> ChannelOptions {
        typealias C = OptionSpec.Channel
        typealias O = OptionSpec.Send
        let names = ChannelOperation.allCases.map(\.rawValue)
        guard let word = operands.first else {
            throw values.error("channel needs an operation: \(names.joined(separator: ", "))")
        }
        guard let operation = ChannelOperation(rawValue: word) else {
            throw values.error("unknown operation '\(word)'; use \(names.joined(separator: ", "))"
                + Suggestion.clause(for: word, among: names))
        }
        guard operands.count == 1 else {
            throw values.error("channel \(word) takes one operation; unexpected '\(operands[1])'")
        }

        let storagePolicy = try values.choice(C.storagePolicy).flatMap { Int($0) }
        let count = try values.string(C.count).map { (text) throws(UsageError) in
            try ValueParser.integer(text, in: ChannelDefaults.countRange, option: C.count, command: values.command)
        }
        let channelID = values.string(C.channelID)
        let input = values.string(C.input)
        if operation != .create {
            for (given, spec) in [(storagePolicy != nil, C.storagePolicy), (count != nil, C.count)] where given {
                throw values.error("\(spec.longFlag) applies only to channel create")
            }
        }
        switch operation {
        case .read, .delete:
            if channelID == nil && input == nil {
                throw values.error("channel \(word) needs --channel-id ID or --input FILE")
            }
            if channelID != nil && input != nil { throw values.error("--channel-id and --input exclude each other") }
            if let channelID {
                do {
                    _ = try BroadcastRules.channelID(channelID, label: C.channelID.longFlag)
                } catch {
                    throw values.error(error.message)
                }
            }
        case .create, .list:
            for (given, spec) in [(channelID != nil, C.channelID), (input != nil, C.input)] where given {
                throw values.error("\(spec.longFlag) applies only to channel read and delete")
            }
        }

        let credentials = try SendOptions.buildCredentials(from: &values)
        let bundleID = values.string(OptionSpec.Broadcast.bundleID) ?? values.string(O.topic)
        if bundleID == nil, case .token = credentials {
            throw values.missing(OptionSpec.Broadcast.bundleID, "the app's bundle ID")
        }
        if let bundleID {
            do {
                _ = try BroadcastRules.bundleID(bundleID, label: OptionSpec.Broadcast.bundleID.longFlag)
            } catch {
                throw values.error(error.message)
            }
        }
        let environment = try SendOptions.environmentChoice(from: &values)
        let endpoint = try values.resolved(O.endpoint).map { (resolved) throws(UsageError) in
            try ValueParser.endpoint(resolved.value, option: O.endpoint, command: values.command,
                                     label: resolved.source.label(for: O.endpoint))
        }
        let proxy = try SendOptions.buildProxy(from: &values, target: endpoint ?? environment.managementEndpoint)
        let output = values.string(C.output) ?? "-"
        var connection = SendOptions(topic: bundleID, credentials: credentials, report: output)
        connection.environment = environment
        connection.endpoint = endpoint
        connection.proxy = proxy
        connection.caFile = values.string(O.caFile)
        connection.concurrency = try values.integer(O.concurrency, in: SendDefaults.concurrencyRange,
                                                    default: SendDefaults.concurrency)
        connection.connections = try values.integer(O.connections, in: SendDefaults.connectionsRange,
                                                    default: SendDefaults.connections)
        connection.timeoutMs = try values.duration(O.timeout, default: SendDefaults.timeoutMs)
        connection.connectTimeoutMs = try values.duration(O.connectTimeout, default: SendDefaults.connectTimeoutMs)
        connection.retries = try values.integer(O.retries, in: SendDefaults.retriesRange, default: SendDefaults.retries)
        connection.fileMode = try values.fileMode()
        connection.verbosity = values.count(.verbose)
        connection.quiet = values.flag(.quiet)

        return ChannelOptions(
            operation: operation, connection: connection, storagePolicy: storagePolicy ?? ChannelDefaults.storagePolicy,
            count: count ?? ChannelDefaults.count, channelID: channelID, input: input, output: output,
            format: values.string(C.format).flatMap(ReportFormatChoice.init(rawValue:))
                ?? (ReportFormat(path: output) == .csv ? .csv : .jsonl))
    }
}
