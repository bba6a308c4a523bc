import Foundation

/// The connection threads of a run, started the same way for every kind of run (`Campaign` for pushes and
/// broadcasts, `ChannelRun` for channel management): one `ConnectionWorker` thread per connection, staggered.
enum ConnectionPool {
    /// Settings every connection of a run shares, from the run's.
    static func connectionSettings(_ settings: CampaignSettings, circuitBreaker: SharedCircuitBreaker?) -> ConnectionSettings {
        var connection = ConnectionSettings(endpoint: settings.endpoint, streamCap: settings.streamsPerConnection,
                                            requestTimeoutMs: settings.requestTimeoutMs,
                                            connectTimeoutMs: settings.connectTimeoutMs,
                                            retryPolicy: settings.retryPolicy, pingAfterMs: settings.pingAfterMs)
        connection.proxy = settings.proxy
        connection.clientCertificate = settings.clientCertificate
        connection.trace = settings.trace
        connection.circuitBreaker = circuitBreaker
        return connection
    }

    /// Starts `settings.connections` worker threads; `finished` is left once by each when it ends.
    static func start(_ settings: CampaignSettings, connection: ConnectionSettings, tlsContext: TLSContext,
                      queue: WorkQueue, sink: RowSink, auth: AuthorizationSource, control: RunControl,
                      rateLimiter: SharedRateLimiter?, log: EventLog?, finished: DispatchGroup) {
        for id in 1...settings.connections {
            let worker = ConnectionWorker(id: id, settings: connection, tlsContext: tlsContext, queue: queue,
                                          sink: sink, auth: auth, control: control, rateLimiter: rateLimiter,
                                          startDelayMs: settings.connectionStaggerMs, log: log)
            finished.enter()
            let thread = Thread {
                worker.run()
                TLSContext.releaseThreadState()
                finished.leave()
            }
            thread.name = "apnsctl-connection-\(id)"
            thread.start()
        }
    }
}
