import Foundation

/// One of `apnsctl channel`'s operations (apns-protocol.md §9.1), and what its answers become: one output row per
/// channel created, read, deleted or listed.
public enum ChannelOperation: String, Sendable, CaseIterable {
    case create, read, delete, list

    public var requestKind: RequestKind {
        switch self {
        case .create: return .createChannel
        case .read: return .readChannel
        case .delete: return .deleteChannel
        case .list: return .listChannels
        }
    }

    /// The outcome word of a row APNs accepted.
    public var doneWord: String {
        switch self {
        case .create: return "created"
        case .read: return "read"
        case .delete: return "deleted"
        case .list: return "listed"
        }
    }

    /// The request for one channel (`channelID` empty for create and list), with a fresh `apns-request-id`.
    /// `line` ties the answer back to the request (an input line, or the channel's number for create).
    public func request(line: Int, bundleID: String, channelID: String = "", storagePolicy: Int = 1,
                        requestID: String = UUID().uuidString.lowercased()) -> PushNotification {
        let body = self == .create
            ? Array(#"{"message-storage-policy":\#(storagePolicy),"push-type":"LiveActivity"}"#.utf8) : []
        return PushNotification(line: line, token: channelID, payload: body, topic: bundleID, apnsID: requestID,
                                kind: requestKind)
    }

    /// The output rows of one settled request: one row, or for a list answer one row per channel it names (a list
    /// that names none gives no row).
    public func rows(for answer: ReportRow, storagePolicy: Int? = nil) -> [ChannelRow] {
        var row = ChannelRow(channelID: answer.token, storagePolicy: nil, pushType: nil, requestID: answer.apnsID,
                             outcome: answer.outcome == .delivered ? doneWord : answer.outcome.rawValue,
                             status: answer.status, reason: answer.reason)
        guard answer.outcome == .delivered else { return [row] }
        switch self {
        case .create:
            row.storagePolicy = storagePolicy
            row.pushType = "LiveActivity"
        case .read:
            let object = answer.answerBody.flatMap { try? JSONParser.parse($0) }?.objectValue
            if case .number(let text)? = object?["message-storage-policy"] { row.storagePolicy = Int(text) }
            row.pushType = object?["push-type"]?.stringValue
        case .delete:
            break
        case .list:
            let object = answer.answerBody.flatMap { try? JSONParser.parse($0) }?.objectValue
            guard case .array(let ids)? = object?["channels"] else {
                row.outcome = Outcome.failed.rawValue
                row.reason = "the list answer has no 'channels' array"
                return [row]
            }
            return ids.compactMap(\.stringValue).map { id in
                var listed = row
                listed.channelID = id
                return listed
            }
        }
        return [row]
    }
}

/// One row of `apnsctl channel`'s output. `channel_id` and `storage_policy` are the columns `apnsctl broadcast`
/// reads, so `channel create`'s output is a broadcast campaign's input.
public struct ChannelRow: Sendable, Equatable {
    public var channelID: String
    public var storagePolicy: Int?
    public var pushType: String?
    public var requestID: String?
    /// `created`, `read`, `deleted` or `listed`; or `rejected`, `failed`, `invalid`.
    public var outcome: String
    public var status: Int?
    public var reason: String?

    public init(channelID: String, storagePolicy: Int? = nil, pushType: String? = nil, requestID: String? = nil,
                outcome: String, status: Int? = nil, reason: String? = nil) {
        self.channelID = channelID
        self.storagePolicy = storagePolicy
        self.pushType = pushType
        self.requestID = requestID
        self.outcome = outcome
        self.status = status
        self.reason = reason
    }

    public static let fieldNames = ["channel_id", "storage_policy", "push_type", "apns_request_id", "outcome", "status",
                                    "reason"]

    /// True for the outcomes of accepted requests.
    public var succeeded: Bool { ChannelOperation.allCases.contains { $0.doneWord == outcome } }

    /// `{"channel_id":"…",…}\n`
    public var jsonLine: String {
        let values: [JSONValue] = [
            .string(channelID), storagePolicy.map { .number(String($0)) } ?? .null, pushType.map(JSONValue.string) ?? .null,
            requestID.map(JSONValue.string) ?? .null, .string(outcome), status.map { .number(String($0)) } ?? .null,
            reason.map(JSONValue.string) ?? .null,
        ]
        let object = JSONObject(zip(Self.fieldNames, values).map { JSONObject.Member(key: $0, value: $1) })
        return String(decoding: JSONWriter.serialize(.object(object)), as: UTF8.self) + "\n"
    }

    /// `channel_id,storage_policy,…\n` for the header, then one line per row.
    public static var csvHeader: String { fieldNames.joined(separator: ",") + "\n" }

    public var csvLine: String {
        let cells = [channelID, storagePolicy.map(String.init) ?? "", pushType ?? "", requestID ?? "", outcome,
                     status.map(String.init) ?? "", reason ?? ""]
        var bytes: [UInt8] = []
        for (index, cell) in cells.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            ReportRowEncoding.appendCSVField(cell, to: &bytes)
        }
        bytes.append(UInt8(ascii: "\n"))
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension APNsEnvironment {
    /// Where channels are managed (apns-protocol.md §1): not the push hosts, and each environment has its own port.
    /// Broadcasts themselves go to the push host (`host`).
    public var managementEndpoint: Endpoint {
        switch self {
        case .sandbox: return Endpoint(host: "api-manage-broadcast.sandbox.push.apple.com", port: 2195)
        case .production: return Endpoint(host: "api-manage-broadcast.push.apple.com", port: 2196)
        }
    }
}
