import PushCore

/// Broadcasts (push port) and channel management (management port): route, check (`ChannelValidator`), apply to
/// the channel store, answer with `apns-request-id`.
extension MockEngine {
    func planChannelRequest(_ request: MockRequest, on port: MockPort) -> MockPlan {
        let requestID = request.header("apns-request-id").flatMap { RequestValidator.isUUID($0) ? $0 : nil }
            ?? ids.next()
        var answer = ChannelAnswer(operation: nil, channelID: request.header("apns-channel-id"))
        func plan(_ status: Int, _ reason: Reason?, attempt: Int, uniqueID: String? = nil) -> MockPlan {
            var decision = MockDecision(status: status, reason: reason, apnsID: requestID, uniqueID: uniqueID)
            decision.channel = answer
            return .answer(decision, attempt: attempt, tokenKey: nil)
        }

        let route: ChannelRoute
        switch ChannelRoute.resolve(method: request.method, path: request.path, port: port) {
        case .failure(let refusal):
            // A bad `/4/…` path on the push port is a broadcast gone wrong.
            if port == .push { answer.operation = .broadcast }
            return plan(refusal.status, refusal.reason, attempt: 0)
        case .success(let resolved): route = resolved
        }
        answer.operation = route.operation
        let attempt = countAttempt(route.operation, channelID: answer.channelID)
        if let outage, outage.answersUnavailable(elapsedMs: elapsedMs()) {
            return plan(503, .serviceUnavailable, attempt: attempt)
        }
        let bundle = route.bundle
        let policy = { (id: String) in self.channels.policy(of: id, in: bundle) }

        if route.operation == .broadcast {
            if let refusal = channelValidator.checkBroadcast(request, bundle: bundle, attempt: max(1, attempt),
                                                             providerTokenUses: recordProviderTokenUse, policy: policy) {
                return plan(refusal.status, refusal.reason, attempt: attempt)
            }
            return plan(200, nil, attempt: attempt, uniqueID: sendsUniqueID ? ids.next() : nil)
        }

        switch channelValidator.checkManagement(request, route: route, attempt: attempt,
                                                providerTokenUses: recordProviderTokenUse, policy: policy) {
        case .refuse(let refusal):
            return plan(refusal.status, refusal.reason, attempt: attempt)
        case .create(let storagePolicy):
            guard let id = channels.create(policy: storagePolicy, in: bundle) else {
                return plan(400, ChannelReason.cannotCreateChannelConfig, attempt: attempt)
            }
            answer.channelID = id
            return plan(201, nil, attempt: attempt)
        case .read(_, let storagePolicy):
            answer.body = ChannelAnswer.configurationBody(policy: storagePolicy)
            return plan(200, nil, attempt: attempt)
        case .delete(let id):
            guard channels.remove(id: id, from: bundle) else {
                return plan(400, ChannelReason.channelNotRegistered, attempt: attempt)
            }
            return plan(204, nil, attempt: attempt)
        case .list:
            answer.body = ChannelAnswer.listBody(ids: channels.ids(in: bundle))
            return plan(200, nil, attempt: attempt)
        }
    }

    /// Counts a request for `:K` rules: broadcasts per channel id (0 without one), management requests per
    /// operation. Returns the count, this request included.
    private func countAttempt(_ operation: ChannelOperation, channelID: String?) -> Int {
        guard operation == .broadcast else {
            operationAttempts[operation, default: 0] += 1
            return operationAttempts[operation, default: 0]
        }
        guard let channelID else { return 0 }
        return channelAttempts.update(channelID, initial: 0) { count in
            count += 1
            return count
        }
    }
}
