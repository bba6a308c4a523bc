/// One request as the mock received it: pseudo-headers `:method` and `:path`, the other headers in arrival
/// order (duplicates kept), and the body.
public struct MockRequest: Sendable {
    public var method: String
    public var path: String
    /// Regular (non-pseudo) headers, lowercase names as HTTP/2 requires.
    public var headers: [(name: String, value: String)]
    /// The body bytes kept (at most `MockRequest.bodyKeepLimit`).
    public var body: [UInt8]
    /// Bytes received, which may exceed `body.count` for oversized bodies.
    public var bodyLength: Int

    /// Bodies are kept up to this size; beyond it only the length is counted (every push type's limit is lower).
    public static let bodyKeepLimit = 64 * 1024

    public init(method: String = "POST", path: String, headers: [(name: String, value: String)] = [],
                body: [UInt8] = []) {
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body
        self.bodyLength = body.count
    }

    /// The first value of header `name` (lowercase), or nil.
    public func header(_ name: String) -> String? {
        let length = name.utf8.count
        for field in headers where field.name.utf8.count == length && field.name == name { return field.value }
        return nil
    }

    /// True when some header name appears more than once.
    public var hasDuplicateHeaders: Bool {
        guard headers.count > 1 else { return false }
        for i in 1..<headers.count {
            let length = headers[i].name.utf8.count
            for j in 0..<i where headers[j].name.utf8.count == length && headers[i].name == headers[j].name {
                return true
            }
        }
        return false
    }

    /// The device token part of `/3/device/<token>`, nil when the path is not a device push path.
    /// `/3/device` and `/3/device/` give an empty token.
    public var deviceToken: Substring? {
        let utf8 = path.utf8
        // Byte comparison: String.hasPrefix compares by Unicode rules, far slower for a per-request check.
        guard utf8.starts(with: "/3/device".utf8) else { return nil }
        let afterBase = utf8.index(utf8.startIndex, offsetBy: 9)
        if afterBase == utf8.endIndex { return path[afterBase...] }
        guard utf8[afterBase] == UInt8(ascii: "/") else { return nil }
        return path[utf8.index(after: afterBase)...]
    }

    /// Appends received body bytes, keeping at most `bodyKeepLimit` of them.
    mutating func appendBody(_ bytes: UnsafeRawBufferPointer) {
        bodyLength += bytes.count
        let room = MockRequest.bodyKeepLimit - body.count
        if room > 0 { body.append(contentsOf: bytes.prefix(room)) }
    }

    /// Clears every field, keeping storage for the next request on the connection.
    mutating func reset() {
        method = ""
        path = ""
        headers.removeAll(keepingCapacity: true)
        body.removeAll(keepingCapacity: true)
        bodyLength = 0
    }
}
