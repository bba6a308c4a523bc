import PushCore
import PushMock

/// One `--respond PREFIX=STATUS:REASON[:K]` rule of `apnsctl mock`.
/// What the text before `=` of a canned-answer rule may be: `--respond` takes a token prefix,
/// `--respond-channel` a channel-id prefix, `--respond-manage` an operation.
struct RuleKeyCheck: Sendable {
    /// `PREFIX` or `OP`, as the usage shows it.
    var name: String
    /// An example of the whole rule, shown when its shape is wrong.
    var example: String
    /// What is wrong with a key (`is not lowercase hex`), nil for a good one.
    var problem: @Sendable (String) -> String?

    static let tokenPrefix = RuleKeyCheck(name: "PREFIX", example: "dead=410:Unregistered") {
        MockOptions.isLowercaseHex($0) ? nil : "is not lowercase hex"
    }
}

extension MockResponseRule {
    static func parse(_ text: String, option: OptionSpec = OptionSpec.Mock.respond, key: RuleKeyCheck = .tokenPrefix,
                      command: String = "mock") throws(UsageError) -> MockResponseRule {
        let flag = option.longFlag
        guard let equals = text.firstIndex(of: "="),
              let colon = text[equals...].firstIndex(of: ":") else {
            throw UsageError("\(flag): '\(text)' is not \(key.name)=STATUS:REASON[:K] (for example \(key.example))",
                             command: command)
        }
        let prefix = String(text[..<equals])
        let statusText = String(text[text.index(after: equals)..<colon])
        var reason = String(text[text.index(after: colon)...])
        if let problem = key.problem(prefix) {
            let label = key.name == "PREFIX" ? "prefix" : key.name
            throw UsageError("\(flag): \(label) '\(prefix)' in '\(text)' \(problem)", command: command)
        }
        // A last `:K` of digits is the attempt count (reasons have no colon-digits tail of their own).
        var firstAttempts: Int?
        if let lastColon = reason.lastIndex(of: ":") {
            let tail = reason[reason.index(after: lastColon)...]
            if !tail.isEmpty && tail.allSatisfy(\.isASCIIDigit) {
                guard let k = Int(tail), k >= 1 else {
                    throw UsageError("\(flag): K '\(tail)' in '\(text)' is not a positive integer "
                        + "(the number of attempts that get the error)", command: command)
                }
                firstAttempts = k
                reason = String(reason[..<lastColon])
            }
        }
        let range = MockDefaults.respondStatusRange
        guard statusText.allSatisfy(\.isASCIIDigit), let status = Int(statusText), range.contains(status) else {
            throw UsageError("\(flag): status '\(statusText)' in '\(text)' is not between "
                + "\(range.lowerBound) and \(range.upperBound)", command: command)
        }
        guard !reason.isEmpty else {
            throw UsageError("\(flag): reason is empty in '\(text)' (for example \(prefix)=\(status):BadDeviceToken)",
                             command: command)
        }
        return MockResponseRule(prefix: prefix, status: status, reason: reason, firstAttempts: firstAttempts)
    }
}

extension MockGoAwayRule {
    /// `--goaway-after N[:REASON]` (or `--goaway-every`).
    static func parse(_ text: String, option: OptionSpec = OptionSpec.Mock.goAwayAfter,
                      command: String = "mock") throws(UsageError) -> MockGoAwayRule {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let count = try ValueParser.integer(String(parts[0]), in: MockDefaults.countRange, option: option,
                                            command: command)
        guard parts.count == 2 else { return MockGoAwayRule(afterRequests: count) }
        let reason = String(parts[1])
        guard !reason.isEmpty, reason.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            throw UsageError("\(option.longFlag): reason '\(reason)' in '\(text)' is not letters and digits "
                + "(for example \(count):BadCertificateEnvironment)", command: command)
        }
        return MockGoAwayRule(afterRequests: count, reason: reason)
    }
}

