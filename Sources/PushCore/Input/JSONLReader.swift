#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streams JSON Lines: one JSON object per line (LF or CRLF). Empty and whitespace-only lines are
/// skipped. A line that is not valid JSON or not an object comes back as `.malformed` with the
/// parser's message ("expected ',' or '}' at column 17"); a line longer than the limit comes back
/// as `.malformed` and is skipped without being held in memory. The original bytes of each row's
/// `payload` member are kept (`Fields.payloadBytes`).
public struct JSONLReader: RecordReader {
    /// The input's name in messages (path or "stdin").
    public let name: String
    public let maxLineBytes: Int
    private var input: InputBuffer
    /// Bytes after `input.position` already searched for a line feed (none found).
    private var searched = 0
    /// Line number of the line starting at `input.position`.
    private var line = 1
    /// Line where an over-long line started, while its remaining bytes are being skipped.
    private var skippingLongLine: Int?

    public init(source: any ByteSource, name: String, maxLineBytes: Int = InputDefaults.maxLineBytes) throws(InputError) {
        var buffer = InputBuffer(source: source, name: name)
        try buffer.skipByteOrderMark()
        self.init(buffer: buffer, maxLineBytes: maxLineBytes)
    }

    /// `buffer` must be positioned after any byte order mark.
    init(buffer: InputBuffer, maxLineBytes: Int) {
        precondition(maxLineBytes > 0, "line limit must be positive")
        self.name = buffer.name
        self.input = buffer
        self.maxLineBytes = maxLineBytes
    }

    private var tooLongMessage: String { "line is longer than the \(maxLineBytes)-byte line limit" }

    public var hasBufferedRecord: Bool { input.holdsLineEnd }

    public mutating func next() throws(InputError) -> InputRecord? {
        while true {
            if let end = findLineFeed() {
                let start = input.position
                let lineNumber = line
                line += 1
                input.position = end + 1
                searched = 0
                if skippingLongLine != nil {
                    let first = skippingLongLine!
                    skippingLongLine = nil
                    return InputRecord(line: first, content: .malformed(tooLongMessage))
                }
                if let record = makeRecord(start..<end, line: lineNumber) { return record }
                continue
            }
            // No complete line in the buffer.
            if skippingLongLine != nil {
                input.position = input.bytes.count
                searched = 0
            } else if input.available > maxLineBytes + 1 {  // + 1: a CR may precede the LF
                skippingLongLine = line
                input.position = input.bytes.count
                searched = 0
            } else {
                searched = input.available
            }
            guard try input.fill() else {
                if let first = skippingLongLine {
                    skippingLongLine = nil
                    return InputRecord(line: first, content: .malformed(tooLongMessage))
                }
                guard input.available > 0 else { return nil }
                let start = input.position
                let lineNumber = line
                line += 1
                input.position = input.bytes.count
                searched = 0
                if let record = makeRecord(start..<input.bytes.count, line: lineNumber) { return record }
                return nil
            }
        }
    }

    /// Index of the next line feed at or after `position + searched`, or nil.
    private func findLineFeed() -> Int? {
        let from = input.position + searched
        let count = input.bytes.count
        guard from < count else { return nil }
        return input.bytes.withUnsafeBufferPointer { buf -> Int? in
            let base = buf.baseAddress!
            guard let hit = memchr(base + from, 0x0A, count - from) else { return nil }
            return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
        }
    }

    /// The record for one line's bytes (line feed excluded), or nil for a blank line.
    private func makeRecord(_ range: Range<Int>, line: Int) -> InputRecord? {
        var range = range
        if !range.isEmpty, input.bytes[range.upperBound - 1] == 0x0D { range = range.lowerBound..<(range.upperBound - 1) }
        if range.count > maxLineBytes {
            return InputRecord(line: line, content: .malformed(tooLongMessage))
        }
        return input.bytes.withUnsafeBufferPointer { all -> InputRecord? in
            let bytes = UnsafeBufferPointer(rebasing: all[range])
            if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return nil }
            return InputRecord(line: line, content: JSONLReader.parseRow(bytes))
        }
    }

    /// Parses one JSONL row into fields or a malformed message.
    static func parseRow(_ bytes: UnsafeBufferPointer<UInt8>) -> InputRecord.Content {
        let document: JSONDocument
        do {
            document = try JSONParser.parseDocument(buffer: bytes, maxDepth: JSONParser.defaultMaxDepth)
        } catch {
            return .malformed(error.description)
        }
        guard case .object(let object) = document.value else {
            return .malformed("expected a JSON object, found \(document.value.kindDescription)")
        }
        var payload: [UInt8]? = nil
        if let range = document.valueRange(forKey: "payload") {
            payload = Array(UnsafeBufferPointer(rebasing: bytes[range]))
        }
        return .fields(Fields(object: object, payloadBytes: payload))
    }
}
