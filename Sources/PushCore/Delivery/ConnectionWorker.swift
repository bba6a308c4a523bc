import Foundation

/// One connection slot of the pool: a thread that connects, serves until the connection ends,
/// and reconnects (with backoff) while there is work left. Gives up, failing the run, when no connection
/// can be made for `connectTimeoutMs`, or at once when the failure cannot heal by retrying
/// (certificate verification, a server without HTTP/2).
final class ConnectionWorker: @unchecked Sendable {
    private let id: Int
    private let settings: ConnectionSettings
    private let tlsContext: TLSContext
    private let queue: WorkQueue
    private let sink: RowSink
    private let auth: AuthorizationSource
    private let control: RunControl
    private let rateLimiter: SharedRateLimiter?
    private let startDelayMs: Int
    private let log: EventLog?
    let waker = Waker()

    /// - Parameter startDelayMs: the longest this worker waits for the previous connections to be up before it
    ///   opens its own (connections are staggered so they do not all arrive at once, and each connects after its
    ///   own fresh DNS lookup).
    init(id: Int, settings: ConnectionSettings, tlsContext: TLSContext, queue: WorkQueue, sink: RowSink,
         auth: AuthorizationSource, control: RunControl, rateLimiter: SharedRateLimiter?, startDelayMs: Int,
         log: EventLog?) {
        self.id = id
        self.settings = settings
        self.tlsContext = tlsContext
        self.queue = queue
        self.sink = sink
        self.auth = auth
        self.control = control
        self.rateLimiter = rateLimiter
        self.startDelayMs = startDelayMs
        self.log = log
    }

    /// The thread body: connect, serve, and reconnect as `ReconnectPolicy` says while there is work left.
    func run() {
        var policy = ReconnectPolicy()
        var random = SplitMix64(seed: Clock.monotonicNanoseconds() &+ UInt64(id) &* 7919)
        if id > 1 && !waitForEarlierConnections(atMostMs: startDelayMs) { return }
        var reconnecting = false
        while !control.isStopping && !queue.isExhausted {
            guard let tls = connect(policy: &policy, random: &random) else { return }
            if reconnecting { control.reconnecting() }
            reconnecting = true
            let connection: ClientConnection
            do {
                connection = try ClientConnection(id: id, tls: tls, settings: settings, queue: queue, sink: sink,
                                                  auth: auth, control: control, rateLimiter: rateLimiter,
                                                  waker: waker, log: log)
            } catch {
                Socket.close(tls.fd)
                control.fail("cannot start HTTP/2: \(error)")
                queue.abort()
                return
            }
            let ending = connection.serve()
            Socket.close(tls.fd)
            guard case .reconnect(let how, let why) = ending else { return }
            switch policy.connectionEnded(how, runAnswered: control.anyRequestAnswered, random: { random.next(upTo: $0) }) {
            case .reconnect(let afterMs):
                if afterMs > 0 {
                    log?("connection \(id): reconnecting in \(DurationText.format(milliseconds: afterMs))")
                    sleep(milliseconds: afterMs)
                }
            case .giveUp:
                let attempts = policy.streak > 1 ? "\(policy.streak) connections in a row" : "the connection"
                var message = "\(settings.endpoint) \(why) (\(attempts), nothing answered): the server does not "
                    + "accept these requests; check --endpoint, the credentials and the server's logs"
                if let certificate = settings.clientCertificate {
                    // A server that refuses a client certificate may close without the alert reaching us.
                    message += "; it may be refusing the client certificate \(certificate.summary)"
                }
                control.fail(message)
                queue.abort()
                return
            }
        }
    }

    /// Sleeps `milliseconds` in short slices, returning early when the run stops (signals are honoured at once).
    private func sleep(milliseconds: Int) {
        let deadline = Clock.monotonicNanoseconds() + UInt64(milliseconds) * 1_000_000
        while !control.isStopping && !queue.isAborted {
            let now = Clock.monotonicNanoseconds()
            guard now < deadline else { return }
            waker.wait(timeoutMs: Int32(min(100, (deadline - now) / 1_000_000 + 1)))
        }
    }

    /// Waits until the `id − 1` earlier connections are up (or `atMostMs` passed); false when the campaign
    /// finished or stopped meanwhile (nothing left to do).
    private func waitForEarlierConnections(atMostMs: Int) -> Bool {
        let deadline = Clock.monotonicNanoseconds() + UInt64(atMostMs) * 1_000_000
        while !queue.isExhausted && !control.isStopping {
            if control.connectionsOpened >= id - 1 || Clock.monotonicNanoseconds() >= deadline { return true }
            waker.wait(timeoutMs: 5)
        }
        return false
    }

