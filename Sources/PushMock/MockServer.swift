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
/// On stop every connection gets GOAWAY `{"reason":"Shutdown"}`, the log is flushed, the statistics file is
/// written, and `run()` returns.
public final class MockServer: @unchecked Sendable {
    // Thread safety: `stopPipe` and `statisticsStore` are safe from any thread. `listener`, `log` and `statsFile`
    // are set by `start()` and then used only by `run()` on its thread (handing the server to a new thread orders
    // the two).
    public let configuration: MockConfiguration
    private let tlsContext: TLSContext
    private let stopPipe = Waker()   // never drained: once woken, the loop stops
    private let statisticsStore = MockStatisticsStore()
    private var listener: Int32 = -1
    /// The channel-management port's socket (`configuration.broadcast.manageListen`), -1 when there is none.
    private var manageListener: Int32 = -1
    private var log: RequestLogWriter?
    private var statsFile: Int32 = -1
    /// The bound port, once `start()` succeeded.
    public private(set) var port: Int?
    /// The bound management port, once `start()` succeeded with `configuration.broadcast.manageListen`.
    public private(set) var managePort: Int?
    /// The broadcast channels both ports share (readable from any thread while the server runs).
    public let channels: SharedChannelStore
    /// When `start()` bound the port, on the monotonic clock (`--outage` counts from it).
    private var startedAtMs: Int64 = 0

    package init(configuration: MockConfiguration, tlsContext: TLSContext) {
        self.configuration = configuration
        self.tlsContext = tlsContext
        channels = SharedChannelStore(limitPerBundle: configuration.broadcast.channelLimit,
                                      seed: configuration.broadcast.channelIDSeed)
    }

    /// A server whose TLS identity is a PEM certificate (chain) and its unencrypted PEM key. With
    /// `configuration.clientCertificateCAFile`, clients must present a certificate issued by one of its CAs.
    public convenience init(configuration: MockConfiguration, certificatePEM: String, keyPEM: String) throws {
        var clientCAPEM: String?
        if let caFile = configuration.clientCertificateCAFile {
            do {
                clientCAPEM = try String(contentsOfFile: caFile, encoding: .utf8)
            } catch {
                throw MockServerError("cannot read the client CA file \(caFile): \(error.localizedDescription)")
            }
        }
        self.init(configuration: configuration,
                  tlsContext: try TLSContext.server(certificatePEM: certificatePEM, keyPEM: keyPEM, clientCAPEM: clientCAPEM))
    }

    deinit {
        if listener >= 0 { Socket.close(listener) }
        if manageListener >= 0 { Socket.close(manageListener) }
        if statsFile >= 0 { Socket.close(statsFile) }
    }

    /// Opens the request log (when configured) and starts listening. Returns the bound port (useful with port 0).
    @discardableResult
    public func start() throws(MockServerError) -> Int {
        if let port { return port }
        Socket.ignoreSIGPIPE()
        if let path = configuration.logPath { log = try RequestLogWriter(path: path) }
        if let path = configuration.statsPath, statsFile < 0 {
            do {
                statsFile = try FileIO.open(path, flags: O_WRONLY | O_CREAT | O_TRUNC)
            } catch {
                throw MockServerError("cannot create the statistics file: \(error) (does its directory exist and is it writable?)")
            }
        }
        let bound: (fd: Int32, port: Int)
        do {
            bound = try Socket.listen(host: configuration.listen.host, port: configuration.listen.port)
        } catch {
            throw MockServerError("\(error.description) (is another server using port \(configuration.listen.port)? "
                + "--listen 127.0.0.1:0 picks a free port)")
        }
        listener = bound.fd
        port = bound.port
        if let manage = configuration.broadcast.manageListen {
            do {
                let boundManage = try Socket.listen(host: manage.host, port: manage.port)
                manageListener = boundManage.fd
                managePort = boundManage.port
            } catch {
                Socket.close(listener)
                listener = -1
                port = nil
                throw MockServerError("management port: \(error.description) (is another server using port "
                    + "\(manage.port)? --manage-listen 127.0.0.1:0 picks a free port)")
            }
        }
        startedAtMs = MockEngine.monotonicMs()
        return bound.port
    }

