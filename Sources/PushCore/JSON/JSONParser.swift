/// A strict RFC 8259 JSON parser over UTF-8 bytes.
///
/// Rejects: invalid UTF-8, unescaped control characters in strings, unknown escapes, unpaired
/// UTF-16 surrogates, leading zeros, `+1`, `.5`, `1.`, trailing commas, comments, single quotes,
/// `NaN`/`Infinity`, trailing bytes after the value, and nesting deeper than `maxDepth`.
/// Whitespace is space, tab, CR and LF only. Duplicate object keys are kept (see `JSONObject`).
public enum JSONParser {
    public static let defaultMaxDepth = 64

    /// Parses one JSON value filling the whole input (surrounding whitespace allowed).
    public static func parse(_ bytes: some Collection<UInt8>, maxDepth: Int = defaultMaxDepth) throws(JSONError) -> JSONValue {
        try parseDocument(bytes, maxDepth: maxDepth).value
    }

    /// Parses JSON text given as a String.
    public static func parse(_ text: String, maxDepth: Int = defaultMaxDepth) throws(JSONError) -> JSONValue {
        try parse(text.utf8, maxDepth: maxDepth)
    }

    /// Parses one JSON value and, when it is an object, records where each member's value lies in
    /// the input, so that a member (a JSONL row's `payload`) can be used as its original bytes.
    public static func parseDocument(_ bytes: some Collection<UInt8>, maxDepth: Int = defaultMaxDepth) throws(JSONError) -> JSONDocument {
        let fast: Result<JSONDocument, JSONError>? = bytes.withContiguousStorageIfAvailable { buffer in
            Result { () throws(JSONError) -> JSONDocument in try parseDocument(buffer: buffer, maxDepth: maxDepth) }
        }
        if let fast { return try fast.get() }
        let copy = Array(bytes)
        return try copy.withUnsafeBufferPointer { buffer in
            Result { () throws(JSONError) -> JSONDocument in try parseDocument(buffer: buffer, maxDepth: maxDepth) }
        }.get()
    }

    static func parseDocument(buffer: UnsafeBufferPointer<UInt8>, maxDepth: Int) throws(JSONError) -> JSONDocument {
        var parser = JSONScanner(bytes: buffer, maxDepth: maxDepth)
        var ranges: [Range<Int>] = []
        parser.skipWhitespace()
        let value: JSONValue
        if parser.position < buffer.count, buffer[parser.position] == UInt8(ascii: "{") {
            value = .object(try parser.parseObject(depth: 1, valueRanges: &ranges))
        } else {
            value = try parser.parseValue(depth: 0)
        }
        parser.skipWhitespace()
        if parser.position < buffer.count {
            throw parser.error("unexpected \(JSONScanner.describe(buffer[parser.position])) after the JSON value")
        }
        return JSONDocument(value: value, memberValueRanges: ranges)
    }

    /// True when `bytes` is exactly one JSON number (RFC 8259 grammar), with nothing around it.
    public static func isNumberLiteral(_ bytes: some Collection<UInt8>) -> Bool {
        let copy = Array(bytes)
        return copy.withUnsafeBufferPointer { buffer in
            guard !buffer.isEmpty else { return false }
            var scanner = JSONScanner(bytes: buffer, maxDepth: 1)
            guard (try? scanner.scanNumber()) != nil else { return false }
            return scanner.position == buffer.count
        }
    }
}

/// A parsed JSON text plus, for a top-level object, the byte range of each member's value.
public struct JSONDocument: Sendable {
    public var value: JSONValue
    /// For a top-level object, `memberValueRanges[i]` is the byte range (offsets from the start of
    /// the input) of the value of `members[i]`, from its first to its last byte (no whitespace).
    /// Empty when the top-level value is not an object.
    public var memberValueRanges: [Range<Int>]

    public init(value: JSONValue, memberValueRanges: [Range<Int>]) {
        self.value = value
        self.memberValueRanges = memberValueRanges
    }

    /// Byte range of the value of the last top-level member named `key`.
    public func valueRange(forKey key: String) -> Range<Int>? {
        guard case .object(let object) = value, let i = object.lastIndex(forKey: key) else { return nil }
        return memberValueRanges[i]
    }
}