    /// Connects, retrying with the policy's back-off, until `connectTimeoutMs` has passed since the first attempt
    /// of this round (each attempt's own deadline is cut to what is left of it).
    private func connect(policy: inout ReconnectPolicy, random: inout SplitMix64) -> TLSConnection? {
        let endpoint = settings.endpoint
        let timeoutNs = UInt64(settings.connectTimeoutMs) * 1_000_000
        var deadline = Clock.monotonicNanoseconds() + timeoutNs
        while !control.isStopping {
            do {
                let tls = try handshake(deadline: deadline)
                control.connectionOpened()
                return tls
            } catch let failure as FatalConnectFailure {
                control.fail(failure.message)
                queue.abort()
                return nil
            } catch let failure as ProxyError where failure.isFatal {
                control.fail(failure.description)
                queue.abort()
                return nil
            } catch is Interrupted {
                return nil
            } catch {
                log?("connection \(id): \(error)")
                let now = Clock.monotonicNanoseconds()
                if control.anyRequestAnswered, let breaker = settings.circuitBreaker {
                    // The server answered before: an outage, not a wrong endpoint. Rows wait in the queue (spending
                    // no retries) while the back-off grows; the circuit breaker shows the pause.
                    breaker.connectFailed(now: now)
                    sleep(milliseconds: policy.connectFailed { random.next(upTo: $0) })
                    // Each attempt after the wait gets a whole --connect-timeout again: the deadline of the first
                    // attempt passed long ago, and would fail every handshake at once.
                    deadline = Clock.monotonicNanoseconds() + timeoutNs
                    continue
                }
                if now >= deadline {
                    control.fail("cannot connect to \(endpoint) for \(settings.connectTimeoutMs / 1000)s: \(error)")
                    queue.abort()
                    return nil
                }
                let delay = policy.connectFailed { random.next(upTo: $0) }
                sleep(milliseconds: min(delay, Int((deadline - now) / 1_000_000)))
            }
        }
        return nil
    }

    private struct Interrupted: Error {}

    private struct FatalConnectFailure: Error { var message: String }

    /// A TLS server that does not speak HTTP/2, however it said so (`detail` starts with "; " or is empty).
    private static func notHTTP2(_ endpoint: Endpoint, detail: String) -> String {
        "\(endpoint) does not speak HTTP/2 (ALPN h2 was not selected\(detail)): is --endpoint an APNs server?"
    }

    private func handshake(deadline: UInt64) throws -> TLSConnection {
        let endpoint = settings.endpoint
        let leftMs = Int((deadline &- Clock.monotonicNanoseconds()) / 1_000_000)
        let fd = try ProxyTunnel.connect(to: endpoint, via: settings.proxy, timeoutMs: max(1, leftMs))
        do {
            let tls = try TLSConnection(context: tlsContext, fd: fd, serverName: endpoint.host)
            while true {
                let progress: TLSConnection.Progress
                do {
                    progress = try tls.handshake()
                } catch {
                    if error.kind == .certificateVerification {
                        throw FatalConnectFailure(message: error.description)
                    }
                    if error.kind == .noApplicationProtocol {   // the server refused h2 with an alert
                        throw FatalConnectFailure(message: Self.notHTTP2(endpoint, detail: "; it refused h2 with a "
                            + "no_application_protocol alert"))
                    }
                    if error.kind == .peerRefusedCertificate {
                        throw FatalConnectFailure(message: ClientCertificateRefusal.message(
                            error.description, certificate: settings.clientCertificate, now: Clock.wallSeconds()))
                    }
                    throw error
                }
                if progress == .done { break }
                let now = Clock.monotonicNanoseconds()
                if now >= deadline { throw TLSError(description: "TLS handshake with \(endpoint) timed out") }
                // In slices, so that a signal stops a stalled handshake at once.
                if control.isStopping { throw Interrupted() }
                var pollSet = PollSet(capacity: 1)
                pollSet.add(fd, progress == .wantRead ? .readable : .writable)
                pollSet.wait(timeoutMs: Int32(min(100, (deadline - now) / 1_000_000 + 1)))
            }
            guard tls.alpnProtocol == "h2" else {
                throw FatalConnectFailure(message: Self.notHTTP2(endpoint, detail: tls.alpnProtocol.map { "; it chose \($0)" } ?? ""))
            }
            log?("connection \(id): connected to \(endpoint), \(tls.protocolVersion), ALPN h2")
            return tls
        } catch {
            Socket.close(fd)
            throw error
        }
    }
}
