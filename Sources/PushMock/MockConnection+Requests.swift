import PushCore

/// Requests as nghttp2 reports them, and their answers.
extension MockConnection {
    // MARK: HTTP2ServerSessionDelegate

    func http2RequestBegan(stream: Int32) {
        if currentStream != 0 {
            requests[currentStream] = current   // interleaved streams: park the previous one
            current = spare.popLast() ?? MockRequest(method: "", path: "")
        }
        current.reset()
        currentStream = stream
    }

    func http2RequestHeader(stream: Int32, name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) {
        if stream == currentStream {
            Self.add(name: name, value: value, to: &current)
        } else if var request = requests.removeValue(forKey: stream) {
            Self.add(name: name, value: value, to: &request)
            requests[stream] = request
        }
    }

    private static func add(name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, to request: inout MockRequest) {
        let text = String(decoding: value, as: UTF8.self)
        if name.first == UInt8(ascii: ":") {
            // ":method" and ":path" (nghttp2 has checked pseudo-headers; others are ignored).
            if name.count == 7 && name[1] == UInt8(ascii: "m") {
                request.method = text
            } else if name.count == 5 && name[1] == UInt8(ascii: "p") {
                request.path = text
            }
        } else {
            request.headers.append((name: String(decoding: name, as: UTF8.self), value: text))
        }
    }

    func http2RequestData(stream: Int32, bytes: UnsafeRawBufferPointer) {
        if stream == currentStream {
            current.appendBody(bytes)
        } else {
            requests[stream]?.appendBody(bytes)
        }
    }

    func http2RequestEnded(stream: Int32) {
        if stream == currentStream {
            currentStream = 0
            take(current, stream: stream)
        } else if var request = requests.removeValue(forKey: stream) {
            take(request, stream: stream)
            recycle(&request)
        }
    }

    func http2StreamClosed(stream: Int32, errorCode: UInt32) {
        // A stream reset before its request ended never reached http2RequestEnded.
        if stream == currentStream {
            currentStream = 0
        } else if var request = requests.removeValue(forKey: stream) {
            recycle(&request)
        }
        awaiting.remove(stream)
        // The client reset the stream whose answer was to end the connection: end it now.
        if stream == ending.dropStreamID { dropPending = true }
    }

    private func recycle(_ request: inout MockRequest) {
        guard spare.count < 64 else { return }
        request.reset()
        spare.append(request)
    }

    // MARK: Answering

    /// A request arrived in full: GOAWAY/drop bookkeeping, then silence, a delayed answer, or an answer now.
    private func take(_ request: MockRequest, stream: Int32) {
        let intake = ending.requestEnded(stream: stream, serverTakenBefore: engine.takenCount)
        if intake == .ignore {
            engine.statistics.update { $0.ignored += 1 }
            return
        }
        if port == .push { engine.takenCount += 1 }   // --goaway-every and --drop-every count push requests
        engine.statistics.update { $0.requests += 1 }
        // GOAWAY first: the client learns before it reads this answer that it must not reuse the connection.
        if case .takeThenGoAway(let lastStreamID) = intake, let session {
            do {
                try session.submitGoAway(lastStreamID: lastStreamID, debugData: engine.goAwayDebugData)
                engine.statistics.update { $0.goAways += 1 }
            } catch {
                engine.note("connection \(id): \(error)")
            }
        }
        switch engine.plan(request, on: port) {
        case .silent(let attempt):
            engine.statistics.update { $0.silenced += 1 }
            engine.log?.append(timeMs: MockEngine.nowMs(), connection: id, stream: stream, attempt: attempt,
                               request: request, decision: nil)
            awaiting.insert(stream)
            if intake == .takeThenDrop { dropPending = true }
        case .answer(let decision, let attempt, let tokenKey):
            if engine.latencyMs > 0 {
                awaiting.insert(stream)
                engine.delayed.schedule(
                    DelayedAnswer(connection: self, stream: stream, request: request, decision: decision,
                                  attempt: attempt, tokenKey: tokenKey),
                    at: MockEngine.monotonicMs() + Int64(engine.latencyMs))
            } else {
                answer(request, stream: stream, decision: decision, attempt: attempt, tokenKey: tokenKey)
            }
        }
    }

    /// Submits a delayed answer whose time has come, unless its stream or connection is gone.
    func answerDelayed(_ item: DelayedAnswer) {
        guard state == .open, awaiting.remove(item.stream) != nil else { return }
        answer(item.request, stream: item.stream, decision: item.decision, attempt: item.attempt, tokenKey: item.tokenKey)
        needsService = true
    }

    private func answer(_ request: MockRequest, stream: Int32, decision: MockDecision, attempt: Int, tokenKey: String?) {
        guard let session else { return }
        MockResponseEncoding.headers(for: decision, into: &engine.responseHeaders)
        do {
            try session.submitResponse(stream: stream, status: decision.status, headers: engine.responseHeaders,
                                       body: MockResponseEncoding.body(for: decision))
            if let limit = policy.record(status: decision.status) {
                try session.setMaxConcurrentStreams(UInt32(clamping: limit))
                if limit == 1 { engine.statistics.update { $0.streamLimitDrops += 1 } }
            }
        } catch {
            engine.note("connection \(id): \(error)")
        }
        let order = answerOrder.answered(stream: stream)
        engine.answered(decision, tokenKey: tokenKey, connection: id,
                        order: (order.late, order.newMaximum, answerOrder.maxReorder))
        engine.log?.append(timeMs: MockEngine.nowMs(), connection: id, stream: stream, attempt: attempt,
                           request: request, decision: decision)
        if stream == ending.dropStreamID { dropPending = true }
    }
}
