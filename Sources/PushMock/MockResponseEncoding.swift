import PushCore

/// How a `MockDecision` goes on the wire, as APNs answers (apns-protocol.md §4):
/// success is HEADERS with END_STREAM carrying `apns-id` and `apns-unique-id`; an error adds
/// `content-type: application/json` and a body `{"reason":"…"}` (410: `{"reason":"…","timestamp":ms}`).
public enum MockResponseEncoding {
    /// `{"reason":"BadDeviceToken"}`, or `{"reason":"Unregistered","timestamp":1732630000000}` with a timestamp.
    public static func errorBody(reason: Reason, timestampMs: Int64?) -> [UInt8] {
        var body: [UInt8] = []
        body.reserveCapacity(48)
        body.append(contentsOf: #"{"reason":"#.utf8)
        JSONText.appendString(reason.rawValue, to: &body)
        if let timestampMs {
            body.append(contentsOf: #","timestamp":"#.utf8)
            JSONText.appendInteger(timestampMs, to: &body)
        }
        body.append(UInt8(ascii: "}"))
        return body
    }

    /// `{"reason":"Unregistered","timestamp":1e400}`: `timestampText` written verbatim (`--timestamp`).
    public static func errorBody(reason: Reason, timestampText: String) -> [UInt8] {
        var body = errorBody(reason: reason, timestampMs: nil)
        body.removeLast()
        body.append(contentsOf: #","timestamp":"#.utf8)
        body.append(contentsOf: timestampText.utf8)
        body.append(UInt8(ascii: "}"))
        return body
    }

    /// The response body: nil for 200, else the error JSON.
    public static func body(for decision: MockDecision) -> [UInt8]? {
        guard !decision.isAccepted else { return decision.channel?.body }
        let reason = decision.reason ?? .internalServerError
        if let text = decision.timestampText { return errorBody(reason: reason, timestampText: text) }
        return errorBody(reason: reason, timestampMs: decision.timestampMs)
    }

    /// Replaces `fields` with the response headers (besides `:status`) for `decision`.
    package static func headers(for decision: MockDecision, into fields: inout [HTTP2HeaderField]) {
        if let answer = decision.channel {
            ChannelAnswer.headers(for: decision, answer, into: &fields)
            return
        }
        fields.removeAll(keepingCapacity: true)
        fields.append(HTTP2HeaderField(name: "apns-id", value: decision.apnsID, neverIndex: true))
        if decision.isAccepted {
            if let uniqueID = decision.uniqueID {
                fields.append(HTTP2HeaderField(name: "apns-unique-id", value: uniqueID, neverIndex: true))
            }
        } else {
            fields.append(HTTP2HeaderField(name: "content-type", value: "application/json"))
        }
        fields.append(HTTP2HeaderField(name: "server", value: MockIdentity.serverName))
    }
}

/// Minimal JSON text output: escaped strings and integers appended to a byte buffer.
enum JSONText {
    static func appendString(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): out.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0..<0x20:
                let hex: StaticString = "0123456789abcdef"
                out.append(contentsOf: [0x5C, UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                        hex.utf8Start[Int(byte >> 4)], hex.utf8Start[Int(byte & 0xF)]])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Appends raw bytes as a JSON string (invalid UTF-8 is replaced by U+FFFD).
    static func appendString(bytes: [UInt8], to out: inout [UInt8]) {
        appendString(String(decoding: bytes, as: UTF8.self), to: &out)
    }

    static func appendInteger(_ value: Int64, to out: inout [UInt8]) {
        if value == 0 { out.append(UInt8(ascii: "0")); return }
        var v = value.magnitude
        if value < 0 { out.append(UInt8(ascii: "-")) }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            while v > 0 {
                buffer[count] = UInt8(ascii: "0") + UInt8(v % 10)
                v /= 10
                count += 1
            }
            for i in stride(from: count - 1, through: 0, by: -1) { out.append(buffer[i]) }
        }
    }

    static func appendInteger(_ value: Int, to out: inout [UInt8]) { appendInteger(Int64(value), to: &out) }
}
