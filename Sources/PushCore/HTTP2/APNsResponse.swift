/// What APNs answered on one stream, gathered from its HEADERS and DATA frames.
public struct APNsResponse: Sendable, Equatable {
    public var status: Int?
    public var apnsID: String?
    public var apnsUniqueID: String?
    /// `retry-after`, when the server sent one.
    public var retryAfter: String?
    /// The error body (`{"reason": …, "timestamp": …}`); capped so a misbehaving server cannot grow it.
    public var body: [UInt8] = []

    public static let maxBodyBytes = 8192

    public init(status: Int? = nil, apnsID: String? = nil, apnsUniqueID: String? = nil, body: [UInt8] = []) {
        self.status = status
        self.apnsID = apnsID
        self.apnsUniqueID = apnsUniqueID
        self.body = body
    }

    /// Records one response header (names arrive lowercase in HTTP/2).
    public mutating func header(name: some Collection<UInt8>, value: some Collection<UInt8>) {
        if name.elementsEqual(":status".utf8) {
            status = Int(String(decoding: value, as: UTF8.self))
        } else if name.elementsEqual("apns-id".utf8) {
            apnsID = String(decoding: value, as: UTF8.self)
        } else if name.elementsEqual("apns-unique-id".utf8) {
            apnsUniqueID = String(decoding: value, as: UTF8.self)
        } else if name.elementsEqual("retry-after".utf8) {
            retryAfter = String(decoding: value, as: UTF8.self)
        }
    }

    public mutating func data(_ bytes: some Collection<UInt8>) {
        let room = APNsResponse.maxBodyBytes - body.count
        if room > 0 { body.append(contentsOf: bytes.prefix(room)) }
    }

    /// The `reason` and 410 `timestamp` from the error body, if it is the JSON APNs sends.
    public var errorBody: (reason: String?, timestamp: Int64?) {
        guard !body.isEmpty, let object = (try? JSONParser.parse(body))?.objectValue else { return (nil, nil) }
        let reason = object["reason"]?.stringValue
        var timestamp: Int64?
        if case .number(let text)? = object["timestamp"] {
            timestamp = Int64(text) ?? Double(text).map { Int64($0) }
        }
        return (reason, timestamp)
    }

    /// Turns the answer into a report row for `notification`.
    public func reportRow(for notification: PushNotification, attempts: Int, latencyMs: Double, finishedAtMs: Int64) -> ReportRow {
        let delivered = status == 200
        let (reason, timestamp) = delivered ? (nil, nil) : errorBody
        return ReportRow(line: notification.line, token: notification.token,
                         outcome: delivered ? .delivered : .rejected,
                         status: status,
                         reason: delivered ? nil : (reason ?? "HTTP \(status ?? 0)"),
                         apnsID: apnsID ?? notification.apnsID, apnsUniqueID: apnsUniqueID,
                         unregisteredAt: status == 410 ? timestamp : nil,
                         attempts: attempts, latencyMs: latencyMs, finishedAtMs: finishedAtMs)
    }
}
