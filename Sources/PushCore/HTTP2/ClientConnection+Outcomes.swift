/// What a connection does with each closed stream: settle it, or hand it back for a retry (RetryPolicy).
extension ClientConnection {
    /// A response arrived (any status). Its outcome is decided here, once: the answer is read once
    /// (`APNsResponse.interpret`), the retry policy decides, and the report row follows that decision.
    func answer(_ flight: consuming InFlight, latencyMs: Double) {
        let status: Int, reason: Reason?, unregisteredAt: Int64?
        switch flight.response.interpret() {
        case .answered(let s, let r, let u): (status, reason, unregisteredAt) = (s, r, u)
        case .protocolError(let why):
            log?("connection \(id): protocol error by the server on a stream: \(why)")
            transportFailure(flight, reason: Reason.protocolError.rawValue, latencyMs: latencyMs)
            return
        }
        // Read through `flight` (owned: the stream closed), not copied into locals: a copy retains every string.
        let decision = settings.retryPolicy.decide(status: status, reason: reason, attempts: flight.delivery.attempts,
                                                   retryAfterMs: flight.response.retryAfterMs) {
            random.next(upTo: $0)
        }
        switch decision {
        case .settle(let outcome):
            settled.append(flight.response.reportRow(for: flight.delivery.notification, outcome: outcome, status: status,
                                                     reason: reason, unregisteredAt: unregisteredAt,
                                                     attempts: flight.delivery.attempts, latencyMs: latencyMs,
                                                     finishedAtMs: stepWallMs))
            if queue.payloadBuffers != nil { spentPayloads.append(flight.delivery.notification.payload) }
        case .retry(let delayMs, let newConnection):
            var again = flight.delivery
            again.lastFailure = reason?.rawValue ?? "HTTP \(status)"
            retries.append((again, delayMs))
            if newConnection {
                log?("connection \(id): \(again.lastFailure!): continuing on a new connection")
                state.beginClosing()
            }
        case .refreshTokenAndRetry:
            // A request sent with an older value than this connection's current one used a token already replaced.
            if flight.authorizationEpoch == authorizationEpoch, let authorization, !auth.rejectedAsExpired(authorization) {
                settled.append(flight.response.reportRow(for: flight.delivery.notification, outcome: .rejected,
                                                         status: status, reason: reason, unregisteredAt: nil,
                                                         attempts: flight.delivery.attempts, latencyMs: latencyMs,
                                                         finishedAtMs: stepWallMs))
                control.fail("APNs refused a provider token minted moments ago as expired (ExpiredProviderToken): "
                    + "this machine's clock is probably wrong; check the system time (NTP) and run again")
                queue.abort()
                return
            }
            var again = flight.delivery
            again.lastFailure = Reason.expiredProviderToken.rawValue
            retries.append((again, 0))
        case .stopRun:
            settled.append(flight.response.reportRow(for: flight.delivery.notification, outcome: .rejected,
                                                     status: status, reason: reason, unregisteredAt: nil,
                                                     attempts: flight.delivery.attempts, latencyMs: latencyMs,
                                                     finishedAtMs: stepWallMs))
            let what = reason ?? Reason(rawValue: "HTTP \(status)")
            control.fail("APNs refused the credentials (\(what.rawValue)): \(what.credentialHint)")
            queue.abort()
        }
    }

    /// The server refused the stream unprocessed (above a GOAWAY's last-stream-id, or over its limit): send it
    /// again, without counting an attempt.
    func refused(_ flight: InFlight) {
        var again = flight.delivery
        again.attempts -= 1
        again.refusals += 1
        if again.refusals > Delivery.maxRefusals {
            settled.append(ReportRow(line: again.notification.line, token: again.notification.token, outcome: .failed,
                                     reason: "Refused", apnsID: again.notification.apnsID, attempts: again.attempts,
                                     finishedAtMs: stepWallMs))
        } else {
            retries.append((again, 0))
        }
    }

    /// No answer: the connection was lost, the request timed out, or the stream was reset. The outcome is
    /// unknown (APNs may have delivered it), so the attempt counts and a resend may deliver twice.
    func transportFailure(_ flight: InFlight, reason: String, latencyMs: Double?) {
        let delivery = flight.delivery
        let decision = settings.retryPolicy.decide(status: nil, reason: nil, attempts: delivery.attempts) {
            random.next(upTo: $0)
        }
        if case .retry(let delayMs, _) = decision {
            var again = flight.delivery
            again.lastFailure = reason
            retries.append((again, delayMs))
        } else {
            settled.append(ReportRow(line: delivery.notification.line, token: delivery.notification.token, outcome: .failed,
                                     reason: reason, apnsID: delivery.notification.apnsID, attempts: delivery.attempts,
                                     latencyMs: latencyMs, finishedAtMs: stepWallMs))
        }
    }
}
