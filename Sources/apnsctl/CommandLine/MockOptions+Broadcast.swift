import PushCore
import PushMock

extension RuleKeyCheck {
    /// `--respond-channel`: base64 characters (empty: every channel).
    static let channelPrefix = RuleKeyCheck(name: "PREFIX", example: "AAAA=400:ChannelNotRegistered") { prefix in
        prefix.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "+" || $0 == "/" || $0 == "=") }
            ? nil : "is not base64 text (A-Z, a-z, 0-9, +, /, =)"
    }

    /// `--respond-manage`: one of the management operations.
    static let managementOperation = RuleKeyCheck(name: "OP", example: "create=400:CannotCreateChannelConfig") { op in
        let names = ChannelOperation.management.map(\.rawValue)
        return names.contains(op) ? nil : "is not one of \(names.joined(separator: ", "))"
    }
}

extension MockOptions {
    /// The broadcast options of `mock` (`MockBroadcastSpec.swift`); `seed` seeds channel ids when given.
    static func broadcast(from values: inout OptionValues,
                          seed: UInt64?) throws(UsageError) -> (MockBroadcastConfiguration, portFile: String?) {
        typealias O = OptionSpec.Mock
        let manageListen = try values.string(O.manageListen).map { (text) throws(UsageError) in
            try ValueParser.endpoint(text, option: O.manageListen, command: values.command,
                                     requirePort: true, allowPortZero: true)
        }
        let portFile = values.string(O.managePortFile)
        if portFile != nil && manageListen == nil { throw values.error("--manage-port-file needs --manage-listen") }
        let channelLimit = try values.integer(O.channelLimit, in: MockBroadcastDefaults.channelLimitRange,
                                              default: MockBroadcastDefaults.channelLimit)
        var channelRules: [MockResponseRule] = []
        for text in values.strings(O.respondChannel) {
            channelRules.append(try MockResponseRule.parse(text, option: O.respondChannel, key: .channelPrefix,
                                                           command: values.command))
        }
        var manageRules: [MockResponseRule] = []
        for text in values.strings(O.respondManage) {
            manageRules.append(try MockResponseRule.parse(text, option: O.respondManage, key: .managementOperation,
                                                          command: values.command))
        }
        let configuration = MockBroadcastConfiguration(
            manageListen: manageListen, disabled: values.flag(O.broadcastDisabled), channelLimit: channelLimit,
            channelRules: channelRules, manageRules: manageRules, channelIDSeed: manageListen == nil ? nil : seed)
        return (configuration, portFile)
    }
}