extension MockTimestampRule {
    /// `--timestamp PREFIX=TEXT`.
    static func parse(_ text: String, command: String = "mock") throws(UsageError) -> MockTimestampRule {
        let flag = OptionSpec.Mock.timestamp.longFlag
        guard let equals = text.firstIndex(of: "=") else {
            throw UsageError("\(flag): '\(text)' is not PREFIX=TEXT (for example dead=1e19)", command: command)
        }
        let prefix = String(text[..<equals])
        let value = String(text[text.index(after: equals)...])
        guard MockOptions.isLowercaseHex(prefix) else {
            throw UsageError("\(flag): prefix '\(prefix)' in '\(text)' is not lowercase hex", command: command)
        }
        guard !value.isEmpty, value.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw UsageError("\(flag): the timestamp in '\(text)' is not printable ASCII without spaces "
                + "(for example \(prefix)=1e400)", command: command)
        }
        return MockTimestampRule(prefix: prefix, text: value)
    }
}

extension MockOutage {
    /// `--outage FROM..TO` (durations with units) and `--outage-mode`.
    static func parse(_ text: String, mode: Mode, command: String = "mock") throws(UsageError) -> MockOutage {
        let flag = OptionSpec.Mock.outage.longFlag
        let parts = text.components(separatedBy: "..")
        guard parts.count == 2, let from = DurationText.milliseconds(parts[0]),
              let to = DurationText.milliseconds(parts[1]) else {
            throw UsageError("\(flag): '\(text)' is not FROM..TO with durations (for example 10s..40s)",
                             command: command)
        }
        guard from < to else {
            throw UsageError("\(flag): '\(text)' ends before it begins (FROM must be less than TO)", command: command)
        }
        return MockOutage(startMs: from, endMs: to, mode: mode)
    }
}

/// Everything `apnsctl mock` was asked to do, validated.
struct MockOptions: Equatable, Sendable {
    /// Port 0 means any free port.
    var listen: Endpoint = MockDefaults.listen
    var portFile: String?
    var tlsCert: String?
    var tlsKey: String?
    var writeCA: String?
    var authKey: String?
    var keyID: String?
    var teamID: String?
    /// In the order given.
    var respond: [MockResponseRule] = []
    var maxStreams: Int = MockDefaults.maxStreams
    var log: String?
    var quiet: Bool = false
    var stats: String?
    var requireClientCert: String?
    /// Whole seconds.
    var providerTokenMaxAge: Int = MockDefaults.providerTokenMaxAgeMs / 1000
    var expireTokenOnce: Bool = false
    /// In the order given.
    var silent: [String] = []
    var failRate: Double?
    var seed: Int = MockDefaults.seed
    var latencyMs: Int = 0
    var goAway: MockGoAwayRule?
    var goAwayEvery: MockGoAwayRule?
    var dropAfter: Int?
    var dropEvery: Int?
    var dropMode: MockDropMode = MockDefaults.dropMode == "reset" ? .reset : .close
    var streamDrop: Bool = MockDefaults.streamDrop == "on"
    /// In the order given.
    var timestamps: [MockTimestampRule] = []
    var opening: ConnectionOpening = .serve
    var outage: MockOutage?
    /// Broadcast channels: the management port and its canned answers.
    var broadcast = MockBroadcastConfiguration()
    var managePortFile: String?
    /// The APNs environment the mock stands for.
    var environment = APNsEnvironment.sandbox
}

