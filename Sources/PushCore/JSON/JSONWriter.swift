/// Writes JSON into byte buffers: string escaping (for templates and reports) and compact
/// serialization of `JSONValue`.
///
/// Escaping: `"` → `\"`, `\` → `\\`, newline, CR, tab, backspace and form feed → `\n \r \t \b \f`,
/// other bytes below 0x20 → `\u00XX`. Everything else (including non-ASCII UTF-8) is copied as is.
public enum JSONWriter {
    /// Appends `string` as JSON string content (no surrounding quotes).
    public static func appendStringContent(_ string: String, to out: inout [UInt8]) {
        if let done: Void = string.utf8.withContiguousStorageIfAvailable({ appendStringContent(utf8: $0, to: &out) }) {
            return done
        }
        var string = string
        string.withUTF8 { appendStringContent(utf8: $0, to: &out) }
    }

    /// Appends UTF-8 bytes as JSON string content (no surrounding quotes). The bytes must be valid UTF-8.
    public static func appendStringContent(utf8 bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        // Most values (names, ids, numbers as text) need no escape: appended as they are, with no scratch copy.
        if ByteCursor.firstJSONEscape(in: bytes, from: 0) == bytes.count { return out.append(contentsOf: bytes) }
        ByteCursor.append(to: &out, atMost: 6 * bytes.count) { $0.jsonStringContent(utf8: bytes) }
    }

    /// Appends UTF-8 bytes from any collection as JSON string content.
    public static func appendStringContent(utf8 bytes: some Collection<UInt8>, to out: inout [UInt8]) {
        let done: Void? = bytes.withContiguousStorageIfAvailable { appendStringContent(utf8: $0, to: &out) }
        if done == nil {
            Array(bytes).withUnsafeBufferPointer { appendStringContent(utf8: $0, to: &out) }
        }
    }

    /// Appends `string` as a quoted JSON string.
    public static func appendString(_ string: String, to out: inout [UInt8]) {
        out.append(0x22)
        appendStringContent(string, to: &out)
        out.append(0x22)
    }

    /// Appends `value` as compact JSON (no whitespace). Numbers are written as their stored text.
    public static func append(_ value: JSONValue, to out: inout [UInt8]) {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .number(let text): out.append(contentsOf: text.utf8)
        case .string(let s): appendString(s, to: &out)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (i, element) in elements.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                append(element, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let object):
            out.append(UInt8(ascii: "{"))
            for (i, member) in object.members.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                appendString(member.key, to: &out)
                out.append(UInt8(ascii: ":"))
                append(member.value, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// `value` as compact JSON bytes.
    public static func serialize(_ value: JSONValue) -> [UInt8] {
        var out: [UInt8] = []
        append(value, to: &out)
        return out
    }
}
