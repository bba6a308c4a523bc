import Testing
@testable import PushCore

/// How the connection settles the answers of broadcast and channel-management requests: the success statuses of
/// each kind, the headers and bodies the report row carries, and the reasons that stop the run. No sockets.
@Suite("ConnectionStateMachine: answers of broadcast and channel requests")
struct ConnectionStateMachineKindsTests {
    typealias Events = ConnectionStateMachineEventsTests

    static func send(_ machine: inout ConnectionStateMachine, _ kind: RequestKind, channel: String = "") -> Int {
        let tag = machine.reserveTag()
        machine.submitted(Delivery(PushNotification(line: 1, token: channel, payload: [], topic: "com.example.app",
                                                    kind: kind)),
                          stream: 1, tag: tag, now: 1)
        return tag
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var kind: RequestKind
        var status: String
        var headers: [(String, String)] = []
        var body = ""
        var outcome: Outcome
        var reason: String?
        var testDescription: String { "\(kind) \(status) \(reason ?? "")" }
    }

    @Test("status and reason → outcome, for each kind", arguments: [
        Case(kind: .createChannel, status: "201", headers: [("apns-channel-id", "bmV3")], outcome: .delivered),
        Case(kind: .deleteChannel, status: "204", outcome: .delivered),
        Case(kind: .readChannel, status: "200", body: #"{"message-storage-policy":1,"push-type":"LiveActivity"}"#,
             outcome: .delivered),
        Case(kind: .listChannels, status: "200", body: #"{"channels":["a","b"]}"#, outcome: .delivered),
        Case(kind: .broadcast, status: "200", outcome: .delivered),
        Case(kind: .readChannel, status: "400", body: #"{"reason":"ChannelNotRegistered"}"#, outcome: .rejected,
             reason: "ChannelNotRegistered"),
        Case(kind: .broadcast, status: "400", body: #"{"reason":"BadChannelId"}"#, outcome: .rejected,
             reason: "BadChannelId"),
        Case(kind: .createChannel, status: "400", body: #"{"reason":"CannotCreateChannelConfig"}"#,
             outcome: .rejected, reason: "CannotCreateChannelConfig"),
        Case(kind: .broadcast, status: "400", body: #"{"reason":"BadExpirationDate"}"#, outcome: .rejected,
             reason: "BadExpirationDate"),
    ])
    func settles(_ c: Case) {
        var machine = Events.ready()
        let tag = Self.send(&machine, c.kind, channel: c.kind.sendsChannelID ? "Y2g=" : "")
        Events.header(&machine, tag: tag, "apns-request-id", "req-1")
        for (name, value) in c.headers { Events.header(&machine, tag: tag, name, value) }
        let action = Events.answer(&machine, tag: tag, status: c.status, body: c.body)
        #expect(action == .none)
        #expect(machine.settled.count == 1 && machine.retries.isEmpty)
        let row = machine.settled[0]
        #expect(row.outcome == c.outcome)
        #expect(row.reason == c.reason)
        #expect(row.apnsID == "req-1", "apns-request-id is recorded where a device push records apns-id")
        if let created = c.headers.first(where: { $0.0 == "apns-channel-id" }) {
            #expect(row.token == created.1, "the created channel's id becomes the row's channel")
        } else {
            #expect(row.token == (c.kind.sendsChannelID ? "Y2g=" : ""))
        }
        let keepsBody = c.kind.keepsAnswerBody && c.outcome == .delivered
        #expect(row.answerBody == (keepsBody ? Array(c.body.utf8) : nil))
    }

    @Test("FeatureNotEnabled and TopicMismatch stop the run with what to enable where", arguments: [
        ("400", "FeatureNotEnabled", "Broadcast Capability"),
        ("403", "TopicMismatch", "--bundle-id"),
    ])
    func configurationStops(status: String, reason: String, hint: String) {
        var machine = Events.ready()
        let tag = Self.send(&machine, .createChannel)
        let action = Events.answer(&machine, tag: tag, status: status, body: #"{"reason":"\#(reason)"}"#)
        guard case .stopRun(let message) = action else {
            Issue.record("expected stopRun, got \(action)")
            return
        }
        #expect(message.contains(reason) && message.contains(hint) && message.contains("refused the request"))
        #expect(machine.settled.first?.outcome == .rejected)
    }

    @Test("a 500 on a management request is retried like a push; a device push's 201 is still delivered")
    func retriesAndStatuses() {
        var machine = Events.ready()
        let tag = Self.send(&machine, .deleteChannel, channel: "Y2g=")
        _ = Events.answer(&machine, tag: tag, status: "500")
        #expect(machine.retries.count == 1 && machine.settled.isEmpty)
        #expect(RetryPolicy.classify(status: 204, reason: nil) == .delivered)
        #expect(RetryPolicy.classify(status: 202, reason: nil) == .final)
    }

    @Test("a list answer longer than an error body is kept whole; an error body stays capped")
    func bodyLimits() {
        var machine = Events.ready()
        let tag = Self.send(&machine, .listChannels)
        let ids = (0..<1000).map { "\"channel-\($0)-aaaaaaaaaaaa\"" }.joined(separator: ",")
        let body = #"{"channels":["# + ids + "]}"
        #expect(body.utf8.count > APNsResponse.maxBodyBytes)
        _ = Events.answer(&machine, tag: tag, status: "200", body: body)
        #expect(machine.settled.first?.answerBody?.count == body.utf8.count)

        var device = Events.ready()
        let deviceTag = Events.send(&device, "aa", stream: 1)
        _ = Events.answer(&device, tag: deviceTag, status: "400", body: String(repeating: " ", count: 20_000))
        #expect(device.settled.first?.answerBody == nil)
    }
}