/// The parser's cursor over contiguous bytes. Internal: use `JSONParser`.
struct JSONScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0
    let maxDepth: Int
    /// Reused for strings that need unescaping or UTF-8 validation.
    private var scratch: [UInt8] = []

    init(bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    func error(_ message: String, at offset: Int? = nil) -> JSONError {
        JSONError(message: message, offset: offset ?? position)
    }

    /// "'x'" for printable ASCII, "byte 0xC3" otherwise.
    static func describe(_ byte: UInt8) -> String {
        if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        if byte == 0x20 { return "space" }
        return "byte 0x" + hex2(byte)
    }

    static func hex2(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
    }

    private var found: String {
        position < bytes.count ? JSONScanner.describe(bytes[position]) : "end of input"
    }

    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    mutating func parseValue(depth: Int) throws(JSONError) -> JSONValue {
        skipWhitespace()
        guard position < bytes.count else { throw error("unexpected end of input, expected a value") }
        switch bytes[position] {
        case UInt8(ascii: "{"):
            var ignored: [Range<Int>]? = nil
            return .object(try parseObject(depth: depth + 1, valueRanges: &ignored))
        case UInt8(ascii: "["):
            return .array(try parseArray(depth: depth + 1))
        case UInt8(ascii: "\""):
            return .string(try parseString())
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let range = try scanNumber()
            return .number(String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self))
        default:
            throw error("unexpected \(found), expected a value")
        }
    }

    private mutating func expectLiteral(_ word: StaticString) throws(JSONError) {
        let start = position
        let count = word.utf8CodeUnitCount
        let text = UnsafeBufferPointer(start: word.utf8Start, count: count)
        for k in 0..<count {
            guard position < bytes.count, bytes[position] == text[k] else {
                throw error("invalid literal (expected true, false or null)", at: start)
            }
            position += 1
        }
    }

    private mutating func enter(_ depth: Int) throws(JSONError) {
        if depth > maxDepth { throw error("nesting deeper than \(maxDepth) levels") }
    }

    /// Parses an object at `position` (which holds '{'). Records member value ranges when asked.
    mutating func parseObject(depth: Int, valueRanges: inout [Range<Int>]?) throws(JSONError) -> JSONObject {
        try enter(depth)
        position += 1
        var object = JSONObject()
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
            position += 1
            return object
        }
        while true {
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
                if object.isEmpty { throw error("expected '\"' or '}', found \(found)") }
                if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
                    throw error("trailing comma before '}'")
                }
                throw error("expected '\"' to start a member name, found \(found)")
            }
            let key = try parseString()
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else {
                throw error("expected ':' after member name, found \(found)")
            }
            position += 1
            skipWhitespace()
            let valueStart = position
            let value = try parseValue(depth: depth)
            valueRanges?.append(valueStart..<position)
            object.append(key: key, value: value)
            skipWhitespace()
            guard position < bytes.count else { throw error("unexpected end of input, expected ',' or '}'") }
            switch bytes[position] {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "}"): position += 1; return object
            default: throw error("expected ',' or '}', found \(found)")
            }
        }
    }

    /// Overload used for the top-level object: always records value ranges.
    mutating func parseObject(depth: Int, valueRanges: inout [Range<Int>]) throws(JSONError) -> JSONObject {
        var ranges: [Range<Int>]? = []
        let object = try parseObject(depth: depth, valueRanges: &ranges)
        valueRanges = ranges ?? []
        return object
    }

    private mutating func parseArray(depth: Int) throws(JSONError) -> [JSONValue] {
        try enter(depth)
        position += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
            position += 1
            return elements
        }
        while true {
            skipWhitespace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "]"), !elements.isEmpty {
                throw error("trailing comma before ']'")
            }
            elements.append(try parseValue(depth: depth))
            skipWhitespace()
            guard position < bytes.count else { throw error("unexpected end of input, expected ',' or ']'") }
            switch bytes[position] {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "]"): position += 1; return elements
            default: throw error("expected ',' or ']', found \(found)")
            }
        }
    }

    /// Scans a number at `position`, returning its byte range.
    mutating func scanNumber() throws(JSONError) -> Range<Int> {
        let start = position
        func isDigit(_ i: Int) -> Bool {
            i < bytes.count && bytes[i] >= UInt8(ascii: "0") && bytes[i] <= UInt8(ascii: "9")
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "-") { position += 1 }
        guard isDigit(position) else { throw error("expected a digit, found \(found)") }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
            if isDigit(position) { throw error("leading zeros are not allowed in numbers", at: position - 1) }
        } else {
            while isDigit(position) { position += 1 }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            guard isDigit(position) else { throw error("expected a digit after '.', found \(found)") }
            while isDigit(position) { position += 1 }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                position += 1
            }
            guard isDigit(position) else { throw error("expected a digit in the exponent, found \(found)") }
            while isDigit(position) { position += 1 }
        }
        return start..<position
    }

    /// Parses a string at `position` (which holds '"').
    mutating func parseString() throws(JSONError) -> String {
        let opening = position
        position += 1
        let start = position
        // Fast path: printable ASCII without escapes.
        while position < bytes.count {
            let b = bytes[position]
            if b == UInt8(ascii: "\"") {
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
                position += 1
                return text
            }
            if b == UInt8(ascii: "\\") || b < 0x20 || b >= 0x80 { break }
            position += 1
        }
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<position]))
        while true {
            guard position < bytes.count else {
                throw error("unterminated string (opened at column \(opening + 1))")
            }
            let b = bytes[position]
            switch b {
            case UInt8(ascii: "\""):
                position += 1
                return String(decoding: scratch, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try parseEscape()
            case 0..<0x20:
                throw error("unescaped control character 0x\(JSONScanner.hex2(b)) in string")
            case 0x20..<0x80:
                scratch.append(b)
                position += 1
            default:
                try copyUTF8Sequence()
            }
        }
    }

    private mutating func parseEscape() throws(JSONError) {
        let escapeStart = position
        position += 1
        guard position < bytes.count else { throw error("unterminated string") }
        let c = bytes[position]
        position += 1
        switch c {
        case UInt8(ascii: "\""): scratch.append(0x22)
        case UInt8(ascii: "\\"): scratch.append(0x5C)
        case UInt8(ascii: "/"): scratch.append(0x2F)
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "n"): scratch.append(0x0A)
        case UInt8(ascii: "r"): scratch.append(0x0D)
        case UInt8(ascii: "t"): scratch.append(0x09)
        case UInt8(ascii: "u"):
            let unit = try hex4(escapeStart: escapeStart)
            var scalarValue = UInt32(unit)
            if unit >= 0xD800 && unit <= 0xDBFF {
                let lowStart = position
                guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"),
                      bytes[position + 1] == UInt8(ascii: "u") else {
                    throw error("unpaired surrogate \\u\(hexText(unit)) (a high surrogate must be followed by a \\uDC00-\\uDFFF escape)", at: escapeStart)
                }
                position += 2
                let low = try hex4(escapeStart: lowStart)
                guard low >= 0xDC00 && low <= 0xDFFF else {
                    throw error("unpaired surrogate \\u\(hexText(unit)) (followed by \\u\(hexText(low)), not a low surrogate)", at: escapeStart)
                }
                scalarValue = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
            } else if unit >= 0xDC00 && unit <= 0xDFFF {
                throw error("unpaired surrogate \\u\(hexText(unit)) (a low surrogate without a high one)", at: escapeStart)
            }
            // Valid by construction: surrogates were excluded or combined above.
            scratch.append(contentsOf: UTF8.encode(Unicode.Scalar(scalarValue)!)!)
        default:
            throw error("invalid escape '\\\(Character(Unicode.Scalar(c)))' (use \\\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t or \\uXXXX)", at: escapeStart)
        }
    }

    private func hexText(_ unit: UInt16) -> String {
        JSONScanner.hex2(UInt8(unit >> 8)) + JSONScanner.hex2(UInt8(unit & 0xFF))
    }

    /// Reads the 4 hex digits of a \u escape (position is just after 'u').
    private mutating func hex4(escapeStart: Int) throws(JSONError) -> UInt16 {
        var value: UInt16 = 0
        for _ in 0..<4 {
            guard position < bytes.count, let digit = JSONScanner.hexValue(bytes[position]) else {
                throw error("invalid \\u escape: expected 4 hex digits", at: escapeStart)
            }
            value = value << 4 | UInt16(digit)
            position += 1
        }
        return value
    }

    static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return b - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// Validates one multi-byte UTF-8 sequence at `position` (Unicode Table 3-7) and copies it.
    private mutating func copyUTF8Sequence() throws(JSONError) {
        let lead = bytes[position]
        let length: Int
        var secondLow: UInt8 = 0x80
        var secondHigh: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; secondLow = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; secondHigh = 0x9F
        case 0xF0: length = 4; secondLow = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; secondHigh = 0x8F
        default: throw error("invalid UTF-8 (byte 0x\(JSONScanner.hex2(lead)))")
        }
        guard position + length <= bytes.count else { throw error("invalid UTF-8 (truncated sequence)") }
        let second = bytes[position + 1]
        guard second >= secondLow && second <= secondHigh else {
            throw error("invalid UTF-8 (byte 0x\(JSONScanner.hex2(lead)) followed by 0x\(JSONScanner.hex2(second)))")
        }
        for k in 2..<max(length, 2) where bytes[position + k] & 0xC0 != 0x80 {
            throw error("invalid UTF-8 (truncated sequence)")
        }
        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[position..<(position + length)]))
        position += length
    }
}