    /// Serves until `stop()`; returns at once when `start()` has not succeeded. Call once, on one thread.
    public func run() {
        guard listener >= 0 else { return }
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
        defer { scratch.deallocate() }
        let engine = MockEngine(configuration: configuration, log: log, statistics: statisticsStore,
                                startedAtMs: startedAtMs, channels: channels)
        var connections: [MockConnection] = []
        var nextID = 1
        var poller = PollSet(capacity: 64)

        while true {
            let outageWake = applyOutage(engine, &connections)
            poller.removeAll()
            poller.add(stopPipe.readFD, .readable)
            poller.add(listener, .readable)
            poller.add(manageListener, .readable)   // -1 (ignored by poll) without a management port
            // Wake for the first of: a delayed answer due, a lingering connection's deadline, the log's flush
            // (at least once a second).
            var wakeAt = min(engine.delayed.nextDue ?? .max, outageWake)
            for connection in connections {
                poller.add(connection.fd, connection.pollEvents)
                if connection.state == .lingering { wakeAt = min(wakeAt, connection.lingerDeadline) }
            }
            var timeout: Int32 = log == nil ? -1 : 1000
            if wakeAt != .max {
                let wait = Int32(clamping: max(0, wakeAt - MockEngine.monotonicMs()))
                timeout = timeout < 0 ? wait : min(timeout, wait)
            }
            poller.wait(timeoutMs: timeout)
            if !poller.events(at: 0).isEmpty { break }

            for (index, connection) in connections.enumerated() {
                let events = poller.events(at: index + Self.firstConnectionSlot)
                if !events.isEmpty { connection.handle(events, scratch: scratch) }
            }
            let now = MockEngine.monotonicMs()
            if !engine.delayed.isEmpty {
                var touched: [MockConnection] = []
                while let item = engine.delayed.popDue(now: now) {
                    item.connection.answerDelayed(item)
                    if item.connection.needsService { touched.append(item.connection) }
                }
                for connection in touched { connection.serviceAfterTimers() }
            }
            for connection in connections where connection.state == .lingering && connection.lingerDeadline <= now {
                connection.close()
            }
            connections.removeAll { $0.state == .closed }

            for (slot, port) in [(1, MockPort.push), (2, MockPort.management)] where !poller.events(at: slot).isEmpty {
                while let fd = Socket.accept(port == .push ? listener : manageListener) {
                    do {
                        let tls = try TLSConnection(context: tlsContext, fd: fd, serverName: nil)
                        connections.append(MockConnection(id: nextID, fd: fd, tls: tls, engine: engine, port: port))
                        nextID += 1
                        statisticsStore.update { stats in
                            if port == .push { stats.connections += 1 } else { stats.broadcast.manageConnections += 1 }
                        }
                    } catch {
                        engine.note("cannot start TLS on a new connection: \(error)")
                        Socket.close(fd)
                    }
                }
            }
            log?.flushIfDue(nowMs: MockEngine.nowMs())
        }

        for connection in connections { connection.shutDown(timeoutMs: 200) }
        engine.delayed.removeAll()
        if listener >= 0 { Socket.close(listener) }
        listener = -1
        if manageListener >= 0 { Socket.close(manageListener) }
        manageListener = -1
        log?.close(nowMs: MockEngine.nowMs())
        log = nil
        writeStatistics()
    }

    /// Poll slots: the stop pipe, the push listener, the management listener, then the connections.
    private static let firstConnectionSlot = 3

    /// `--outage … --outage-mode refuse`: closes the push listener and every push connection when the outage
    /// begins, listens again on the same port when it ends. Returns when to look again (monotonic ms; `.max`: never).
    private func applyOutage(_ engine: MockEngine, _ connections: inout [MockConnection]) -> Int64 {
        guard let outage = engine.outage else { return .max }
        let now = MockEngine.monotonicMs()
        let elapsed = engine.elapsedMs(now: now)
        switch outage.listenerChange(elapsedMs: elapsed, listening: listener >= 0) {
        case .close:
            Socket.close(listener)
            listener = -1
            // The management port is not part of the outage.
            for connection in connections where connection.port == .push { connection.close() }
            connections.removeAll { $0.port == .push }
        case .reopen:
            do {
                listener = try Socket.listen(host: configuration.listen.host, port: port ?? 0).fd
            } catch {
                engine.note("cannot listen again after the outage: \(error); trying again")
                return now + 100
            }
        case .none:
            break
        }
        return outage.nextChange(afterElapsedMs: elapsed).map { engine.startedAtMs + $0 } ?? .max
    }

    private func writeStatistics() {
        guard statsFile >= 0, let path = configuration.statsPath else { return }
        defer {
            Socket.close(statsFile)
            statsFile = -1
        }
        let bytes = statistics.jsonText
        let fd = statsFile
        let failure = bytes.withUnsafeBytes { buffer -> String? in
            var written = 0
            do {
                try FileIO.writeAll(fd, buffer, path: path, written: &written)
                return nil
            } catch {
                return "\(error)"
            }
        }
        if let failure { MockServer.note("cannot write the statistics: \(failure)") }
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

    /// Everything counted so far (a copy); complete once `run()` has returned.
    public var statistics: MockStatistics { statisticsStore.snapshot }
    /// Requests answered (every status).
    public var requestCount: Int { statistics.accepted + statistics.rejected }
    /// Requests answered 200.
    public var acceptedCount: Int { statistics.accepted }
    /// Requests answered with an error status.
    public var rejectedCount: Int { statistics.rejected }
    /// TCP connections accepted.
    public var connectionCount: Int { statistics.connections }

    /// Prints `apnsctl mock: <message>` on stderr.
    static func note(_ message: String) {
        FileHandle.standardError.write(Data("apnsctl mock: \(message)\n".utf8))
    }
}
