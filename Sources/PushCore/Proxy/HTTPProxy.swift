/// An HTTP proxy that tunnels to APNs with `CONNECT` (`--proxy`, `HTTPS_PROXY`): where it is and the optional
/// basic-auth credentials from its URL. The description masks the password, so a proxy can be logged.
public struct HTTPProxy: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int
    /// Percent-decoded user name from the URL, if any.
    public var username: String?
    /// Percent-decoded password from the URL, if any. Never printed.
    public var password: String?

    /// The port when the URL names none (the `http` scheme's).
    public static let defaultPort = 80

    public init(host: String, port: Int, username: String? = nil, password: String? = nil) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
    }

    /// Parses `http://[user[:password]@]host[:port][/]`; the scheme may be left out. `source` names where the text
    /// came from (`--proxy`, `HTTPS_PROXY`) in errors, which show the text with its password masked.
    public init(parsing text: String, source: String) throws(ProxyURLError) {
        func fail(_ why: String) -> ProxyURLError { ProxyURLError(source: source, text: text, reason: why) }
        var rest = Substring(text.trimmingASCIIWhitespace())
        if let scheme = rest.firstRange(of: "://") {
            let name = rest[..<scheme.lowerBound].lowercased()
            switch name {
            case "http": break
            case "https": throw fail("a TLS connection to the proxy (https://) is not supported; use http:// "
                + "(the tunnel to APNs is encrypted end to end either way)")
            default: throw fail("the \(name):// scheme is not supported; apnsctl speaks to HTTP proxies (http://)")
            }
            rest = rest[scheme.upperBound...]
        }
        if let slash = rest.firstIndex(of: "/") {
            guard rest[slash...].allSatisfy({ $0 == "/" }) else { throw fail("a proxy URL has no path") }
            rest = rest[..<slash]
        }
        if let at = rest.lastIndex(of: "@") {
            let userinfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
            let colon = userinfo.firstIndex(of: ":")
            let malformed = fail("the user name or password has a malformed %-escape")
            guard let user = PercentDecoding.decode(userinfo[..<(colon ?? userinfo.endIndex)]) else { throw malformed }
            username = user
            if let colon {
                guard let pass = PercentDecoding.decode(userinfo[userinfo.index(after: colon)...]) else { throw malformed }
                password = pass
            }
        }
        guard !rest.isEmpty else { throw fail("it names no host") }
        let portless = rest.hasPrefix("[") ? rest.hasSuffix("]") : !rest.contains(":")
        guard let endpoint = Endpoint(parsing: String(rest)) else {
            throw fail("expected http://[user:password@]host:port with a port from 1 to 65535")
        }
        host = endpoint.host
        port = portless ? Self.defaultPort : endpoint.port
    }

    public var endpoint: Endpoint { Endpoint(host: host, port: port) }

    /// `http://user:***@proxy.example:3128`: what logs and messages show.
    public var description: String {
        var text = "http://"
        if let username {
            text += PercentDecoding.encodeUserinfo(username)
            if password != nil { text += ":***" }
            text += "@"
        }
        return text + endpoint.description
    }

    /// `Basic <base64(user:password)>` (RFC 7617) when the URL carries a user name.
    public var authorization: String? {
        guard let username else { return nil }
        return "Basic " + Base64URL.encodeStandard(Array("\(username):\(password ?? "")".utf8))
    }

    /// The `CONNECT` request that opens a tunnel to `target`.
    public func connectRequest(to target: Endpoint) -> [UInt8] {
        var text = "CONNECT \(target) HTTP/1.1\r\nHost: \(target)\r\n"
        if let authorization { text += "Proxy-Authorization: \(authorization)\r\n" }
        text += "User-Agent: apnsctl\r\n\r\n"
        return Array(text.utf8)
    }

    /// `text` with the password of a proxy URL replaced by `***` (for messages about text that did not parse).
    public static func redact(_ text: String) -> String {
        let start = text.firstRange(of: "://")?.upperBound ?? text.startIndex
        let authorityEnd = text[start...].firstIndex(of: "/") ?? text.endIndex
        guard let at = text[start..<authorityEnd].lastIndex(of: "@"),
              let colon = text[start..<at].firstIndex(of: ":") else { return text }
        return String(text[..<text.index(after: colon)]) + "***" + String(text[at...])
    }
}

/// A proxy URL that cannot be used; the message shows the URL with its password masked.
public struct ProxyURLError: Error, CustomStringConvertible, Sendable, Equatable {
    public var source: String
    /// The URL as given, password masked.
    public var text: String
    public var reason: String

    public init(source: String, text: String, reason: String) {
        self.source = source
        self.text = HTTPProxy.redact(text)
        self.reason = reason
    }

    public var description: String { "\(source): '\(text)' is not a usable proxy URL: \(reason)" }
}

/// `%XX` escapes in the userinfo of a URL.
enum PercentDecoding {
    /// Nil when a `%` is not followed by two hex digits or the result is not UTF-8.
    static func decode(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else { bytes.append(byte); continue }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else { return nil }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    /// Escapes what cannot stand in a userinfo as is (`:`, `@`, `/`, `%`, spaces, non-ASCII).
    static func encodeUserinfo(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            let scalar = Unicode.Scalar(byte)
            let plain = byte < 0x80 && (scalar.properties.isAlphabetic || ("0"..."9").contains(Character(scalar))
                || "-._~!$&'()*+,;=".unicodeScalars.contains(scalar))
            if plain {
                out.unicodeScalars.append(scalar)
            } else {
                let digits = Array("0123456789ABCDEF".utf8)
                out += "%" + String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]], as: UTF8.self)
            }
        }
        return out
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

extension String {
    /// Without leading and trailing spaces, tabs and line ends (no Foundation needed).
    func trimmingASCIIWhitespace() -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return self[first...last]
    }
}