extension MockOptions {
    /// Stage two for `mock`.
    static func build(from values: inout OptionValues) throws(UsageError) -> MockOptions {
        typealias O = OptionSpec.Mock
        try values.rejectOperands()
        let listen = try values.string(O.listen).map { (text) throws(UsageError) in
            try ValueParser.endpoint(text, option: O.listen, command: values.command,
                                     requirePort: true, allowPortZero: true)
        } ?? MockDefaults.listen
        let portFile = values.string(O.portFile)
        let maxStreams = try values.integer(O.maxStreams, in: MockDefaults.maxStreamsRange,
                                            default: MockDefaults.maxStreams)
        let log = values.string(O.log)

        let tlsCert = values.string(O.tlsCert)
        let tlsKey = values.string(O.tlsKey)
        let writeCA = values.string(O.writeCA)
        if tlsCert != nil, tlsKey == nil { throw values.error("--tls-cert needs --tls-key") }
        if tlsKey != nil, tlsCert == nil { throw values.error("--tls-key needs --tls-cert") }
        if writeCA != nil, tlsCert != nil {
            throw values.error("--write-ca and --tls-cert exclude each other (the CA is only made without --tls-cert)")
        }

        let authKey = values.string(O.authKey)
        let keyID = values.string(O.keyID)
        let teamID = values.string(O.teamID)
        if authKey != nil {
            if keyID == nil { throw values.error("--auth-key needs --key-id") }
            if teamID == nil { throw values.error("--auth-key needs --team-id") }
        } else if keyID != nil || teamID != nil {
            throw values.error("\(keyID != nil ? "--key-id" : "--team-id") needs --auth-key")
        }

        let requireClientCert = values.string(O.requireClientCert)
        let ageText = values.string(O.providerTokenMaxAge)
        let providerTokenMaxAgeMs = try values.duration(O.providerTokenMaxAge,
                                                        default: MockDefaults.providerTokenMaxAgeMs)
        if providerTokenMaxAgeMs < 1000 {
            throw values.error("\(O.providerTokenMaxAge.longFlag): '\(ageText ?? "")' is less than 1s "
                + "(token ages are whole seconds)")
        }
        if ageText != nil && authKey == nil {
            throw values.error("\(O.providerTokenMaxAge.longFlag) needs --auth-key (only verified tokens have an age)")
        }
        let expireTokenOnce = values.flag(O.expireTokenOnce)
        if requireClientCert != nil {
            if authKey != nil {
                throw values.error("--require-client-cert and --auth-key exclude each other "
                    + "(with certificate auth requests carry no provider token)")
            }
            if expireTokenOnce {
                throw values.error("--require-client-cert and --expire-token-once exclude each other "
                    + "(with certificate auth requests carry no provider token)")
            }
        }

        var respond: [MockResponseRule] = []
        for text in values.strings(O.respond) {
            respond.append(try MockResponseRule.parse(text, command: values.command))
        }
        let silent = values.strings(O.silent)
        for prefix in silent where !isLowercaseHex(prefix) {
            throw values.error("\(O.silent.longFlag): prefix '\(prefix)' is not lowercase hex")
        }
        let failRate = try values.string(O.failRate).map { (text) throws(UsageError) -> Double in
            guard let rate = parseFraction(text) else {
                throw values.error("\(O.failRate.longFlag): '\(text)' is not a fraction from 0 to 1 (for example 0.02)")
            }
            return rate
        }
        let seedText = values.string(O.seed)
        let seed = try seedText.map { (text) throws(UsageError) in
            try ValueParser.integer(text, in: MockDefaults.seedRange, option: O.seed, command: values.command)
        } ?? MockDefaults.seed
        let (broadcast, managePortFile) = try broadcast(from: &values, seed: seedText.map { _ in UInt64(seed) })
        if seedText != nil && failRate == nil && broadcast.manageListen == nil {
            throw values.error("--seed needs --fail-rate or --manage-listen")
        }
        let latencyMs = try values.duration(O.latency, default: 0)

        let goAway = try values.string(O.goAwayAfter).map { (text) throws(UsageError) in
            try MockGoAwayRule.parse(text, command: values.command)
        }
        let goAwayEvery = try values.string(O.goAwayEvery).map { (text) throws(UsageError) in
            try MockGoAwayRule.parse(text, option: O.goAwayEvery, command: values.command)
        }
        if goAway != nil && goAwayEvery != nil {
            throw values.error("--goaway-after and --goaway-every exclude each other (pick one way to count)")
        }
        let dropAfter = try values.string(O.dropAfter).map { (text) throws(UsageError) in
            try ValueParser.integer(text, in: MockDefaults.countRange, option: O.dropAfter, command: values.command)
        }
        let dropEvery = try values.string(O.dropEvery).map { (text) throws(UsageError) in
            try ValueParser.integer(text, in: MockDefaults.countRange, option: O.dropEvery, command: values.command)
        }
        let streamDrop = (values.string(O.streamDrop) ?? MockDefaults.streamDrop) == "on"
        let dropMode: MockDropMode = (values.string(O.dropMode) ?? MockDefaults.dropMode) == "reset" ? .reset : .close

        var timestamps: [MockTimestampRule] = []
        for text in values.strings(O.timestamp) {
            timestamps.append(try MockTimestampRule.parse(text, command: values.command))
        }
        let opening = try Self.opening(from: &values)
        let outageMode: MockOutage.Mode = (values.string(O.outageMode) ?? MockDefaults.outageMode) == "refuse"
            ? .refuse : .unavailable
        let outage = try values.string(O.outage).map { (text) throws(UsageError) in
            try MockOutage.parse(text, mode: outageMode, command: values.command)
        }
        if values.string(O.outageMode) != nil && outage == nil { throw values.error("--outage-mode needs --outage") }

        var options = MockOptions(
            listen: listen, portFile: portFile, tlsCert: tlsCert, tlsKey: tlsKey, writeCA: writeCA,
            authKey: authKey, keyID: keyID, teamID: teamID, respond: respond, maxStreams: maxStreams,
            log: log, quiet: values.flag(.quiet), stats: values.string(O.stats),
            requireClientCert: requireClientCert, providerTokenMaxAge: providerTokenMaxAgeMs / 1000,
            expireTokenOnce: expireTokenOnce, silent: silent, failRate: failRate, seed: seed,
            latencyMs: latencyMs, goAway: goAway, goAwayEvery: goAwayEvery, dropAfter: dropAfter,
            dropEvery: dropEvery, dropMode: dropMode, streamDrop: streamDrop, timestamps: timestamps,
            opening: opening, outage: outage, broadcast: broadcast, managePortFile: managePortFile)
        if let environment = values.string(O.environment) { options.environment = APNsEnvironment(rawValue: environment) ?? .sandbox }
        return options
    }

