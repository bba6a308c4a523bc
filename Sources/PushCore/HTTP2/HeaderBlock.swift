/// The header fields of one request, as bytes in one reusable buffer (no String per field).
/// Sensitive fields are sent literal-without-indexing, so HPACK never stores them: `:path`, `authorization`,
/// `apns-id`, `apns-collapse-id` (apns-protocol.md §2, §12).
package struct HeaderBlock {
    package struct Span {
        package var name: Range<Int>
        package var value: Range<Int>
        package var sensitive: Bool
    }

    package private(set) var bytes: [UInt8] = []
    package private(set) var spans: [Span] = []
    /// The end of the part kept by `rewindToStable` (see `markStable`).
    private var stableBytes = 0
    private var stableSpans = 0

    package init() {
        bytes.reserveCapacity(1024)
        spans.reserveCapacity(16)
    }

    /// Empties the block, keeping its storage.
    package mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        spans.removeAll(keepingCapacity: true)
        stableBytes = 0
        stableSpans = 0
    }

    /// Marks the fields added so far as the part that repeats from request to request.
    package mutating func markStable() {
        stableBytes = bytes.count
        stableSpans = spans.count
    }

    /// Drops everything added after `markStable()` (values set with `setValue` included).
    package mutating func rewindToStable() {
        bytes.removeLast(bytes.count - stableBytes)
        spans.removeLast(spans.count - stableSpans)
    }

    /// Gives field `index` (added before, e.g. with an empty value) the value `prefix + value`, written after the
    /// other fields' bytes: the field keeps its place in the order (`:path` among the pseudo-headers).
    package mutating func setValue(ofField index: Int, prefix: StaticString, _ value: String) {
        let start = bytes.count
        // Both parts through one cursor: one append to `bytes` (an append costs ~100 instructions, a String's ~200).
        ByteCursor.withUTF8(value) { text in
            ByteCursor.append(to: &bytes, atMost: prefix.utf8CodeUnitCount + text.count) { out in
                out.write(prefix)
                out.bytes(text)
            }
        }
        spans[index].value = start..<bytes.count
    }

    package mutating func add(_ name: StaticString, _ value: some StringProtocol, sensitive: Bool = false) {
        let nameRange = appendName(name)
        let start = bytes.count
        bytes.append(contentsOf: value.utf8)
        spans.append(Span(name: nameRange, value: start..<bytes.count, sensitive: sensitive))
    }

    package mutating func add(_ name: StaticString, _ value: Int, sensitive: Bool = false) {
        let nameRange = appendName(name)
        let start = bytes.count
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        let digitsStart = bytes.count
        repeat {
            bytes.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
            magnitude /= 10
        } while magnitude > 0
        bytes[digitsStart...].reverse()
        spans.append(Span(name: nameRange, value: start..<bytes.count, sensitive: sensitive))
    }

    /// The field's name and value as text (for tests and logs; never used on the hot path).
    package func field(_ index: Int) -> (name: String, value: String, sensitive: Bool) {
        let span = spans[index]
        return (String(decoding: bytes[span.name], as: UTF8.self), String(decoding: bytes[span.value], as: UTF8.self),
                span.sensitive)
    }

    private mutating func appendName(_ name: StaticString) -> Range<Int> {
        let start = bytes.count
        bytes.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        return start..<bytes.count
    }
}
