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
    private let log: EventLog?
    let waker = Waker()

    init(id: Int, settings: ConnectionSettings, tlsContext: TLSContext, queue: WorkQueue, sink: RowSink,
         auth: AuthorizationSource, control: RunControl, log: EventLog?) {
        self.id = id
        self.settings = settings
        self.tlsContext = tlsContext
        self.queue = queue
        self.sink = sink
        self.auth = auth
        self.control = control
        self.log = log
    }

    /// The thread body.
    func run() {
        var backoff = Backoff()
        while !control.isStopping {
            guard let tls = connect(backoff: &backoff) else { return }
            let connection: ClientConnection
            do {
                connection = try ClientConnection(id: id, tls: tls, settings: settings, queue: queue, sink: sink,
                                                  auth: auth, control: control, waker: waker, log: log)
            } catch {
                Socket.close(tls.fd)
                control.fail("cannot start HTTP/2: \(error)")
                queue.abort()
                return
            }
            let ending = connection.serve()
            Socket.close(tls.fd)
            if ending == .finished { return }
            if queue.count == 0 && control.isStopping { return }
        }
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
                    if error.description.contains("certificate verification") {
                        throw FatalConnectFailure(message: error.description)
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
                throw FatalConnectFailure(message: "\(endpoint) does not speak HTTP/2 (ALPN h2 was not selected"
                    + "\(tls.alpnProtocol.map { "; it chose \($0)" } ?? "")): is --endpoint an APNs server?")
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
