import PushCore

/// What a mock server did, for `apnsctl mock --stats FILE` and for tests. Updated on the server thread;
/// `MockServer.statistics` hands out copies.
///
/// Every request that arrives in full is either taken on (`requests`) or `ignored`. A request taken on ends as
/// exactly one of `accepted`, `rejected`, `silenced`, or `unanswered` (its connection went away, the client
/// reset its stream, or the server stopped before a delayed answer was due).
public struct MockStatistics: Sendable, Equatable {
    /// Requests taken on: received in full and neither above a GOAWAY's last-stream-id nor after a drop.
    public var requests = 0
    /// Answered 2xx (200; 201 and 204 on the management port).
    public var accepted = 0
    /// Answered with an error status.
    public var rejected = 0
    /// Error answers by reason (`BadDeviceToken`: 3).
    public var rejectedByReason: [String: Int] = [:]
    /// Never answered on purpose (`--silent`).
    public var silenced = 0
    /// Received in full after their connection's GOAWAY (above its last-stream-id) or drop was decided, so never
    /// processed. How many depends on how fast the client was: not a number to assert exactly.
    public var ignored = 0
    /// TCP connections accepted.
    public var connections = 0
    /// GOAWAY frames sent by `--goaway-after` (not the ones sent at shutdown).
    public var goAways = 0
    /// Connections reset by `--drop-after`.
    public var drops = 0
    /// Times a connection's stream limit fell to 1 after a rejection (`--stream-drop on`).
    public var streamLimitDrops = 0
    /// TLS handshakes that failed (for example a client without the certificate `--require-client-cert` asks for).
    public var tlsFailures = 0
    /// Distinct device tokens answered 200 more than once (counted once per token).
    public var tokensAcceptedMoreThanOnce = 0
    /// TLS handshakes completed with HTTP/2 (a connection that stalled or failed its handshake has none).
    public var handshakes = 0
    /// Handshakes that failed because the client's certificate did not verify (`--require-client-cert`).
    public var clientCertificatesRefused = 0
    /// Answers that went out after an answer to a request at least 1,000 newer on the same connection
    /// (see `AnswerOrder`).
    public var lateAnswers = 0
    /// The largest reorder of any connection, in requests (see `AnswerOrder`).
    public var maxReorder = 0
    /// Each connection's largest reorder above 0, by connection number; the first
    /// `reorderConnectionsKept` connections that had one.
    public var maxReorderByConnection: [Int: Int] = [:]
    static let reorderConnectionsKept = 100
    /// Broadcasts and channel management (`--manage-listen`).
    public var broadcast = BroadcastStatistics()

    public init() {}

    /// Taken on but never answered.
    public var unanswered: Int { max(0, requests - accepted - rejected - silenced) }

    /// A connection's reorder grew to `reorder` (requests).
    mutating func recordReorder(connection: Int, reorder: Int) {
        maxReorder = max(maxReorder, reorder)
        if maxReorderByConnection[connection] != nil || maxReorderByConnection.count < Self.reorderConnectionsKept {
            maxReorderByConnection[connection] = reorder
        }
    }

    mutating func recordAnswer(status: Int, reason: Reason?) {
        if (200...299).contains(status) {
            accepted += 1
        } else {
            rejected += 1
            rejectedByReason[reason?.rawValue ?? "", default: 0] += 1
        }
    }

    /// The `--stats` document: one JSON object, keys in a fixed order, reasons sorted.
    ///
    /// `{"requests":…,"accepted":…,"rejected":…,"rejected_by_reason":{"BadDeviceToken":2},"silenced":…,`
    /// `"unanswered":…,"ignored":…,"connections":…,"goaways":…,"drops":…,"stream_limit_drops":…,`
    /// `"tls_failures":…,"tokens_accepted_more_than_once":…,"handshakes":…,"client_certificates_refused":…,`
    /// `"late_answers":…,"max_reorder":…,"max_reorder_by_connection":{"1":12}}` (connections in number order)
    public var json: JSONValue {
        func number(_ value: Int) -> JSONValue { .number(String(value)) }
        let reasons = rejectedByReason.keys.sorted().map { JSONObject.Member(key: $0, value: number(rejectedByReason[$0]!)) }
        let reorders = maxReorderByConnection.keys.sorted().map {
            JSONObject.Member(key: String($0), value: number(maxReorderByConnection[$0]!))
        }
        return .object(JSONObject([
            "requests": number(requests),
            "accepted": number(accepted),
            "rejected": number(rejected),
            "rejected_by_reason": .object(JSONObject(reasons)),
            "silenced": number(silenced),
            "unanswered": number(unanswered),
            "ignored": number(ignored),
            "connections": number(connections),
            "goaways": number(goAways),
            "drops": number(drops),
            "stream_limit_drops": number(streamLimitDrops),
            "tls_failures": number(tlsFailures),
            "tokens_accepted_more_than_once": number(tokensAcceptedMoreThanOnce),
            "handshakes": number(handshakes),
            "client_certificates_refused": number(clientCertificatesRefused),
            "late_answers": number(lateAnswers),
            "max_reorder": number(maxReorder),
            "max_reorder_by_connection": .object(JSONObject(reorders)),
            "broadcast": broadcast.json,
        ]))
    }

    /// `json` as bytes, with a final newline.
    public var jsonText: [UInt8] { JSONWriter.serialize(json) + [0x0A] }
}
