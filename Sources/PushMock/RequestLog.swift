import Foundation
import PushCore

/// One JSONL line of the mock's request log. Never contains the `authorization` header or the bearer token.
///
/// Keys: `time_ms`, `connection` (numbered from 1 in accept order), `stream`, `attempt` (how many requests for
/// this device token the server has seen, this one included; 0 without a device token), `method`, `token` (or
/// `path` when the path is not a device path), `topic`, `push_type`, `priority`, `expiration` (numbers when they
/// are integers, else the text received), `collapse_id`, `apns_id` (the one answered), `payload_size`, `payload`
/// (the JSON object as sent, or a string when the body is not a JSON object), `status`, `reason`. Absent headers
/// are `null`. Broadcasts and management requests add `operation` (create, read, delete, list, broadcast; `null`
/// for a path refused on the management port) and `channel_id` (created, or the request's) after `path`, and
/// their `apns_id` is the `apns-request-id` answered. A request never answered on purpose (`--silent`) has
/// `apns_id`, `status` and `reason` `null`, and is logged when it arrives; answered ones are logged when the answer
/// is sent.
public enum RequestLogLine {
    /// Appends the line (with its newline) to `out`. `decision` nil: the request is not answered.
    public static func append(timeMs: Int64, connection: Int, stream: Int32, attempt: Int = 0, request: MockRequest,
                              decision: MockDecision?, to out: inout [UInt8]) {
        var first = true
        func key(_ name: StaticString) {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
            out.append(contentsOf: "\":".utf8)
        }
        func string(_ value: String?) {
            if let value { JSONText.appendString(value, to: &out) } else { out.append(contentsOf: "null".utf8) }
        }
        func integerOrString(_ value: String?) {
            if let value, RequestValidator.isInteger(value), let number = Int64(value) {
                JSONText.appendInteger(number, to: &out)
            } else {
                string(value)
            }
        }

        out.append(UInt8(ascii: "{"))
        key("time_ms"); JSONText.appendInteger(timeMs, to: &out)
        key("connection"); JSONText.appendInteger(connection, to: &out)
        key("stream"); JSONText.appendInteger(Int(stream), to: &out)
        key("attempt"); JSONText.appendInteger(attempt, to: &out)
        key("method"); string(request.method)
        if let token = request.deviceToken {
            key("token"); string(String(token))
        } else {
            key("path"); string(request.path)
        }
        if let answer = decision?.channel {
            key("operation"); string(answer.operation?.rawValue)
            key("channel_id"); string(answer.channelID)
        }
        key("topic"); string(request.header("apns-topic"))
        key("push_type"); string(request.header("apns-push-type"))
        key("priority"); integerOrString(request.header("apns-priority"))
        key("expiration"); integerOrString(request.header("apns-expiration"))
        key("collapse_id"); string(request.header("apns-collapse-id"))
        key("apns_id"); string(decision?.apnsID)
        key("payload_size"); JSONText.appendInteger(request.bodyLength, to: &out)
        key("payload")
        if request.bodyLength == request.body.count && JSONSyntax.isObject(request.body) {
            out.append(contentsOf: request.body.lazy.filter { $0 != 0x0A && $0 != 0x0D })
        } else {
            JSONText.appendString(bytes: request.body, to: &out)
        }
        key("status")
        if let decision { JSONText.appendInteger(decision.status, to: &out) } else { out.append(contentsOf: "null".utf8) }
        key("reason"); string(decision?.reason?.rawValue)
        out.append(contentsOf: "}\n".utf8)
    }
}

/// Buffered writer of the request log. Used by the server thread only; `flushIfDue` is called every loop pass.
final class RequestLogWriter {
    private let handle: FileHandle
    let path: String
    private(set) var buffer: [UInt8] = []
    private var lastFlushMs: Int64 = 0
    private static let flushSize = 64 * 1024

    /// Creates (or truncates) the file.
    init(path: String) throws(MockServerError) {
        guard FileManager.default.createFile(atPath: path, contents: nil),
              let handle = FileHandle(forWritingAtPath: path) else {
            throw MockServerError("cannot create the request log \(path) (does its directory exist and is it writable?)")
        }
        self.handle = handle
        self.path = path
        buffer.reserveCapacity(Self.flushSize + 4096)
    }

    func append(timeMs: Int64, connection: Int, stream: Int32, attempt: Int, request: MockRequest,
                decision: MockDecision?) {
        RequestLogLine.append(timeMs: timeMs, connection: connection, stream: stream, attempt: attempt,
                              request: request, decision: decision, to: &buffer)
        if buffer.count >= Self.flushSize { flush(nowMs: timeMs) }
    }

    /// Flushes when a second has passed since the last flush.
    func flushIfDue(nowMs: Int64) {
        if !buffer.isEmpty && nowMs - lastFlushMs >= 1000 { flush(nowMs: nowMs) }
    }

    /// Writes the buffer out. A failing write drops the buffered lines (the mock keeps serving) and says so.
    func flush(nowMs: Int64) {
        lastFlushMs = nowMs
        guard !buffer.isEmpty else { return }
        do {
            try handle.write(contentsOf: buffer)
        } catch {
            MockServer.note("cannot write the request log \(path): \(error.localizedDescription)")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    func close(nowMs: Int64) {
        flush(nowMs: nowMs)
        try? handle.close()
    }
}
