import Foundation
import PushCore

/// Why the mock server could not start, in words a user can act on.
public struct MockServerError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// The APNs-compatible HTTP/2 server behind `apnsctl mock`: TLS with ALPN h2, `POST /3/device/<token>` answered
/// as APNs would (see `RequestValidator`), one `poll` loop thread serving every connection.
///
/// Use: `start()` (binds, returns the port; clients may connect from then on), then `run()` on a thread of its own
/// (blocks until stopped), and `stop()` from any thread — or `stopOnSignals()` for SIGINT/SIGTERM.
/// On stop every connection gets GOAWAY `{"reason":"Shutdown"}`, the log is flushed, and `run()` returns.
public final class MockServer: @unchecked Sendable {
    // Thread safety: `stopPipe` and `counters` are safe from any thread. `listener` and `log` are set by `start()`
    // and then used only by `run()` on its thread (handing the server to a new thread orders the two).
    public let configuration: MockConfiguration
    private let tlsContext: TLSContext
    private let stopPipe = Waker()   // never drained: once woken, the loop stops
    private let counters = MockCounters()
    private var listener: Int32 = -1
    private var log: RequestLogWriter?
    /// The bound port, once `start()` succeeded.
    public private(set) var port: Int?

    package init(configuration: MockConfiguration, tlsContext: TLSContext) {
        self.configuration = configuration
        self.tlsContext = tlsContext
    }

    /// A server whose TLS identity is a PEM certificate (chain) and its unencrypted PEM key.
    public convenience init(configuration: MockConfiguration, certificatePEM: String, keyPEM: String) throws {
        self.init(configuration: configuration, tlsContext: try TLSContext.server(certificatePEM: certificatePEM, keyPEM: keyPEM))
    }

    deinit {
        if listener >= 0 { Socket.close(listener) }
    }

    /// Opens the request log (when configured) and starts listening. Returns the bound port (useful with port 0).
    @discardableResult
    public func start() throws(MockServerError) -> Int {
        if let port { return port }
        Socket.ignoreSIGPIPE()
        if let path = configuration.logPath { log = try RequestLogWriter(path: path) }
        let bound: (fd: Int32, port: Int)
        do {
            bound = try Socket.listen(host: configuration.listen.host, port: configuration.listen.port)
        } catch {
            throw MockServerError("\(error.description) (is another server using port \(configuration.listen.port)? "
                + "--listen 127.0.0.1:0 picks a free port)")
        }
        listener = bound.fd
        port = bound.port
        return bound.port
    }

    /// Serves until `stop()`; returns at once when `start()` has not succeeded. Call once, on one thread.
    public func run() {
        guard listener >= 0 else { return }
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
        defer { scratch.deallocate() }
        let engine = MockEngine(configuration: configuration, log: log, counters: counters)
        var connections: [MockConnection] = []
        var nextID = 1
        var poller = PollSet(capacity: 64)
        // With a log, wake at least once a second to flush it.
        let timeout: Int32 = log == nil ? -1 : 1000

        while true {
            poller.removeAll()
            poller.add(stopPipe.readFD, .readable)
            poller.add(listener, .readable)
            for connection in connections {
                poller.add(connection.fd, connection.wantsWritable ? [.readable, .writable] : .readable)
            }
            poller.wait(timeoutMs: timeout)
            if !poller.events(at: 0).isEmpty { break }

            for (index, connection) in connections.enumerated() {
                let events = poller.events(at: index + 2)
                if !events.isEmpty { connection.handle(events, scratch: scratch) }
            }
            connections.removeAll { $0.state == .closed }

            if !poller.events(at: 1).isEmpty {
                while let fd = Socket.accept(listener) {
                    do {
                        let tls = try TLSConnection(context: tlsContext, fd: fd, serverName: nil)
                        connections.append(MockConnection(id: nextID, fd: fd, tls: tls, engine: engine))
                        nextID += 1
                        counters.connections.add(1, ordering: .relaxed)
                    } catch {
                        engine.note("cannot start TLS on a new connection: \(error)")
                        Socket.close(fd)
                    }
                }
            }
            log?.flushIfDue(nowMs: MockEngine.nowMs())
        }

        for connection in connections { connection.shutDown(timeoutMs: 200) }
        Socket.close(listener)
        listener = -1
        log?.close(nowMs: MockEngine.nowMs())
        log = nil
    }

    /// Asks `run()` to finish: GOAWAY to every connection, flush, close, return. Safe from any thread.
    public func stop() { stopPipe.wake() }

    /// Makes SIGINT and SIGTERM (or `signals`) stop this server. The handler only writes one byte to a pipe, which is
    /// async-signal-safe. One server per process receives signals (the last one asked). `caughtSignal` tells which came.
    public func stopOnSignals(_ signals: [Int32]? = nil) {
        stopPipe.wakeOnSignals(signals ?? Waker.stopSignals)
    }

    /// The signal that stopped a server set up with `stopOnSignals` (e.g. SIGINT → exit 130), nil when none came.
    public static var caughtSignal: Int32? { Waker.caughtSignal }

    /// Requests answered (every status).
    public var requestCount: Int { counters.requests.load(ordering: .relaxed) }
    /// Requests answered 200.
    public var acceptedCount: Int { counters.accepted.load(ordering: .relaxed) }
    /// Requests answered with an error status.
    public var rejectedCount: Int { counters.rejected.load(ordering: .relaxed) }
    /// TCP connections accepted.
    public var connectionCount: Int { counters.connections.load(ordering: .relaxed) }

    /// Prints `apnsctl mock: <message>` on stderr.
    static func note(_ message: String) {
        FileHandle.standardError.write(Data("apnsctl mock: \(message)\n".utf8))
    }
}
