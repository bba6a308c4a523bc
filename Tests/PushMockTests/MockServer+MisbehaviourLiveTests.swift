import Foundation
import PushCore
import Testing
@testable import PushMock

/// Each misbehaviour switch over real TLS + HTTP/2 on 127.0.0.1, driven by curl (sequential requests on one
/// connection, reconnecting when told to) and nghttp (concurrent streams, frames visible).
@Suite("MockServer: misbehaviour on purpose, live",
       .enabled(if: LiveTestSupport.canRunLiveTests, "needs the openssl tool and a curl built with HTTP/2 (curl -V | grep HTTP2)"))
struct MockServerMisbehaviourLiveTests {
    static let token = String(repeating: "ab", count: 32)
    static func token(_ prefix: String, _ i: Int = 0) -> String {
        let tail = String(i, radix: 16)
        return prefix + String(repeating: "0", count: 64 - prefix.count - tail.count) + tail
    }

    func statsPath(_ directory: URL) -> String { directory.appendingPathComponent("stats.json").path }
    func logPath(_ directory: URL) -> String { directory.appendingPathComponent("requests.jsonl").path }

    @Test func goAwayAfterNAnswersNThenTheClientMustReconnect() throws {
        let running = try LiveTestSupport.startServer { configuration, directory in
            configuration.goAway = MockGoAwayRule(afterRequests: 2)
            configuration.statsPath = directory.appendingPathComponent("stats.json").path
        }
        let result = try LiveTestSupport.postMany(to: running, tokens: Array(repeating: Self.token, count: 5))
        #expect(result.exitStatus == 0, "\(result.error)")
        // Two requests per connection: curl opens a new connection for the 3rd and the 5th.
        #expect(result.answers.map(\.status) == ["200", "200", "200", "200", "200"])
        #expect(result.answers.map(\.newConnections) == [1, 0, 1, 0, 1])
        #expect(running.stop())
        let stats = try LiveTestSupport.readStats(statsPath(running.directory))
        #expect(stats["requests"] as? Int == 5)
        #expect(stats["accepted"] as? Int == 5)
        #expect(stats["goaways"] as? Int == 2)
        #expect(stats["connections"] as? Int == 3)
        #expect(running.server.statistics.jsonText == Array(try Data(contentsOf: URL(fileURLWithPath: statsPath(running.directory)))))
    }

    @Test(.enabled(if: LiveTestSupport.hasNghttp, "needs nghttp (nghttp2-client)"))
    func goAwayNamesTheNthStreamAndItsReasonAndLaterStreamsAreNeverProcessed() throws {
        let running = try LiveTestSupport.startServer { configuration, directory in
            configuration.requireProviderToken = false   // all streams at once from the start
            configuration.goAway = MockGoAwayRule(afterRequests: 2, reason: "BadCertificateEnvironment")
            configuration.logPath = directory.appendingPathComponent("requests.jsonl").path
        }
        let transcript = try LiveTestSupport.nghttp(running, token: Self.token, multiply: 5)
        let answered = transcript.statuses
        #expect(answered.map(\.status) == ["200", "200"], "\(transcript.text)")
        let goAway = try #require(transcript.goAways.first, "no GOAWAY in \(transcript.text)")
        #expect(goAway.lastStreamID == answered.map(\.stream).max())
        #expect(goAway.errorCode == "NO_ERROR")
        #expect(goAway.debugData == #"{"reason":"BadCertificateEnvironment"}"#)
        #expect(running.stop())
        let statistics = running.server.statistics
        #expect(statistics.requests == 2)
        #expect(statistics.goAways == 1)
        #expect(try LiveTestSupport.readLog(logPath(running.directory)).count == 2)
    }

