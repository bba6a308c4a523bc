/// What the token source says about a token APNs called expired (`AuthorizationSource.rejectedAsExpired`).
public enum ExpiredTokenVerdict: Sendable, Equatable {
    /// A new token is (or already was) minted: send again at once.
    case retry
    /// The token cannot be renewed yet (at most once a minute): send again after this long, not counting an attempt.
    case retryAfter(ms: Int)
    /// A token minted to replace an expired one was refused at its first use: the clock is wrong.
    case clockWrong
}

/// What a connection does with each closed stream: settle it, or hand it back for a retry (`RetryPolicy` decides).
extension ConnectionStateMachine {
    /// A response arrived (any status). Its outcome is decided here, once: the answer is read once
    /// (`APNsResponse.interpret`), the retry policy decides, and the report row follows that decision.
    mutating func answer(_ flight: consuming InFlight, latencyMs: Double, wallMs: Int64) -> Action {
        let status: Int, reason: Reason?, unregisteredAt: Int64?
        switch flight.response.interpret() {
        case .answered(let s, let r, let u): (status, reason, unregisteredAt) = (s, r, u)
        case .protocolError(let why):
            let stream = flight.stream
            transportFailure(flight, reason: Reason.protocolError.rawValue, latencyMs: latencyMs, wallMs: wallMs)
            return .log("protocol error by the server on stream \(stream): \(why)")
        }
        // Server-wide trouble for the circuit breaker: 5xx but a graceful Shutdown. While the breaker holds rows
        // back, such an attempt does not count against the row.
        let serverFailure = status >= 500 && reason != .shutdown
        if serverFailure { breakerFailures += 1 } else { breakerSuccesses += 1 }
        if serverFailure && holdsAttempts { flight.delivery.attempts -= 1 }
        // Read through `flight` (owned: the stream closed), not copied into locals: a copy retains every string.
        let decision = configuration.retryPolicy.decide(status: status, reason: reason, attempts: flight.delivery.attempts,
                                                        retryAfterMs: flight.response.retryAfterMs) {
            random.next(upTo: $0)
        }
        var action = Action.none
        // Any answer but a refused token proves the token was accepted.
        if flight.authorizationEpoch == authorizationEpoch && !currentTokenAccepted && authorizationEpoch > 0
            && decision != .refreshTokenAndRetry && decision != .stopRun {
            acceptedEpoch = authorizationEpoch
            action = .tokenAccepted
        }
        switch decision {
        case .settle(let outcome):
            settle(flight, outcome: outcome, status: status, reason: reason, unregisteredAt: unregisteredAt,
                   latencyMs: latencyMs, wallMs: wallMs)
        case .retry(let delayMs, let newConnection):
            var again = flight.delivery
            again.lastFailure = reason?.rawValue ?? "HTTP \(status)"
            retries.append((again, delayMs))
            if newConnection {
                beginClosing()
                return .log("\(again.lastFailure!): continuing on a new connection")
            }
        case .refreshTokenAndRetry:
            var again = flight.delivery
            again.lastFailure = Reason.expiredProviderToken.rawValue
            // A request sent with an older token than this connection's current one: that token is already replaced.
            guard flight.authorizationEpoch == authorizationEpoch else {
                retries.append((again, 0))
                return action
            }
            awaitingTokenVerdict.append(again)
            beginClosing()   // Apple: the connection stays unusable after a token error
            return .checkExpiredToken(acceptedBefore: currentTokenAccepted)
        case .stopRun:
            settle(flight, outcome: .rejected, status: status, reason: reason, unregisteredAt: nil,
                   latencyMs: latencyMs, wallMs: wallMs)
            let what = reason ?? Reason(rawValue: "HTTP \(status)")
            return .stopRun(what.stopRunMessage)
        }
        return action
    }

    /// The token source's answer to `checkExpiredToken`: the rows waiting for it go back to the queue, or the
    /// run stops.
    public mutating func expiredTokenVerdict(_ verdict: ExpiredTokenVerdict) -> Action {
        switch verdict {
        case .retry:
            while let delivery = awaitingTokenVerdict.popLast() { retries.append((delivery, 0)) }
        case .retryAfter(let ms):
            // The token's age, not the row, is at fault: the attempt does not count.
            while var delivery = awaitingTokenVerdict.popLast() {
                delivery.attempts -= 1
                retries.append((delivery, ms))
            }
        case .clockWrong:
            awaitingTokenVerdict.removeAll()
            return .stopRun("APNs refused a provider token minted moments ago as expired (ExpiredProviderToken) at "
                + "its first use: this machine's clock is probably wrong; check the system time (NTP) and run again")
        }
        return .none
    }

    private mutating func settle(_ flight: borrowing InFlight, outcome: Outcome, status: Int, reason: Reason?,
                                 unregisteredAt: Int64?, latencyMs: Double, wallMs: Int64) {
        settled.append(flight.response.reportRow(for: flight.delivery.notification, outcome: outcome, status: status,
                                                 reason: reason, unregisteredAt: unregisteredAt,
                                                 attempts: flight.delivery.attempts, latencyMs: latencyMs,
                                                 finishedAtMs: wallMs))
        // Channel read and list answer with data: the row carries it (device pushes never do).
        if flight.delivery.notification.kind.keepsAnswerBody && outcome == .delivered {
            settled[settled.count - 1].answerBody = flight.response.body
        }
        if configuration.recyclesPayloads { spentPayloads.append(flight.delivery.notification.payload) }
    }

    /// The server refused the stream unprocessed (above a GOAWAY's last-stream-id, or over its limit): send it
    /// again at once, without counting an attempt. Only refusals by a connection that answered nothing count
    /// towards `Delivery.maxRefusals`: a healthy server that drains with GOAWAY now and then never fails a row.
    mutating func refused(_ flight: consuming InFlight, wallMs: Int64) {
        var again = flight.delivery
        again.attempts -= 1
        if answered == 0 { again.refusals += 1 }
        if again.refusals > Delivery.maxRefusals {
            settled.append(ReportRow(line: again.notification.line, token: again.notification.token, outcome: .failed,
                                     reason: "Refused", apnsID: again.notification.apnsID, attempts: again.attempts,
                                     finishedAtMs: wallMs, pushType: again.notification.pushType))
        } else {
            retries.append((again, 0))
        }
    }

    /// No usable answer: the connection was lost, the request timed out, the stream was reset or the answer was
    /// malformed. The outcome is unknown (APNs may have delivered it), so the attempt counts and a resend may
    /// deliver twice.
    mutating func transportFailure(_ flight: consuming InFlight, reason: String, latencyMs: Double?, wallMs: Int64) {
        if reason != Reason.connectionLost.rawValue { breakerFailures += 1 }
        if holdsAttempts {
            var again = flight.delivery
            again.attempts -= 1
            again.lastFailure = reason
            retries.append((again, 0))
            return
        }
        let decision = configuration.retryPolicy.decide(status: nil, reason: nil, attempts: flight.delivery.attempts) {
            random.next(upTo: $0)
        }
        if case .retry(let delayMs, _) = decision {
            var again = flight.delivery
            again.lastFailure = reason
            retries.append((again, delayMs))
        } else {
            let delivery = flight.delivery
            settled.append(ReportRow(line: delivery.notification.line, token: delivery.notification.token, outcome: .failed,
                                     reason: reason, apnsID: delivery.notification.apnsID, attempts: delivery.attempts,
                                     latencyMs: latencyMs, finishedAtMs: wallMs, pushType: delivery.notification.pushType))
        }
    }
}
