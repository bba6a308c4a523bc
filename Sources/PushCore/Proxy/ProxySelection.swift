/// `NO_PROXY` / `no_proxy`: hosts reached directly even when `HTTPS_PROXY` is set. A comma- or space-separated
/// list; `*` matches every host; `example.com` and `.example.com` both match `example.com` and any name under it;
/// an IP address matches itself; an entry may end in `:PORT` to match that port only. Case does not matter.
public struct NoProxyRules: Sendable, Equatable {
    private struct Rule: Sendable, Equatable {
        var suffix: String
        var port: Int?
    }

    private var matchesAll = false
    private var rules: [Rule] = []

    public init(_ text: String) {
        for raw in text.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" }) {
            var entry = raw.lowercased()
            if entry == "*" { matchesAll = true; continue }
            var port: Int?
            if entry.hasPrefix("[") {   // [IPv6] or [IPv6]:port
                guard let close = entry.firstIndex(of: "]") else { continue }
                let after = entry[entry.index(after: close)...]
                if after.hasPrefix(":") { port = Int(after.dropFirst()) }
                entry = String(entry[entry.index(after: entry.startIndex)..<close])
            } else if entry.filter({ $0 == ":" }).count == 1, let colon = entry.firstIndex(of: ":") {
                port = Int(entry[entry.index(after: colon)...])
                entry = String(entry[..<colon])
            }
            if entry.hasPrefix("*.") { entry.removeFirst(2) }
            while entry.hasPrefix(".") { entry.removeFirst() }
            while entry.hasSuffix(".") { entry.removeLast() }
            if !entry.isEmpty { rules.append(Rule(suffix: entry, port: port)) }
        }
    }

    /// True when `host:port` must not go through the proxy.
    public func excludes(host: String, port: Int) -> Bool {
        if matchesAll { return true }
        var name = host.lowercased()
        while name.hasSuffix(".") { name.removeLast() }
        return rules.contains { rule in
            if let rulePort = rule.port, rulePort != port { return false }
            return name == rule.suffix || name.hasSuffix("." + rule.suffix)
        }
    }
}

/// Which proxy a run uses: `--proxy` when given (an empty value turns proxies off), else `HTTPS_PROXY` (or
/// `https_proxy`) unless `NO_PROXY` (or `no_proxy`) names the target or the target is on this machine
/// (`localhost`, 127.0.0.0/8, `::1`: a proxy could not reach it anyway).
public enum ProxySelection {
    public static let environmentNames = ["HTTPS_PROXY", "https_proxy"]
    public static let noProxyNames = ["NO_PROXY", "no_proxy"]

    /// The proxy to tunnel through to `target`, or nil for a direct connection.
    public static func resolve(flag: String?, environment: [String: String],
                               target: Endpoint) throws(ProxyURLError) -> HTTPProxy? {
        if let flag {
            if flag.trimmingASCIIWhitespace().isEmpty { return nil }
            return try HTTPProxy(parsing: flag, source: "--proxy")
        }
        guard let (name, value) = firstSet(environmentNames, in: environment) else { return nil }
        if isLoopback(target.host) { return nil }
        if let (_, list) = firstSet(noProxyNames, in: environment),
           NoProxyRules(list).excludes(host: target.host, port: target.port) {
            return nil
        }
        return try HTTPProxy(parsing: value, source: name)
    }

    /// `localhost` (and names under it), 127.x.x.x, `::1`.
    public static func isLoopback(_ host: String) -> Bool {
        let name = host.lowercased()
        return name == "localhost" || name.hasSuffix(".localhost") || name.hasPrefix("127.") || name == "::1"
            || name == "0:0:0:0:0:0:0:1"
    }

    private static func firstSet(_ names: [String], in environment: [String: String]) -> (String, String)? {
        for name in names {
            if let value = environment[name], !value.trimmingASCIIWhitespace().isEmpty { return (name, value) }
        }
        return nil
    }
}