    @Test func dropAfterNEndsEachConnectionAfterItsNthAnswer() throws {
        let running = try LiveTestSupport.startServer { configuration, _ in
            configuration.dropAfter = 2
        }
        // Two requests per curl run, so that curl never races the drop with a third request of its own.
        for _ in 0..<2 {
            let result = try LiveTestSupport.postMany(to: running, tokens: [Self.token, Self.token])
            #expect(result.answers == [.init(status: "200", newConnections: 1), .init(status: "200", newConnections: 0)],
                    "\(result.error)")
        }
        #expect(running.stop())
        let statistics = running.server.statistics
        #expect(statistics.accepted == 4)
        #expect(statistics.drops == 2)
        #expect(statistics.goAways == 0)
        #expect(statistics.connections == 2)
    }

    @Test(.enabled(if: LiveTestSupport.hasNghttp, "needs nghttp (nghttp2-client)"))
    func aDroppedConnectionLeavesInFlightStreamsUnanswered() throws {
        for mode in [MockDropMode.close, .reset] {
            let running = try LiveTestSupport.startServer { configuration, _ in
                configuration.requireProviderToken = false
                configuration.dropAfter = 2
                configuration.dropMode = mode
            }
            let transcript = try LiveTestSupport.nghttp(running, token: Self.token, multiply: 6)
            let statuses = transcript.statuses.map(\.status)
            if mode == .close {
                #expect(statuses == ["200", "200"], "\(transcript.text)")
            } else {
                // A reset may overtake answers the client has not read yet: at most the two.
                #expect(statuses.count <= 2 && statuses.allSatisfy { $0 == "200" }, "\(transcript.text)")
            }
            #expect(transcript.goAways.isEmpty, "a drop sends no GOAWAY")
            #expect(running.stop())
            #expect(running.server.statistics.drops == 1)
            #expect(running.server.statistics.requests == 2)
            #expect(running.server.statistics.accepted == 2)
        }
    }

    @Test("--goaway-every and --drop-every count the requests of all connections")
    func serverWideCountsSpanConnections() throws {
        for drop in [false, true] {
            let running = try LiveTestSupport.startServer { configuration, _ in
                if drop { configuration.dropEvery = 3 } else { configuration.goAwayEvery = MockGoAwayRule(afterRequests: 3) }
            }
            // Two requests on a first connection (the server's 1st and 2nd), then one request on each of two more
            // connections: the server's 3rd ends the second connection, though it is that connection's 1st.
            let first = try LiveTestSupport.postMany(to: running, tokens: [Self.token, Self.token])
            let second = try LiveTestSupport.postMany(to: running, tokens: [Self.token])
            let third = try LiveTestSupport.postMany(to: running, tokens: [Self.token])
            #expect(first.answers == [.init(status: "200", newConnections: 1), .init(status: "200", newConnections: 0)])
            #expect(second.answers == [.init(status: "200", newConnections: 1)], "\(second.error)")
            #expect(third.answers == [.init(status: "200", newConnections: 1)], "\(third.error)")
            #expect(running.stop())
            let statistics = running.server.statistics
            #expect(statistics.connections == 3)
            #expect(statistics.requests == 4)
            #expect(drop ? statistics.drops == 1 && statistics.goAways == 0 : statistics.goAways == 1 && statistics.drops == 0)
        }
    }

    @Test func silentTokensAreNeverAnswered() throws {
        let running = try LiveTestSupport.startServer { configuration, directory in
            configuration.silentPrefixes = ["5e"]
            configuration.logPath = directory.appendingPathComponent("requests.jsonl").path
        }
        let silent = try LiveTestSupport.post(to: running, token: Self.token("5e"), extra: ["--max-time", "0.5"])
        #expect(silent.exitStatus == 28, "curl should time out: \(silent.error)")
        #expect(silent.status == "000")
        let other = try LiveTestSupport.post(to: running, token: Self.token("e5"))
        #expect(other.status == "200")
        #expect(running.stop())
        let statistics = running.server.statistics
        #expect(statistics.silenced == 1)
        #expect(statistics.accepted == 1)
        let log = try LiveTestSupport.readLog(logPath(running.directory))
        let silentLine = try #require(log.first { $0["token"] as? String == Self.token("5e") })
        #expect(silentLine["status"] is NSNull)
    }

    @Test(.enabled(if: LiveTestSupport.hasNghttp, "needs nghttp (nghttp2-client)"))
    func latencyDelaysEveryAnswerWithoutHoldingUpOthers() throws {
        let running = try LiveTestSupport.startServer { configuration, _ in
            configuration.requireProviderToken = false
            configuration.latencyMs = 400
        }
        let transcript = try LiveTestSupport.nghttp(running, token: Self.token, multiply: 4)
        let times = transcript.statuses.map(\.seconds)
        #expect(transcript.statuses.map(\.status) == ["200", "200", "200", "200"], "\(transcript.text)")
        #expect(times.allSatisfy { $0 >= 0.4 }, "\(times)")
        // Four answers delayed side by side, not one after another (which would take 1.6 s).
        #expect((times.max() ?? 9) - (times.min() ?? 0) < 0.3, "\(times)")
        #expect((times.max() ?? 9) < 1.4, "\(times)")
        #expect(running.stop())
    }

    @Test func failRateFailsExactlyTheRequestsItsDrawsSay() throws {
        let rate = FailureRate(rate: 0.5, seed: 77)
        let running = try LiveTestSupport.startServer { configuration, _ in
            configuration.failureRate = rate
        }
        let tokens = (0..<16).map { Self.token("f", $0) }
        let expected = tokens.map { rate.fails(token: $0, attempt: 1) ? "500" : "200" }
        #expect(expected.contains("500") && expected.contains("200"))
        let first = try LiveTestSupport.postMany(to: running, tokens: tokens)
        #expect(first.answers.map(\.status) == expected, "\(first.error)")
        // The second attempt of each token draws again.
        let second = try LiveTestSupport.postMany(to: running, tokens: tokens)
        #expect(second.answers.map(\.status) == tokens.map { rate.fails(token: $0, attempt: 2) ? "500" : "200" })
        #expect(running.stop())
        #expect(running.server.statistics.rejectedByReason["InternalServerError"] == expected.filter { $0 == "500" }.count
                    + second.answers.filter { $0.status == "500" }.count)
    }

    @Test func aRuleWithKAnswersTheErrorKTimesThenAccepts() throws {
        let running = try LiveTestSupport.startServer { configuration, directory in
            configuration.responseRules = [MockResponseRule(prefix: "aa", status: 429, reason: "TooManyRequests", firstAttempts: 2)]
            configuration.logPath = directory.appendingPathComponent("requests.jsonl").path
        }
        let token = Self.token("aa")
        let result = try LiveTestSupport.postMany(to: running, tokens: [token, token, token, Self.token])
        #expect(result.answers.map(\.status) == ["429", "429", "200", "200"], "\(result.error)")
        #expect(running.stop())
        let log = try LiveTestSupport.readLog(logPath(running.directory))
        #expect(log.filter { $0["token"] as? String == token }.map { $0["attempt"] as? Int } == [1, 2, 3])
        #expect(log.last?["attempt"] as? Int == 1)
        #expect(running.server.statistics.rejectedByReason == ["TooManyRequests": 2])
    }

    @Test(.enabled(if: LiveTestSupport.hasNghttp, "needs nghttp (nghttp2-client)"))
    func theStreamLimitFallsToOneAfterARejectionAndRisesAfterTheNextAcceptedRequest() throws {
        for drop in [true, false] {
            let running = try LiveTestSupport.startServer { configuration, _ in
                configuration.requireProviderToken = false
                configuration.maxStreams = 10
                configuration.dropStreamsOnRejection = drop
                configuration.responseRules = [MockResponseRule(prefix: "0bad", status: 400, reason: "BadDeviceToken")]
            }
            // Two URIs on one connection: the rejected one first, then an accepted one.
            let bad = "https://127.0.0.1:\(running.port)/3/device/\(Self.token("0bad"))"
            let transcript = try LiveTestSupport.nghttp(running, token: Self.token, extra: [bad])
            #expect(Set(transcript.statuses.map(\.status)) == ["400", "200"], "\(transcript.text)")
            #expect(transcript.maxConcurrentStreams == (drop ? [10, 1, 10] : [10]), "\(transcript.text)")
            #expect(running.stop())
            #expect(running.server.statistics.streamLimitDrops == (drop ? 1 : 0))
        }
    }

    @Test func expireTokenOnceRefusesOnlyTheFirstProviderTokenSeen() throws {
        let running = try LiveTestSupport.startServer { configuration, _ in
            configuration.expireProviderTokenOnce = true
        }
        let first = ["apns-topic: x", "authorization: bearer first.token.sig"]
        let result = try LiveTestSupport.postMany(to: running, tokens: [Self.token, Self.token], headers: first)
        #expect(result.answers.map(\.status) == ["403", "200"])
        // The replacement is good: a client that minted a new token must not be told it expired too.
        let replacement = try LiveTestSupport.post(to: running, token: Self.token,
                                                   headers: ["apns-topic: x", "authorization: bearer second.token.sig"])
        #expect(replacement.status == "200")
        #expect(running.stop())
    }

    @Test func providerTokensOlderThanTheMaxAgeExpire() throws {
        let key = try ES256PrivateKey.generate()
        let verifier = ProviderTokenVerifier(keyID: "KEY0000001", teamID: "TEAM000001", key: try key.publicKey(), maxAge: 5)
        let running = try LiveTestSupport.startServer { configuration, _ in
            configuration.tokenVerifier = verifier.cachingCheck(now: { Clock.wallSeconds() })
        }
        let now = Clock.wallSeconds()
        let fresh = try ProviderToken.make(keyID: "KEY0000001", teamID: "TEAM000001", issuedAt: now, key: key)
        let old = try ProviderToken.make(keyID: "KEY0000001", teamID: "TEAM000001", issuedAt: now - 30, key: key)
        let ok = try LiveTestSupport.post(to: running, token: Self.token, headers: ["apns-topic: x", "authorization: bearer \(fresh)"])
        #expect(ok.status == "200")
        let stale = try LiveTestSupport.post(to: running, token: Self.token, headers: ["apns-topic: x", "authorization: bearer \(old)"])
        #expect(stale.status == "403")
        #expect(stale.body == #"{"reason":"ExpiredProviderToken"}"#)
        #expect(running.stop())
    }
}
