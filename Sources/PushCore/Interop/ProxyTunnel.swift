#if canImport(Glibc)
import Glibc
#endif

/// Opens the TCP connection a TLS session to APNs runs over: straight to the server, or through an HTTP proxy's
/// `CONNECT` tunnel. The proxy's answer is read exactly up to its blank line (peeking first), so not one byte of
/// the tunnel is consumed before TLS takes the socket.
package enum ProxyTunnel {
    /// A connected non-blocking socket whose bytes reach `target`. Throws `ConnectError` (direct) or `ProxyError`.
    package static func connect(to target: Endpoint, via proxy: HTTPProxy?, timeoutMs: Int) throws -> Int32 {
        guard let proxy else {
            return try Socket.connect(host: target.host, port: target.port, timeoutMs: Int32(clamping: timeoutMs))
        }
        let deadline = Clock.monotonicNanoseconds() + UInt64(max(1, timeoutMs)) * 1_000_000
        let fd: Int32
        do {
            fd = try Socket.connect(host: proxy.host, port: proxy.port, timeoutMs: Int32(clamping: timeoutMs))
        } catch {
            throw ProxyError(.unreachable, proxy: proxy.endpoint, target: target, detail: error.description)
        }
        do {
            try send(proxy.connectRequest(to: target), fd: fd, deadline: deadline, proxy: proxy.endpoint, target: target)
            let response = try receiveHeader(fd: fd, deadline: deadline, proxy: proxy.endpoint, target: target)
            guard (200..<300).contains(response.status) else {
                throw ProxyError(.refused(status: response.status, statusLine: response.statusLine),
                                 proxy: proxy.endpoint, target: target)
            }
            return fd
        } catch {
            Socket.close(fd)
            throw error
        }
    }

    private static func send(_ bytes: [UInt8], fd: Int32, deadline: UInt64, proxy: Endpoint,
                             target: Endpoint) throws(ProxyError) {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
            if n > 0 { sent += n; continue }
            if n < 0 && errno == EINTR { continue }
            guard n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) else {
                throw ProxyError(.closed, proxy: proxy, target: target)
            }
            try wait(fd: fd, for: Int16(POLLOUT), deadline: deadline, proxy: proxy, target: target)
        }
    }

    private static func receiveHeader(fd: Int32, deadline: UInt64, proxy: Endpoint,
                                      target: Endpoint) throws(ProxyError) -> ProxyConnectResponse {
        var header: [UInt8] = []
        var scratch = [UInt8](repeating: 0, count: 4096)
        while true {
            try wait(fd: fd, for: Int16(POLLIN), deadline: deadline, proxy: proxy, target: target)
            let peeked = scratch.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_PEEK)) }
            if peeked == 0 { throw ProxyError(.closed, proxy: proxy, target: target) }
            if peeked < 0 {
                if errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK { continue }
                throw ProxyError(.closed, proxy: proxy, target: target, detail: String(cString: strerror(errno)))
            }
            let seen = header + scratch.prefix(peeked)
            let response = try ProxyConnectResponse.parse(seen, proxy: proxy)
            // Consume what belongs to the header: all of the peeked bytes while it is incomplete.
            let take = response.map { $0.headerLength - header.count } ?? peeked
            let consumed = scratch.withUnsafeMutableBytes { recv(fd, $0.baseAddress, take, 0) }
            guard consumed == take else { throw ProxyError(.closed, proxy: proxy, target: target) }
            header += scratch.prefix(take)
            if var response {
                response.headerLength = header.count
                return response
            }
        }
    }

    private static func wait(fd: Int32, for events: Int16, deadline: UInt64, proxy: Endpoint,
                             target: Endpoint) throws(ProxyError) {
        while true {
            let now = Clock.monotonicNanoseconds()
            guard now < deadline else { throw ProxyError(.timedOut, proxy: proxy, target: target) }
            var pfd = pollfd(fd: fd, events: events, revents: 0)
            let ready = poll(&pfd, 1, Int32(clamping: (deadline - now) / 1_000_000 + 1))
            if ready > 0 { return }
            if ready < 0 && errno != EINTR { throw ProxyError(.closed, proxy: proxy, target: target) }
        }
    }
}
