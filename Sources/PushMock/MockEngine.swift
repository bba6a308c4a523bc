import Foundation
import PushCore
import Synchronization

/// The statistics of a server, updated on the server thread and readable from any thread.
final class MockStatisticsStore: Sendable {
    private let value = Mutex(MockStatistics())

    func update(_ body: (inout MockStatistics) -> Void) { value.withLock { body(&$0) } }
    var snapshot: MockStatistics { value.withLock { $0 } }
}

/// An answer waiting for `--latency` to pass.
struct DelayedAnswer {
    let connection: MockConnection
    let stream: Int32
    let request: MockRequest
    let decision: MockDecision
    let attempt: Int
    /// The lowercased device token, when the request had one.
    let tokenKey: String?
}

/// What to do with a request the connection took on.
enum MockPlan {
    /// `--silent`: never answer; the stream stays open.
    case silent(attempt: Int)
    case answer(MockDecision, attempt: Int, tokenKey: String?)
}

/// What every connection of one server shares: the validator, what it remembers about tokens, the timer queue
/// of delayed answers, the log and the statistics. Server thread only (the statistics store excepted).
final class MockEngine {
    /// Device tokens remembered for attempt counts (see `BoundedTally`: at least half as many always are).
    static let tokenMemory = 100_000
    /// Provider tokens remembered for `--expire-token-once`.
    static let providerTokenMemory = 10_000

    let validator: RequestValidator
    let maxStreams: Int
    let tokenAuth: Bool
    let dropStreamsOnRejection: Bool
    let goAwayTriggers: [ConnectionEnding.Trigger]
    let dropTriggers: [ConnectionEnding.Trigger]
    let dropMode: MockDropMode
    let silentPrefixes: [String]
    let latencyMs: Int
    let log: RequestLogWriter?
    let statistics: MockStatisticsStore
    let quiet: Bool
    let opening: ConnectionOpening
    let outage: MockOutage?
    /// The monotonic time the server started serving (`--outage` counts from it).
    let startedAtMs: Int64
    /// `{"reason":"…"}` of `--goaway-after` / `--goaway-every`.
    let goAwayDebugData: [UInt8]
    /// Requests taken on by all connections (for `--goaway-every` and `--drop-every`).
    var takenCount = 0
    var ids = MockIDGenerator()
    /// Reused for every response.
    var responseHeaders: [HTTP2HeaderField] = []
    var tokens = BoundedTally<String, TokenTally>(limit: MockEngine.tokenMemory)
    /// Per-token attempt and acceptance counts cost two map updates per request: kept only when something reads
    /// them (first-K rules, the failure rate, the request log's `attempt`, the --stats file).
    let tallyTokens: Bool
    /// `apns-unique-id` on accepted requests: the sandbox sends it, production does not.
    let sendsUniqueID: Bool
    var providerTokenUses = BoundedTally<String, Int>(limit: MockEngine.providerTokenMemory)
    var firstProviderToken: String?
    var delayed = DelayQueue<DelayedAnswer>()
    /// Broadcast channels, shared with the server (tests read them while it runs).
    let channels: SharedChannelStore
    let channelValidator: ChannelValidator
    /// Broadcasts per channel id and management requests per operation, for `:K` rules and the log's `attempt`.
    var channelAttempts = BoundedTally<String, Int>(limit: MockEngine.tokenMemory)
    var operationAttempts: [ChannelOperation: Int] = [:]

    init(configuration: MockConfiguration, log: RequestLogWriter?, statistics: MockStatisticsStore,
         startedAtMs: Int64 = MockEngine.monotonicMs(), channels: SharedChannelStore) {
        self.channels = channels
        channelValidator = ChannelValidator(authentication: RequestValidator(configuration: configuration),
                                            broadcast: configuration.broadcast)
        opening = configuration.opening
        outage = configuration.outage
        self.startedAtMs = startedAtMs
        validator = RequestValidator(configuration: configuration)
        tallyTokens = configuration.failureRate != nil || configuration.logPath != nil || configuration.statsPath != nil
            || configuration.responseRules.contains { $0.firstAttempts != nil }
        maxStreams = configuration.maxStreams
        tokenAuth = configuration.requireProviderToken
        sendsUniqueID = configuration.environment == .sandbox
        dropStreamsOnRejection = configuration.dropStreamsOnRejection
        goAwayTriggers = [configuration.goAway.map { ConnectionEnding.Trigger(count: $0.afterRequests, scope: .connection) },
                          configuration.goAwayEvery.map { ConnectionEnding.Trigger(count: $0.afterRequests, scope: .server) }]
            .compactMap { $0 }
        dropMode = configuration.dropMode
        dropTriggers = [configuration.dropAfter.map { ConnectionEnding.Trigger(count: $0, scope: .connection) },
                        configuration.dropEvery.map { ConnectionEnding.Trigger(count: $0, scope: .server) }]
            .compactMap { $0 }
        silentPrefixes = configuration.silentPrefixes
        latencyMs = max(0, configuration.latencyMs)
        self.log = log
        self.statistics = statistics
        quiet = configuration.quiet
        goAwayDebugData = MockResponseEncoding.errorBody(
            reason: Reason(rawValue: (configuration.goAway ?? configuration.goAwayEvery)?.reason ?? Reason.shutdown.rawValue),
            timestampMs: nil)
        responseHeaders.reserveCapacity(4)
    }

