import Foundation
#if canImport(Glibc)
import Glibc
#endif

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

    /// The thread body.
    func run() {
        var backoff = Backoff()
        if id > 1 && !waitForEarlierConnections(atMostMs: startDelayMs) { return }
        while !control.isStopping && !queue.isExhausted {
            guard let tls = connect(backoff: &backoff) else { return }
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
            if ending == .finished { return }
        }
    }

    /// Waits until the `id − 1` earlier connections are up (or `atMostMs` passed); false when the campaign
    /// finished or stopped meanwhile (nothing left to do).
    private func waitForEarlierConnections(atMostMs: Int) -> Bool {
        let deadline = Clock.monotonicNanoseconds() + UInt64(atMostMs) * 1_000_000
        while !queue.isExhausted && !control.isStopping {
            if control.connectionsOpened >= id - 1 || Clock.monotonicNanoseconds() >= deadline { return true }
            usleep(5_000)
        }
        return false
    }

    /// Connects with retries until `connectTimeoutMs` has passed since the first failure.
    private func connect(backoff: inout Backoff) -> TLSConnection? {
        let endpoint = settings.endpoint
        var firstFailure: UInt64?
        while !control.isStopping {
            do {
                let tls = try handshake()
                backoff.reset()
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
            } catch {
                let now = Clock.monotonicNanoseconds()
                let started = firstFailure ?? now
                firstFailure = started
                let waited = Int((now - started) / 1_000_000)
                log?("connection \(id): \(error)")
                if waited >= settings.connectTimeoutMs {
                    control.fail("cannot connect to \(endpoint) for \(settings.connectTimeoutMs / 1000)s: \(error)")
                    queue.abort()
                    return nil
                }
                let delay = min(backoff.next(), settings.connectTimeoutMs - waited)
                usleep(UInt32(max(1, delay)) * 1000)
            }
        }
        return nil
    }

    private struct FatalConnectFailure: Error { var message: String }

    /// A TLS server that does not speak HTTP/2, however it said so (`detail` starts with "; " or is empty).
    private static func notHTTP2(_ endpoint: Endpoint, detail: String) -> String {
        "\(endpoint) does not speak HTTP/2 (ALPN h2 was not selected\(detail)): is --endpoint an APNs server?"
    }

    private func handshake() throws -> TLSConnection {
        let endpoint = settings.endpoint
        let deadline = Clock.monotonicNanoseconds() + UInt64(settings.connectTimeoutMs) * 1_000_000
        let fd = try ProxyTunnel.connect(to: endpoint, via: settings.proxy, timeoutMs: settings.connectTimeoutMs)
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
                    throw error
                }
                if progress == .done { break }
                let now = Clock.monotonicNanoseconds()
                if now >= deadline { throw TLSError(description: "TLS handshake with \(endpoint) timed out") }
                var pfd = pollfd(fd: fd, events: Int16(progress == .wantRead ? POLLIN : POLLOUT), revents: 0)
                _ = poll(&pfd, 1, Int32((deadline - now) / 1_000_000) + 1)
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

/// Exponential backoff for reconnects: 250 ms doubling to 8 s.
struct Backoff {
    private var current = 250

    mutating func next() -> Int {
        defer { current = min(current * 2, 8_000) }
        return current
    }

    mutating func reset() { current = 250 }
}
