import Foundation
import PushCore

/// A tiny HTTP CONNECT proxy on 127.0.0.1 for tests: it records every request header it receives and then tunnels
/// (to 127.0.0.1 targets only), or answers with canned bytes, or stays silent, or hangs up.
final class LoopbackProxy: @unchecked Sendable {
    enum Behavior: Sendable {
        /// Answer 200 and relay bytes both ways to the CONNECT target.
        case tunnel
        /// Send these pieces (with a short pause between them), then close.
        case respond([String])
        /// Read the request and never answer.
        case silent
        /// Close as soon as the request arrived.
        case hangUp
    }

    let port: Int
    private let behavior: Behavior
    private let listener: Int32
    private let lock = NSLock()
    private var received: [String] = []
    private var open: Set<Int32> = []

    init(_ behavior: Behavior) throws {
        self.behavior = behavior
        let bound = try Socket.listen(host: "127.0.0.1", port: 0)
        listener = bound.fd
        port = bound.port
        Self.setBlocking(listener)
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    /// The request headers received so far, in arrival order.
    var requests: [String] { lock.withLock { received } }

    var url: String { "http://127.0.0.1:\(port)" }

    /// Stops accepting and ends every tunnel.
    func stop() {
        _ = shutdown(listener, Int32(SHUT_RDWR))
        lock.withLock { for fd in open { _ = shutdown(fd, Int32(SHUT_RDWR)) } }
    }

    deinit { Socket.close(listener) }

    private func acceptLoop() {
        while true {
            let fd = accept(listener, nil, nil)
            if fd < 0 {
                if errno == EINTR { continue }
                return
            }
            track(fd)
            Thread.detachNewThread { [self] in serve(fd) }
        }
    }

    private func serve(_ client: Int32) {
        defer { untrackAndClose(client) }
        guard let header = Self.readHeader(client) else { return }
        lock.withLock { received.append(header) }
        switch behavior {
        case .hangUp:
            return
        case .silent:
            var byte: UInt8 = 0
            _ = read(client, &byte, 1)   // until the client gives up
        case .respond(let pieces):
            for (index, piece) in pieces.enumerated() {
                if index > 0 { usleep(20_000) }
                Self.writeAll(client, Array(piece.utf8))
            }
        case .tunnel:
            guard let target = Self.connectTarget(header), let upstream = Self.connectLoopback(port: target) else {
                Self.writeAll(client, Array("HTTP/1.1 502 Bad Gateway\r\n\r\n".utf8))
                return
            }
            track(upstream)
            defer { untrackAndClose(upstream) }
            Self.writeAll(client, Array("HTTP/1.1 200 Connection established\r\n\r\n".utf8))
            Self.relay(client, upstream)
        }
    }

    private func track(_ fd: Int32) { lock.withLock { _ = open.insert(fd) } }

    private func untrackAndClose(_ fd: Int32) {
        lock.withLock { _ = open.remove(fd) }
        Socket.close(fd)
    }

    /// The port of `CONNECT 127.0.0.1:PORT HTTP/1.1` (other hosts are refused: tests only reach loopback).
    static func connectTarget(_ header: String) -> Int? {
        let words = (header.split(separator: "\r\n").first ?? "").split(separator: " ")
        guard words.count == 3, words[0] == "CONNECT", words[1].hasPrefix("127.0.0.1:") else { return nil }
        return Int(words[1].dropFirst("127.0.0.1:".count))
    }

    static func readHeader(_ fd: Int32) -> String? {
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while bytes.count < 65_536 {
            guard read(fd, &byte, 1) == 1 else { return nil }
            bytes.append(byte)
            if bytes.count >= 4 && bytes.suffix(4).elementsEqual([13, 10, 13, 10]) {
                return String(decoding: bytes, as: UTF8.self)
            }
        }
        return nil
    }

    static func connectLoopback(port: Int) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let ok = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        if !ok { Socket.close(fd); return nil }
        return fd
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            sent += n
        }
    }

    /// Copies bytes both ways until either side closes.
    static func relay(_ a: Int32, _ b: Int32) {
        var buffer = [UInt8](repeating: 0, count: 16_384)
        var fds = [pollfd(fd: a, events: Int16(POLLIN), revents: 0), pollfd(fd: b, events: Int16(POLLIN), revents: 0)]
        while true {
            guard poll(&fds, 2, 10_000) > 0 else { return }
            for (index, entry) in fds.enumerated() where entry.revents != 0 {
                let n = read(entry.fd, &buffer, buffer.count)
                guard n > 0 else { return }
                writeAll(index == 0 ? b : a, Array(buffer.prefix(n)))
            }
        }
    }

    static func setBlocking(_ fd: Int32) {
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
    }
}
