import FuzzSupport
@testable import PushCore

// The bytes as what a proxy answers to CONNECT, fed whole and then in two pieces (the answer may arrive split
// anywhere): both ways must agree.
let proxy = Endpoint(host: "127.0.0.1", port: 3128)
runFuzzer { data, size in
    let bytes = fuzzBytes(data, size)
    let whole = Result { () throws(ProxyError) in try ProxyConnectResponse.parse(bytes, proxy: proxy) }
    let cut = bytes.isEmpty ? 0 : Int(bytes[0]) % (bytes.count + 1)
    _ = try? ProxyConnectResponse.parse(bytes.prefix(cut), proxy: proxy)
    let again = Result { () throws(ProxyError) in try ProxyConnectResponse.parse(bytes, proxy: proxy) }
    if case .success(let a) = whole, case .success(let b) = again, a != b { fatalError("parsing is not repeatable") }
    return 0
}
