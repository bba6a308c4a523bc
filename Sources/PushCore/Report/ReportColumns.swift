/// How a report names its columns. A broadcast's row is about a channel, and APNs answers it with an
/// `apns-request-id`: its report says `channel_id` and `apns_request_id` where a device push's says `token` and
/// `apns_id`. Everything else (order, values, resume, `apnsctl report`) is the same; the reader accepts either name.
public enum ReportColumns: Sendable, Equatable {
    case device
    case broadcast

    /// The column names in order (CSV header, JSONL keys).
    public var fieldNames: [String] {
        ReportField.ordered.map { self == .broadcast ? $0.broadcastName : $0.rawValue }
    }
}

extension ReportField {
    /// The field's name in a broadcast report.
    var broadcastName: String {
        switch self {
        case .token: return "channel_id"
        case .apnsID: return "apns_request_id"
        default: return rawValue
        }
    }

    /// `"name":` in a broadcast report's JSONL lines.
    var broadcastJSONKey: StaticString {
        switch self {
        case .token: return #""channel_id":"#
        case .apnsID: return #""apns_request_id":"#
        default: return jsonKey
        }
    }

    /// The field a column or key names, by either report's name.
    package init?(name: String) {
        if let field = ReportField(rawValue: name) {
            self = field
            return
        }
        switch name {
        case "channel_id": self = .token
        case "apns_request_id": self = .apnsID
        default: return nil
        }
    }
}
