/// The report file format, chosen from the file name.
public enum ReportFormat: String, Sendable, CaseIterable {
    /// One JSON object per line; absent values are `null`.
    case jsonl
    /// RFC 4180 CSV with a header row; absent values are empty.
    case csv

    /// `.csv` (any case, after stripping a `.gz`) → csv; anything else, and `-` (stdout), → jsonl.
    public init(path: String) {
        var name = Substring(path.lowercased())
        if name.hasSuffix(".gz") { name = name.dropLast(3) }
        self = name.hasSuffix(".csv") ? .csv : .jsonl
    }

    /// True for a `.gz` name.
    public static func isCompressed(path: String) -> Bool {
        path.lowercased().hasSuffix(".gz")
    }
}

/// The report's columns, in `ReportRow.fieldNames` order.
package enum ReportField: String, CaseIterable, Sendable {
    case line, token, outcome, status, reason
    case apnsID = "apns_id"
    case apnsUniqueID = "apns_unique_id"
    case unregisteredAt = "unregistered_at"
    case attempts
    case latencyMs = "latency_ms"
    case finishedAt = "finished_at"
    case pushType = "push_type"

    /// Every field, in the order of `ReportRow.fieldNames` (the single source of the column order).
    package static let ordered: [ReportField] = ReportRow.fieldNames.map { name in
        guard let field = ReportField(rawValue: name) else { preconditionFailure("ReportRow.fieldNames has unknown field \(name)") }
        return field
    }
}

extension ReportField {
    /// `"name":` for JSONL lines (a test checks it against `rawValue`).
    var jsonKey: StaticString {
        switch self {
        case .line: return #""line":"#
        case .token: return #""token":"#
        case .outcome: return #""outcome":"#
        case .status: return #""status":"#
        case .reason: return #""reason":"#
        case .apnsID: return #""apns_id":"#
        case .apnsUniqueID: return #""apns_unique_id":"#
        case .unregisteredAt: return #""unregistered_at":"#
        case .attempts: return #""attempts":"#
        case .latencyMs: return #""latency_ms":"#
        case .finishedAt: return #""finished_at":"#
        case .pushType: return #""push_type":"#
        }
    }
}
