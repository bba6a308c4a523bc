import PushCore
import PushMock

/// One `--respond PREFIX=STATUS:REASON` rule of `apnsctl mock`.
extension MockResponseRule {
    static func parse(_ text: String, command: String = "mock") throws(UsageError) -> MockResponseRule {
        let flag = OptionSpec.Mock.respond.longFlag
        guard let equals = text.firstIndex(of: "="),
              let colon = text[equals...].firstIndex(of: ":") else {
            throw UsageError("\(flag): '\(text)' is not PREFIX=STATUS:REASON (for example dead=410:Unregistered)",
                             command: command)
        }
        let prefix = String(text[..<equals])
        let statusText = String(text[text.index(after: equals)..<colon])
        let reason = String(text[text.index(after: colon)...])
        guard prefix.allSatisfy({ $0.isASCIIDigit || ("a"..."f").contains($0) }) else {
            throw UsageError("\(flag): prefix '\(prefix)' in '\(text)' is not lowercase hex", command: command)
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
        return MockResponseRule(prefix: prefix, status: status, reason: reason)
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

        var respond: [MockResponseRule] = []
        for text in values.strings(O.respond) {
            respond.append(try MockResponseRule.parse(text, command: values.command))
        }
        return MockOptions(
            listen: listen, portFile: portFile, tlsCert: tlsCert, tlsKey: tlsKey, writeCA: writeCA,
            authKey: authKey, keyID: keyID, teamID: teamID, respond: respond, maxStreams: maxStreams,
            log: log, quiet: values.flag(.quiet))
    }
}