    /// `--close-on-connect`, `--goaway-on-connect`, `--no-settings`, `--stall WHAT`: at most one.
    private static func opening(from values: inout OptionValues) throws(UsageError) -> ConnectionOpening {
        typealias O = OptionSpec.Mock
        var chosen: [(flag: String, opening: ConnectionOpening)] = []
        if values.flag(O.closeOnConnect) { chosen.append((O.closeOnConnect.longFlag, .closeOnConnect)) }
        if values.flag(O.goAwayOnConnect) { chosen.append((O.goAwayOnConnect.longFlag, .goAwayOnConnect)) }
        if values.flag(O.noSettings) { chosen.append((O.noSettings.longFlag, .noSettings)) }
        if let what = values.string(O.stall) {
            chosen.append(("\(O.stall.longFlag) \(what)", what == "handshake" ? .stallHandshake : .stallReads))
        }
        guard chosen.count <= 1 else {
            throw values.error("\(chosen[0].flag) and \(chosen[1].flag) exclude each other "
                + "(a connection misbehaves in one way at a time)")
        }
        return chosen.first?.opening ?? .serve
    }

    /// Lowercase hex digits only (the empty string too).
    static func isLowercaseHex(_ text: String) -> Bool {
        text.allSatisfy { $0.isASCIIDigit || ("a"..."f").contains($0) }
    }

    /// `0`, `1`, `0.02`, `.5`, `1.0`: a decimal fraction from 0 to 1, nil for anything else.
    static func parseFraction(_ text: String) -> Double? {
        guard !text.isEmpty, text.allSatisfy({ $0.isASCIIDigit || $0 == "." }),
              text.filter({ $0 == "." }).count <= 1, text != ".",
              let value = Double(text), value >= 0, value <= 1 else { return nil }
        return value
    }
}
