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

extension ReportRowEncoding {
    /// A broadcast report's JSONL line: the device line with its `token` and `apns_id` keys renamed. The device
    /// encoder stays the only one (and as fast as it was); the renaming is safe because a `"` inside a value is
    /// always escaped, so `"token":` and `"apns_id":` first appear as the keys themselves (kept fields cannot
    /// take those names).
    static func appendBroadcastJSONLine(at row: UnsafePointer<ReportRow>, kept: [String], to buffer: inout [UInt8],
                                        scratch: ByteScratch?) {
        var line: [UInt8] = []
        appendJSONLine(at: row, kept: kept, to: &line, scratch: scratch)
        for (from, to) in renamedKeys {
            guard let start = firstRange(of: from, in: line) else { continue }
            line.replaceSubrange(start..<(start + from.count), with: to)
        }
        buffer.append(contentsOf: line)
    }

    private static let renamedKeys: [([UInt8], [UInt8])] = [
        (Array(#""token":"#.utf8), Array(#""channel_id":"#.utf8)),
        (Array(#""apns_id":"#.utf8), Array(#""apns_request_id":"#.utf8)),
    ]

    private static func firstRange(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if haystack[start..<(start + needle.count)].elementsEqual(needle) { return start }
        }
        return nil
    }
}