    /// Milliseconds since the epoch (log lines, 410 timestamps).
    static func nowMs() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }

    /// Milliseconds on the monotonic clock (timers).
    static func monotonicMs() -> Int64 { Int64(Clock.monotonicNanoseconds() / 1_000_000) }

    /// Milliseconds since the server started serving.
    func elapsedMs(now: Int64 = MockEngine.monotonicMs()) -> Int64 { now - startedAtMs }

    func note(_ message: @autoclosure () -> String) {
        if !quiet { MockServer.note(message()) }
    }

    /// Counts the attempt and decides: silent, or the answer. Broadcasts and management requests:
    /// `planChannelRequest`.
    func plan(_ request: MockRequest, on port: MockPort = .push) -> MockPlan {
        if port == .management || ChannelRoute.isBroadcastPath(request.path) {
            return planChannelRequest(request, on: port)
        }
        var attempt = 0
        var tokenKey: String?
        if let token = request.deviceToken, !token.isEmpty, tallyTokens || !silentPrefixes.isEmpty {
            let key = ASCII.lowercased(token)
            if tallyTokens {
                tokenKey = key
                attempt = tokens.update(key, initial: TokenTally()) { tally in
                    tally.attempts += 1
                    return tally.attempts
                }
            }
            if !silentPrefixes.isEmpty && MockResponseRule.matchesAny(silentPrefixes, token: key) {
                return .silent(attempt: attempt)
            }
        }
        if let outage, outage.answersUnavailable(elapsedMs: elapsedMs()) {
            let apnsID = request.header("apns-id").flatMap { RequestValidator.isUUID($0) ? $0 : nil } ?? ids.next()
            return .answer(MockDecision(status: 503, reason: .serviceUnavailable, apnsID: apnsID),
                           attempt: attempt, tokenKey: tokenKey)
        }
        var decision = validator.decide(request, attempt: max(1, attempt), providerTokenUses: recordProviderTokenUse,
                                        nowMs: Self.nowMs, newID: { self.ids.next() })
        if !sendsUniqueID { decision.uniqueID = nil }
        return .answer(decision, attempt: attempt, tokenKey: tokenKey)
    }

    /// Records a use of a provider token that passed the verifier (`--expire-token-once`); returns its uses so far.
    func recordProviderTokenUse(_ jwt: Substring) -> Int {
        // Only the first provider token the server sees has "expired": a client must replace it once,
        // and its replacement is good (a replacement refused too would mean a wrong client clock).
        if firstProviderToken == nil { firstProviderToken = String(jwt) }
        guard firstProviderToken.map({ $0 == jwt }) == true else { return 2 }
        return providerTokenUses.update(String(jwt), initial: 0) { uses in
            uses += 1
            return uses
        }
    }

    /// Records an answer that went out: statistics, the token's accepted count, and how far out of order it was
    /// on its connection (`order`, from `AnswerOrder.answered`).
    func answered(_ decision: MockDecision, tokenKey: String?, connection: Int,
                  order: (late: Bool, newMaximum: Bool, reorder: Int)) {
        var acceptedAgain = false
        if decision.isAccepted, let tokenKey {
            acceptedAgain = tokens.update(tokenKey, initial: TokenTally()) { tally in
                tally.accepted += 1
                return tally.accepted == 2
            }
        }
        statistics.update { stats in
            stats.recordAnswer(status: decision.status, reason: decision.reason)
            if let answer = decision.channel {
                stats.broadcast.record(answer, status: decision.status, reason: decision.reason)
            }
            if acceptedAgain { stats.tokensAcceptedMoreThanOnce += 1 }
            if order.late { stats.lateAnswers += 1 }
            if order.newMaximum { stats.recordReorder(connection: connection, reorder: order.reorder) }
        }
    }
}
