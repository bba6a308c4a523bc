/// How a row ended. Every input row ends in the report with exactly one of these.
public enum Outcome: String, Sendable, CaseIterable {
    /// APNs accepted it (200).
    case delivered
    /// APNs refused it with a final answer (4xx, or a retryable status with no retries left).
    case rejected
    /// No answer from APNs: the connection was lost, the request timed out, or the run stopped.
    case failed
    /// Never sent: the row itself is wrong (bad token, missing template field, payload too large).
    case invalid
    /// Dry run (`apnsctl check`, `send --dry-run`): the row passed every rule and would be sent.
    case valid
    /// Not sent on purpose: with `--dedupe`, a token already seen on an earlier line (the reason names it).
    case skipped

    /// True for outcomes that do not make the run's exit status 1: delivered, valid (dry run) and skipped.
    public var isSuccess: Bool {
        switch self {
        case .delivered, .valid, .skipped: return true
        case .rejected, .failed, .invalid: return false
        }
    }
}

/// One report row: what happened to one input row.
public struct ReportRow: Sendable, Equatable {
    public var line: Int
    public var token: String
    public var outcome: Outcome
    /// HTTP status from APNs; nil when no response arrived (failed) or nothing was sent (invalid).
    public var status: Int?
    /// APNs reason, a local reason (ConnectionLost, Timeout) or, for invalid rows, the message.
    public var reason: String?
    /// `apns-id` and `apns-unique-id`: held inline (`ShortText`), as the answer brought them.
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
    /// The 410 `timestamp` (milliseconds since the epoch).
    public var unregisteredAt: Int64?
    public var attempts: Int
    public var latencyMs: Double?
    /// Milliseconds since the epoch when the row settled.
    public var finishedAtMs: Int64
    /// The `apns-push-type` the row was (or, in a dry run, would be) sent with; nil for an invalid row.
    public var pushType: PushType?
    /// Values of the input fields copied into the report (`--keep`), in the order the writer names them;
    /// nil for a field the row does not have (or null).
    public var kept: [KeptValue?] = []
    /// The answer's body, for the requests whose answer is data (`RequestKind.keepsAnswerBody`: channel read and
    /// list); nil for every other row. Never written to a report.
    public var answerBody: [UInt8]?

    public init(line: Int, token: String, outcome: Outcome, status: Int? = nil, reason: String? = nil,
                apnsID: String? = nil, apnsUniqueID: String? = nil, unregisteredAt: Int64? = nil,
                attempts: Int = 0, latencyMs: Double? = nil, finishedAtMs: Int64, pushType: PushType? = nil) {
        self.init(line: line, token: token, outcome: outcome, status: status, reason: reason,
                  apnsIDText: apnsID.map { ShortText($0) }, apnsUniqueIDText: apnsUniqueID.map { ShortText($0) },
                  unregisteredAt: unregisteredAt, attempts: attempts, latencyMs: latencyMs, finishedAtMs: finishedAtMs,
                  pushType: pushType)
    }

    public init(line: Int, token: String, outcome: Outcome, status: Int? = nil, reason: String? = nil,
                apnsIDText: ShortText?, apnsUniqueIDText: ShortText? = nil, unregisteredAt: Int64? = nil,
                attempts: Int = 0, latencyMs: Double? = nil, finishedAtMs: Int64, pushType: PushType? = nil) {
        self.line = line
        self.token = token
        self.outcome = outcome
        self.status = status
        self.reason = reason
        self.apnsIDText = apnsIDText
        self.apnsUniqueIDText = apnsUniqueIDText
        self.unregisteredAt = unregisteredAt
        self.attempts = attempts
        self.latencyMs = latencyMs
        self.finishedAtMs = finishedAtMs
        self.pushType = pushType
    }

    /// The report's field names, in column order (CSV header and JSONL keys).
    public static let fieldNames = [
        "line", "token", "outcome", "status", "reason", "apns_id", "apns_unique_id",
        "unregistered_at", "attempts", "latency_ms", "finished_at", "push_type",
    ]
}

/// An input field's value copied into the report (`--keep`).
public enum KeptValue: Sendable, Equatable {
    /// Text: a CSV cell, a JSON string, or a JSON object or array as compact JSON text.
    case text(String)
    /// A JSON number, `true` or `false`, written as the literal (unquoted in JSONL reports).
    case literal(String)

    /// The value of a row's field, nil when absent or null.
    public init?(_ value: FieldValue?) {
        switch value {
        case nil, .json(.null)?: return nil
        case .text(let text)?, .json(.string(let text))?: self = .text(text)
        case .json(.number(let literal))?: self = .literal(literal)
        case .json(.bool(let flag))?: self = .literal(flag ? "true" : "false")
        case .json(let other)?: self = .text(String(decoding: JSONWriter.serialize(other), as: UTF8.self))
        }
    }

    /// The value as text (CSV cells, messages).
    public var text: String {
        switch self {
        case .text(let text), .literal(let text): return text
        }
    }
}
