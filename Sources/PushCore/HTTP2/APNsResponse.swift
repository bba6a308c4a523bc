#if canImport(Glibc)
import Glibc
#endif

/// What APNs answered on one stream, gathered from its HEADERS and DATA frames. Every value from the server is
/// read defensively: nothing it sends can trap; what does not fit is a protocol error for that stream.
public struct APNsResponse: Sendable, Equatable {
    /// `:status`, when it was three digits (100–599).
    public var status: Int?
    /// A `:status` arrived that was not three digits in 100–599.
    public var statusMalformed = false
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
    /// `apns-channel-id` of a channel-management answer (create names the new channel here); its size is Apple's.
    public var channelID: String?
    /// `retry-after` in milliseconds, when the server sent delta-seconds below a day (anything else is ignored).
    public var retryAfterMs: Int?
    /// The error body (`{"reason": …, "timestamp": …}`); capped so a misbehaving server cannot grow it.
    public var body: [UInt8] = []

    public static let maxBodyBytes = 8192
    /// Longest `reason` kept; a longer one is cut (a server cannot fill the report and the summary with it).
    public static let maxReasonBytes = 128
    /// Latest 410 `timestamp` accepted: 9999-12-31T23:59:59.999Z in milliseconds.
    public static let maxTimestampMs: Int64 = 253_402_300_799_999

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
            status = Self.parseStatus(value)
            statusMalformed = status == nil
        case 7 where Self.equal(name, "apns-id"):
            apnsIDText = ShortText(value)
        case 14 where Self.equal(name, "apns-unique-id"):
            apnsUniqueIDText = ShortText(value)
        // Broadcast and management answers carry `apns-request-id` where device pushes carry `apns-id`.
        case 15 where Self.equal(name, "apns-request-id"):
            apnsIDText = ShortText(value)
        case 15 where Self.equal(name, "apns-channel-id"):
            channelID = String(decoding: value.prefix(Self.maxReasonBytes), as: UTF8.self)
        case 11 where Self.equal(name, "retry-after"):
            retryAfterMs = Self.parseRetryAfterMs(value)
        default:
            break
        }
    }

    /// Three ASCII digits, 100–599; anything else is nil.
    static func parseStatus(_ value: UnsafeBufferPointer<UInt8>) -> Int? {
        guard value.count == 3 else { return nil }
        var number = 0
        for byte in value {
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            number = number * 10 + Int(byte - 0x30)
        }
        return (100...599).contains(number) ? number : nil
    }

    /// Delta-seconds (optional blanks around), below a day; an HTTP date or anything else is nil.
    static func parseRetryAfterMs(_ value: UnsafeBufferPointer<UInt8>) -> Int? {
        var seconds = 0
        var digits = 0
        for byte in value where byte != 0x20 && byte != 0x09 {
            guard byte >= 0x30, byte <= 0x39, digits < 6 else { return nil }
            seconds = seconds * 10 + Int(byte - 0x30)
            digits += 1
        }
        return digits > 0 && seconds < 86_400 ? seconds * 1000 : nil
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

    public mutating func data(_ bytes: UnsafeBufferPointer<UInt8>, limit: Int = APNsResponse.maxBodyBytes) {
        let room = limit - body.count
        if room > 0 { body.append(contentsOf: bytes.prefix(room)) }
    }

    /// The answer, read once: the status, the reason and (for 410) the timestamp from the error body, or why the
    /// answer cannot be used. A body that is not APNs' JSON leaves the reason nil. A 410 timestamp that is not a
    /// number of milliseconds between 1970 and 9999 (`1e19`, `1e400`, `-1e300`) is dropped, never converted: the
    /// status and reason are still APNs' final word about the token (resending to a token APNs called gone would
    /// break its rule never to retry 410), only the informative time is unusable.
    public func interpret() -> Answer {
        guard let status else {
            return .protocolError(statusMalformed ? "malformed :status" : "no :status")
        }
        if status == 200 { return .answered(status: 200, reason: nil, unregisteredAt: nil) }
        guard !body.isEmpty, let object = (try? JSONParser.parse(body))?.objectValue else {
            return .answered(status: status, reason: nil, unregisteredAt: nil)
        }
        var reason: Reason?
        if let text = object["reason"]?.stringValue, !text.isEmpty {
            reason = Reason(rawValue: text.utf8.count <= Self.maxReasonBytes ? text
                                : String(decoding: text.utf8.prefix(Self.maxReasonBytes), as: UTF8.self))
        }
        var unregisteredAt: Int64?
        if status == 410, case .number(let text)? = object["timestamp"] {
            unregisteredAt = Self.timestampMs(text)
        }
        return .answered(status: status, reason: reason, unregisteredAt: unregisteredAt)
    }

    /// A JSON number as whole milliseconds in `0...maxTimestampMs`, or nil. Never traps: the text is checked as an
    /// integer first, then as a finite double inside the range before it is converted.
    static func timestampMs(_ text: String) -> Int64? {
        if let whole = Int64(text) { return (0...maxTimestampMs).contains(whole) ? whole : nil }
        guard let value = Double(text), value.isFinite, value >= 0, value <= Double(maxTimestampMs) else { return nil }
        return Int64(value)
    }

    /// What an answer means, decided once by `interpret()`.
    public enum Answer: Sendable, Equatable {
        case answered(status: Int, reason: Reason?, unregisteredAt: Int64?)
        /// The server's answer cannot be used (for the report: a transport failure of this stream).
        case protocolError(String)
    }

    /// The report row for an answer whose outcome the retry policy decided (`delivered` or `rejected`).
    @inline(__always)   // inlined into the connection's settling (a call returned the row through a temporary)
    public func reportRow(for notification: PushNotification, outcome: Outcome, status: Int, reason: Reason?,
                          unregisteredAt: Int64?, attempts: Int, latencyMs: Double, finishedAtMs: Int64) -> ReportRow {
        ReportRow(line: notification.line, token: channelID ?? notification.token, outcome: outcome, status: status,
                  reason: outcome == .delivered ? nil : (reason?.rawValue ?? "HTTP \(status)"),
                  apnsIDText: apnsIDText != nil || notification.apnsID == nil ? apnsIDText : ShortText(notification.apnsID!),
                  apnsUniqueIDText: apnsUniqueIDText, unregisteredAt: unregisteredAt,
                  attempts: attempts, latencyMs: latencyMs, finishedAtMs: finishedAtMs, pushType: notification.pushType)
    }
}
