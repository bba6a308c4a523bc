import Foundation
import PushCore
import Testing
@testable import PushMock

/// The management port and `/4/broadcasts` over real TLS + HTTP/2 on 127.0.0.1, driven by `curl --http2`: status
/// codes, headers, bodies, the channel store both ports share, the log and the statistics.
@Suite("MockServer: broadcast channels over TLS",
       .enabled(if: LiveTestSupport.canRunLiveTests, "needs the openssl tool and a curl built with HTTP/2 (curl -V | grep HTTP2)"))
struct MockServerBroadcastLiveTests {
    static let bundle = "com.example.app"
    static let update = #"{"aps":{"event":"update","timestamp":1700000000,"content-state":{"score":1}}}"#

    /// One answer: status, headers (lowercase names) and body.
    struct Reply {
        var status: Int
        var headers: [String: String]
        var body: String
        var reason: String? {
            (try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])?["reason"] as? String
        }
    }

    /// One request with curl; `management` picks the management port. Status 0: no answer (curl failed).
    static func send(_ running: LiveTestSupport.RunningServer, _ method: String, _ path: String, management: Bool,
                     headers: [String: String] = [:], body: String? = nil,
                     authorization: String? = "bearer x", extra: [String] = []) throws -> Reply {
        let port = management ? try #require(running.server.managePort) : running.port
        let bodyPath = running.directory.appendingPathComponent("reply-\(UUID().uuidString)").path
        var arguments = ["curl", "--http2", "--cacert", running.certificatePath, "-sS", "--max-time", "10",
                         "-X", method, "-o", bodyPath, "-w", "%{http_code}\n%{header_json}"]
        var allHeaders = headers
        if let authorization { allHeaders["authorization"] = authorization }
        for (name, value) in allHeaders.sorted(by: { $0.key < $1.key }) { arguments += ["-H", "\(name): \(value)"] }
        if let body { arguments += ["--data-binary", body] }
        arguments += extra
        arguments.append("https://127.0.0.1:\(port)\(path)")
        let result = try LiveTestSupport.run(arguments)
        let lines = result.output.split(separator: "\n", maxSplits: 1)
        let status = Int(lines.first ?? "") ?? -1
        var headerValues: [String: String] = [:]
        if lines.count > 1, let json = try JSONSerialization.jsonObject(with: Data(lines[1].utf8)) as? [String: [String]] {
            for (name, values) in json { headerValues[name.lowercased()] = values.first }
        }
        let replyBody = (try? String(contentsOfFile: bodyPath, encoding: .utf8)) ?? ""
        return Reply(status: status, headers: headerValues, body: replyBody)
    }

    static func create(_ running: LiveTestSupport.RunningServer, policy: Int, requestID: String? = nil) throws -> Reply {
        try send(running, "POST", "/1/apps/\(bundle)/channels", management: true,
                 headers: requestID.map { ["apns-request-id": $0] } ?? [:],
                 body: #"{"message-storage-policy":\#(policy),"push-type":"LiveActivity"}"#)
    }

    static func broadcast(_ running: LiveTestSupport.RunningServer, channel: String?, expiration: String = "0",
                          extra: [String: String] = [:], body: String = update) throws -> Reply {
        var headers = ["apns-push-type": "liveactivity", "apns-priority": "10", "apns-expiration": expiration]
        if let channel { headers["apns-channel-id"] = channel }
        headers.merge(extra) { _, new in new }
        return try send(running, "POST", "/4/broadcasts/apps/\(bundle)", management: false, headers: headers, body: body)
    }

    static func startServer(_ configure: @escaping (inout MockBroadcastConfiguration) -> Void = { _ in },
                            logAndStats: Bool = false,
                            verifier: (@Sendable (String) -> Reason?)? = nil) throws -> LiveTestSupport.RunningServer {
        try LiveTestSupport.startServer { configuration, directory in
            configuration.broadcast.manageListen = Endpoint(host: "127.0.0.1", port: 0)
            configuration.broadcast.channelIDSeed = 11
            configure(&configuration.broadcast)
            configuration.tokenVerifier = verifier
            if logAndStats {
                configuration.logPath = directory.appendingPathComponent("log.jsonl").path
                configuration.statsPath = directory.appendingPathComponent("stats.json").path
            }
        }
    }

    @Test func createBroadcastReadListDeleteShareOneStore() throws {
        let running = try Self.startServer(logAndStats: true)
        let requestID = "7f0c1e6a-3b7d-4c51-9a0e-5d2f8b6c4e21"
        let stored = try Self.create(running, policy: 1, requestID: requestID)
        #expect(stored.status == 201)
        #expect(stored.headers["apns-request-id"] == requestID, "the request's own id comes back")
        let storedID = try #require(stored.headers["apns-channel-id"])
        #expect(ChannelID.isValid(storedID) && Data(base64Encoded: storedID) != nil)
        let unstored = try Self.create(running, policy: 0)
        #expect(unstored.status == 201)
        #expect(RequestValidator.isUUID(unstored.headers["apns-request-id"] ?? ""), "a fresh UUID without one")
        let unstoredID = try #require(unstored.headers["apns-channel-id"])
        #expect(running.server.channels.ids(in: Self.bundle) == [storedID, unstoredID])

        let read = try Self.send(running, "GET", "/1/apps/\(Self.bundle)/channels", management: true,
                                 headers: ["apns-channel-id": unstoredID])
        #expect(read.status == 200)
        #expect(read.headers["content-type"] == "application/json")
        #expect(read.body == #"{"message-storage-policy":0,"push-type":"LiveActivity"}"#)
        let list = try Self.send(running, "GET", "/1/apps/\(Self.bundle)/all-channels", management: true)
        #expect(list.status == 200)
        #expect(list.body == #"{"channels":["\#(storedID)","\#(unstoredID)"]}"#)

        let accepted = try Self.broadcast(running, channel: storedID, expiration: "1900000000")
        #expect(accepted.status == 200 && accepted.body.isEmpty)
        #expect(RequestValidator.isUUID(accepted.headers["apns-request-id"] ?? ""))
        #expect(RequestValidator.isUUID(accepted.headers["apns-unique-id"] ?? ""))
        #expect(accepted.headers["apns-id"] == nil, "broadcast answers carry apns-request-id instead")
        #expect(try Self.broadcast(running, channel: unstoredID, expiration: "0").status == 200)
        let kept = try Self.broadcast(running, channel: unstoredID, expiration: "1900000000")
        #expect(kept.status == 400 && kept.reason == "BadExpirationDate")

        let deleted = try Self.send(running, "DELETE", "/1/apps/\(Self.bundle)/channels", management: true,
                                    headers: ["apns-channel-id": storedID])
        #expect(deleted.status == 204 && deleted.body.isEmpty)
        #expect(running.server.channels.ids(in: Self.bundle) == [unstoredID])
        let gone = try Self.broadcast(running, channel: storedID, expiration: "1900000000")
        #expect(gone.status == 400 && gone.reason == "ChannelNotRegistered")
        let otherBundle = try Self.send(running, "GET", "/1/apps/com.other/all-channels", management: true)
        #expect(otherBundle.body == #"{"channels":[]}"#)

        // Device pushes still work on the push port; device paths are not served on the management port.
        let device = try Self.send(running, "POST", "/3/device/\(String(repeating: "ab", count: 32))", management: false,
                                   headers: ["apns-topic": Self.bundle], body: #"{"aps":{}}"#)
        #expect(device.status == 200 && device.headers["apns-id"] != nil)
        let wrongPort = try Self.send(running, "POST", "/3/device/abab", management: true, body: #"{"aps":{}}"#)
        #expect(wrongPort.status == 404 && wrongPort.reason == "BadPath")

        #expect(running.stop())
        let stats = running.server.statistics
        #expect(stats.broadcast.channelsCreated == 2)
        #expect(stats.broadcast.channelsRead == 1)
        #expect(stats.broadcast.channelsListed == 2)
        #expect(stats.broadcast.channelsDeleted == 1)
        #expect(stats.broadcast.broadcastsAccepted == 2)
        #expect(stats.broadcast.broadcastsRejectedByReason == ["BadExpirationDate": 1, "ChannelNotRegistered": 1])
        #expect(stats.broadcast.managementRejectedByReason == ["BadPath": 1])
        #expect(stats.broadcast.manageConnections == 7)
        #expect(stats.connections == 5, "push-port connections only")
        #expect(stats.accepted == 9 && stats.rejected == 3)

        let log = try String(contentsOf: running.directory.appendingPathComponent("log.jsonl"), encoding: .utf8)
        let lines = log.split(separator: "\n")
        #expect(lines.count == 12)
        let first = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(first["operation"] as? String == "create")
        #expect(first["channel_id"] as? String == storedID)
        #expect(first["apns_id"] as? String == requestID)
        #expect(first["status"] as? Int == 201)
        #expect(lines.filter { $0.contains(#""operation":"broadcast""#) }.count == 4)
        #expect(!log.contains("bearer"), "the authorization header is never logged")
        let file = try Data(contentsOf: running.directory.appendingPathComponent("stats.json"))
        let document = try #require(try JSONSerialization.jsonObject(with: file) as? [String: Any])
        let broadcastStats = try #require(document["broadcast"] as? [String: Any])
        #expect(broadcastStats["broadcasts_accepted"] as? Int == 2)
        #expect(broadcastStats["channels_created"] as? Int == 2)
    }

    @Test func everyBroadcastReasonOverTheWire() throws {
        let running = try Self.startServer()
        defer { _ = running.stop() }
        let channel = try #require(try Self.create(running, policy: 1).headers["apns-channel-id"])
        let good = ["apns-expiration": "1900000000"]
        let cases: [(String, Reply, Int, String)] = [
            ("no channel", try Self.broadcast(running, channel: nil), 400, "MissingChannelId"),
            ("bad channel", try Self.broadcast(running, channel: "not base64!"), 400, "BadChannelId"),
            ("unknown channel", try Self.broadcast(running, channel: "QUJDRA=="), 400, "ChannelNotRegistered"),
            ("no push type", try Self.broadcast(running, channel: channel, extra: good.merging(["apns-push-type": ""]) { $1 }),
             400, "MissingPushType"),
            ("push type", try Self.broadcast(running, channel: channel, extra: ["apns-push-type": "alert"]),
             400, "InvalidPushType"),
            ("priority", try Self.broadcast(running, channel: channel, extra: ["apns-priority": "7"]), 400, "BadPriority"),
            ("expiration", try Self.broadcast(running, channel: channel, extra: ["apns-expiration": "later"]),
             400, "BadExpirationDate"),
            ("topic", try Self.broadcast(running, channel: channel,
                                         extra: good.merging(["apns-topic": "\(Self.bundle).push-type.liveactivity"]) { $1 }),
             400, "TopicDisallowed"),
            ("size", try Self.broadcast(running, channel: channel, extra: good,
                                        body: #"{"aps":{"x":""# + String(repeating: "y", count: 5200) + #""}}"#),
             413, "PayloadTooLarge"),
            ("syntax", try Self.broadcast(running, channel: channel, extra: good, body: #"{"aps":"#), 400, "BadRequestPayload"),
            ("method", try Self.send(running, "GET", "/4/broadcasts/apps/\(Self.bundle)", management: false), 405,
             "MethodNotAllowed"),
            ("path", try Self.send(running, "POST", "/4/broadcasts/apps/", management: false, body: "{}"), 404, "BadPath"),
            ("token", try Self.send(running, "POST", "/4/broadcasts/apps/\(Self.bundle)", management: false,
                                    headers: ["apns-channel-id": channel], body: Self.update, authorization: nil),
             403, "MissingProviderToken"),
        ]
        for (name, reply, status, reason) in cases {
            #expect(reply.status == status && reply.reason == reason, "\(name): \(reply.status) \(reply.body)")
            #expect(reply.headers["apns-request-id"] != nil, "\(name)")
        }
        #expect(try Self.broadcast(running, channel: channel, extra: good).status == 200)
    }

    @Test func managementReasonsLimitAndRulesOverTheWire() throws {
        let running = try Self.startServer {
            $0.channelLimit = 2
            $0.manageRules = [MockResponseRule(prefix: "list", status: 500, reason: "InternalServerError", firstAttempts: 1)]
            $0.channelRules = [MockResponseRule(prefix: "Zm9v", status: 429, reason: "TooManyRequests", firstAttempts: 2)]
        }
        defer { _ = running.stop() }
        #expect(try Self.create(running, policy: 1).status == 201)
        #expect(try Self.create(running, policy: 0).status == 201)
        let full = try Self.create(running, policy: 1)
        #expect(full.status == 400 && full.reason == "CannotCreateChannelConfig")
        let badBody = try Self.send(running, "POST", "/1/apps/\(Self.bundle)/channels", management: true,
                                    body: #"{"message-storage-policy":3,"push-type":"LiveActivity"}"#)
        #expect(badBody.status == 400 && badBody.reason == "BadRequestPayload")
        let missing = try Self.send(running, "DELETE", "/1/apps/\(Self.bundle)/channels", management: true)
        #expect(missing.status == 400 && missing.reason == "MissingChannelId")
        let method = try Self.send(running, "PATCH", "/1/apps/\(Self.bundle)/channels", management: true)
        #expect(method.status == 405 && method.reason == "MethodNotAllowed")
        let firstList = try Self.send(running, "GET", "/1/apps/\(Self.bundle)/all-channels", management: true)
        #expect(firstList.status == 500 && firstList.reason == "InternalServerError")
        let noToken = try Self.send(running, "GET", "/1/apps/\(Self.bundle)/all-channels", management: true,
                                    authorization: nil)
        #expect(noToken.status == 403 && noToken.reason == "MissingProviderToken")
        #expect(try Self.send(running, "GET", "/1/apps/\(Self.bundle)/all-channels", management: true).status == 200)
        // A made-up channel id with a rule: the rule's answer twice, then the lookup.
        let statuses = try (0..<3).map { _ in try Self.broadcast(running, channel: "Zm9vYmFy").status }
        #expect(statuses == [429, 429, 400])
    }

    @Test func disabledFeatureAndRefusedTokensOnBothPorts() throws {
        let running = try Self.startServer({ $0.disabled = true },
                                           verifier: { $0 == "good" ? nil : .invalidProviderToken })
        defer { _ = running.stop() }
        let create = try Self.create(running, policy: 1)
        #expect(create.status == 403 && create.reason == "InvalidProviderToken", "the token is checked first")
        let createGood = try Self.send(running, "POST", "/1/apps/\(Self.bundle)/channels", management: true,
                                       body: "{}", authorization: "bearer good")
        #expect(createGood.status == 400 && createGood.reason == "FeatureNotEnabled")
        let broadcast = try Self.send(running, "POST", "/4/broadcasts/apps/\(Self.bundle)", management: false,
                                      body: Self.update, authorization: "bearer good")
        #expect(broadcast.status == 400 && broadcast.reason == "FeatureNotEnabled")
        #expect(running.server.channels.count == 0)
    }

    @Test func managementPortAsksForTheSameClientCertificates() throws {
        let identities = try MockServerClientCertificateLiveTests.makeIdentities()
        let running = try LiveTestSupport.startServer { configuration, _ in
            configuration.clientCertificateCAFile = identities.caPath
            configuration.requireProviderToken = false
            configuration.broadcast.manageListen = Endpoint(host: "127.0.0.1", port: 0)
        }
        defer { _ = running.stop() }
        let body = #"{"message-storage-policy":1,"push-type":"LiveActivity"}"#
        let path = "/1/apps/\(Self.bundle)/channels"
        let anonymous = try Self.send(running, "POST", path, management: true, body: body, authorization: nil)
        #expect(anonymous.status == 0, "no certificate, no handshake")
        let member = ["--cert", identities.clientCertificate, "--key", identities.clientKey]
        let created = try Self.send(running, "POST", path, management: true, body: body, authorization: nil,
                                    extra: member)
        #expect(created.status == 201, "certificate auth needs no provider token")
        let channel = try #require(created.headers["apns-channel-id"])
        let sent = try Self.send(running, "POST", "/4/broadcasts/apps/\(Self.bundle)", management: false,
                                 headers: ["apns-channel-id": channel, "apns-push-type": "liveactivity",
                                           "apns-priority": "5", "apns-expiration": "0"],
                                 body: Self.update, authorization: nil, extra: member)
        #expect(sent.status == 200)
        #expect(running.server.statistics.tlsFailures == 1)
    }

    @Test func aTakenManagementPortFailsTheStartAndFreesThePushPort() throws {
        let running = try Self.startServer()
        defer { _ = running.stop() }
        var configuration = MockConfiguration(listen: Endpoint(host: "127.0.0.1", port: 0), quiet: true)
        configuration.broadcast.manageListen = Endpoint(host: "127.0.0.1", port: try #require(running.server.managePort))
        let identity = try LiveTestSupport.makeCertificate(in: running.directory)
        let second = try MockServer(configuration: configuration, certificatePEM: identity.certificatePEM,
                                    keyPEM: identity.keyPEM)
        #expect(throws: MockServerError.self) { try second.start() }
        #expect(second.port == nil && second.managePort == nil)
        do {
            try second.start()
        } catch {
            #expect(error.description.hasPrefix("management port: "))
            #expect(error.description.contains("--manage-listen 127.0.0.1:0"))
        }
    }
}
