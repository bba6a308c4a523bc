#if canImport(Glibc)
import Glibc
#endif

/// What APNs answered on one stream, gathered from its HEADERS and DATA frames.
public struct APNsResponse: Sendable, Equatable {
    public var status: Int?
    /// Held inline (`ShortText`): no String built per answer.
    public var apnsIDText: ShortText?
    public var apnsUniqueIDText: ShortText?
    public var apnsID: String? {
        get { apnsIDText?.description }
        set { apnsIDText = newValue.map { ShortText($0) } }
    }
    public var apnsUniqueID: String? {
        get { apnsUniqueIDText?.description }
        set { apnsUniqueIDText = newValue.map { ShortText($0) } }
    }
    /// `retry-after`, when the server sent one.
    public var retryAfter: String?
    /// The error body (`{"reason": …, "timestamp": …}`); capped so a misbehaving server cannot grow it.
    public var body: [UInt8] = []

    public static let maxBodyBytes = 8192

    public init(status: Int? = nil, apnsID: String? = nil, apnsUniqueID: String? = nil, body: [UInt8] = []) {
        self.status = status
        self.apnsIDText = apnsID.map { ShortText($0) }
        self.apnsUniqueIDText = apnsUniqueID.map { ShortText($0) }
        self.body = body
    }

    /// Records one response header (names arrive lowercase in HTTP/2).
    public mutating func header(name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) {
        switch name.count {
        case 7 where Self.equal(name, ":status"):
            var number = 0
            for byte in value {
                guard byte >= 0x30, byte <= 0x39, number < 1000 else { return }
                number = number * 10 + Int(byte - 0x30)
            }
            status = value.isEmpty ? nil : number
        case 7 where Self.equal(name, "apns-id"):
            apnsIDText = ShortText(value)
        case 14 where Self.equal(name, "apns-unique-id"):
            apnsUniqueIDText = ShortText(value)
        case 11 where Self.equal(name, "retry-after"):
            retryAfter = String(decoding: value, as: UTF8.self)
        default:
            break
        }
    }

    private static func equal(_ bytes: UnsafeBufferPointer<UInt8>, _ text: StaticString) -> Bool {
        guard bytes.count == text.utf8CodeUnitCount, let base = bytes.baseAddress else { return false }
        return memcmp(base, text.utf8Start, bytes.count) == 0
    }

    /// Convenience for tests: records a header given as text.
    public mutating func header(_ name: String, _ value: String) {
        var name = name, value = value
        name.withUTF8 { n in value.withUTF8 { v in header(name: n, value: v) } }
    }

    public mutating func data(_ bytes: UnsafeBufferPointer<UInt8>) {
        let room = APNsResponse.maxBodyBytes - body.count
        if room > 0 { body.append(contentsOf: bytes.prefix(room)) }
    }

    /// The `reason` and 410 `timestamp` from the error body, if it is the JSON APNs sends.
    public var errorBody: (reason: String?, timestamp: Int64?) {
        guard !body.isEmpty, let object = (try? JSONParser.parse(body))?.objectValue else { return (nil, nil) }
        let reason = object["reason"]?.stringValue
        var timestamp: Int64?
        if case .number(let text)? = object["timestamp"] {
            // A number past Int64 (1e300 from a misbehaving server) is no timestamp: nil, not a trap.
            timestamp = Int64(text) ?? Double(text).flatMap { Int64(exactly: $0.rounded(.towardZero)) }
        }
        return (reason, timestamp)
    }

    /// Turns the answer into a report row for `notification`.
    @inline(__always)   // inlined into the connection's `answer` (a call returned the row through a temporary)
    public func reportRow(for notification: PushNotification, attempts: Int, latencyMs: Double, finishedAtMs: Int64) -> ReportRow {
        let delivered = status == 200
        let (reason, timestamp) = delivered ? (nil, nil) : errorBody
        return ReportRow(line: notification.line, token: notification.token,
                         outcome: delivered ? .delivered : .rejected,
                         status: status,
                         reason: delivered ? nil : (reason ?? "HTTP \(status ?? 0)"),
                         apnsIDText: apnsIDText != nil || notification.apnsID == nil ? apnsIDText : ShortText(notification.apnsID!),
                         apnsUniqueIDText: apnsUniqueIDText,
                         unregisteredAt: status == 410 ? timestamp : nil,
                         attempts: attempts, latencyMs: latencyMs, finishedAtMs: finishedAtMs)
    }
}
