/// The proxy's answer to `CONNECT`: its status line and how many bytes its header took.
public struct ProxyConnectResponse: Sendable, Equatable {
    /// `HTTP/1.1 407 Proxy Authentication Required`, as sent (without the line end).
    public var statusLine: String
    public var status: Int
    /// Bytes up to and including the blank line that ends the header; the tunnel starts after them.
    public var headerLength: Int

    /// Longest header accepted before the proxy is declared broken.
    public static let maxHeaderBytes = 16 * 1024

    /// Parses the response header at the start of `bytes`: nil while the blank line has not arrived yet.
    /// Throws when it is not an HTTP response, or grows past `maxHeaderBytes` without ending.
    public static func parse(_ bytes: some Collection<UInt8>, proxy: Endpoint) throws(ProxyError) -> ProxyConnectResponse? {
        let data = Array(bytes)
        let prefix = Array("HTTP/".utf8)
        if !data.isEmpty, !data.prefix(prefix.count).elementsEqual(prefix.prefix(min(prefix.count, data.count))) {
            throw ProxyError(.notHTTP, proxy: proxy, detail: printable(data.prefix(40)))
        }
        guard let end = headerEnd(data) else {
            if data.count > maxHeaderBytes { throw ProxyError(.headerTooLarge, proxy: proxy) }
            return nil
        }
        guard end <= maxHeaderBytes else { throw ProxyError(.headerTooLarge, proxy: proxy) }
        var line = data.prefix { $0 != UInt8(ascii: "\n") }
        if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
        let statusLine = String(decoding: line, as: UTF8.self)
        let fields = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
        guard fields.count >= 2, fields[0].hasPrefix("HTTP/1."), fields[1].count == 3,
              let status = Int(fields[1]), (100...599).contains(status) else {
            throw ProxyError(.notHTTP, proxy: proxy, detail: printable(line.prefix(80)))
        }
        return ProxyConnectResponse(statusLine: statusLine, status: status, headerLength: end)
    }

    /// Index just past the first blank line (`\r\n\r\n` or `\n\n`).
    static func headerEnd(_ data: [UInt8]) -> Int? {
        var index = 0
        while index < data.count {
            if data[index] == UInt8(ascii: "\n") {
                if index + 1 < data.count, data[index + 1] == UInt8(ascii: "\n") { return index + 2 }
                if index + 2 < data.count, data[index + 1] == UInt8(ascii: "\r"), data[index + 2] == UInt8(ascii: "\n") {
                    return index + 3
                }
            }
            index += 1
        }
        return nil
    }

    /// Bytes as text a message can quote: non-printable bytes become `?`.
    static func printable(_ bytes: some Collection<UInt8>) -> String {
        String(decoding: bytes.map { (0x20..<0x7F).contains($0) ? $0 : UInt8(ascii: "?") }, as: UTF8.self)
    }
}

/// Why a tunnel through the proxy could not be opened. `isFatal` failures stop the run at once (retrying cannot
/// help: credentials, policy, not a proxy); the others are retried like any connection failure.
public struct ProxyError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// The proxy answered CONNECT with a status other than 2xx.
        case refused(status: Int, statusLine: String)
        /// The proxy's answer is not HTTP.
        case notHTTP
        case headerTooLarge
        /// The proxy closed the connection before answering.
        case closed
        case timedOut
        /// The proxy itself could not be reached; `detail` says why.
        case unreachable
    }

    public var kind: Kind
    public var proxy: Endpoint
    /// The tunnel's destination, filled in by the connector.
    public var target: Endpoint?
    public var detail: String?

    public init(_ kind: Kind, proxy: Endpoint, target: Endpoint? = nil, detail: String? = nil) {
        self.kind = kind
        self.proxy = proxy
        self.target = target
        self.detail = detail
    }

    public var isFatal: Bool {
        switch kind {
        case .refused(let status, _): return (400..<500).contains(status) && status != 408 && status != 429
        case .notHTTP, .headerTooLarge: return true
        case .closed, .timedOut, .unreachable: return false
        }
    }

    public var description: String {
        let to = target.map { " to \($0)" } ?? ""
        switch kind {
        case .refused(let status, let statusLine):
            var text = "proxy \(proxy) refused the tunnel\(to): \(statusLine)"
            switch status {
            case 407: text += " (check the user name and password in the proxy URL: http://user:password@host:port)"
            case 403, 405: text += " (the proxy does not allow CONNECT\(to); ask its administrator to allow port "
                + "\(target?.port ?? 443))"
            case 502, 503, 504: text += " (the proxy could not reach\(target.map { " \($0.host)" } ?? " the server"))"
            default: break
            }
            return text
        case .notHTTP:
            return "proxy \(proxy) did not answer CONNECT in HTTP\(detail.map { " (it sent '\($0)')" } ?? ""): "
                + "is it an HTTP proxy?"
        case .headerTooLarge:
            return "proxy \(proxy) sent a response header over \(ProxyConnectResponse.maxHeaderBytes) bytes"
        case .closed:
            return "proxy \(proxy) closed the connection before answering CONNECT\(to)"
        case .timedOut:
            return "proxy \(proxy) did not answer CONNECT\(to) in time"
        case .unreachable:
            return "cannot reach proxy \(proxy): \(detail ?? "connection failed")"
        }
    }
}
