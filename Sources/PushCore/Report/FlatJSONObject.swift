/// A JSON object whose values are all scalars (string, number, true/false, null): a report row, a JWT
/// header or claims set. Strict RFC 8259 syntax; nested objects and arrays are refused; duplicate
/// keys are refused (a JWT with two `kid`s is ambiguous).
package struct FlatJSONObject: Sendable, Equatable {
    package enum Value: Sendable, Equatable {
        case string(String)
        /// The number's literal text, exactly as written (convert with Int64(...) or Double(...)).
        case number(String)
        case bool(Bool)
        case null
    }

    package var members: [(key: String, value: Value)]

    package init(members: [(key: String, value: Value)]) {
        self.members = members
    }

    package subscript(key: String) -> Value? {
        members.first { $0.key == key }?.value
    }

    package static func == (lhs: FlatJSONObject, rhs: FlatJSONObject) -> Bool {
        lhs.members.count == rhs.members.count
            && zip(lhs.members, rhs.members).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }

    /// Parses one object; whitespace around it is allowed, anything else after it is an error.
    package static func parse(_ bytes: ArraySlice<UInt8>) throws(FlatJSONError) -> FlatJSONObject {
        var scanner = Scanner(bytes: bytes)
        let object = try scanner.object()
        scanner.skipSpace()
        guard scanner.atEnd else { throw scanner.error("unexpected text after the object") }
        return object
    }

    package static func parse(_ bytes: [UInt8]) throws(FlatJSONError) -> FlatJSONObject {
        try parse(bytes[...])
    }

    private struct Scanner {
        let bytes: ArraySlice<UInt8>
        var index: Int

        init(bytes: ArraySlice<UInt8>) {
            self.bytes = bytes
            self.index = bytes.startIndex
        }

        var atEnd: Bool { index >= bytes.endIndex }

        func error(_ message: String) -> FlatJSONError {
            FlatJSONError(message: message, offset: index - bytes.startIndex)
        }

        mutating func skipSpace() {
            while index < bytes.endIndex {
                switch bytes[index] {
                case 0x20, 0x09, 0x0A, 0x0D: index += 1
                default: return
                }
            }
        }

        mutating func expect(_ byte: UInt8, _ what: String) throws(FlatJSONError) {
            skipSpace()
            guard index < bytes.endIndex, bytes[index] == byte else { throw error("expected \(what)") }
            index += 1
        }

        mutating func object() throws(FlatJSONError) -> FlatJSONObject {
            try expect(UInt8(ascii: "{"), "'{'")
            var members: [(key: String, value: Value)] = []
            skipSpace()
            if index < bytes.endIndex, bytes[index] == UInt8(ascii: "}") {
                index += 1
                return FlatJSONObject(members: members)
            }
            while true {
                skipSpace()
                guard index < bytes.endIndex, bytes[index] == UInt8(ascii: "\"") else { throw error("expected a key") }
                let keyStart = index
                let key = try string()
                if members.contains(where: { $0.key == key }) {
                    index = keyStart
                    throw error("duplicate key '\(key)'")
                }
                try expect(UInt8(ascii: ":"), "':' after key '\(key)'")
                members.append((key, try value(for: key)))
                skipSpace()
                guard index < bytes.endIndex else { throw error("unterminated object") }
                let byte = bytes[index]
                index += 1
                if byte == UInt8(ascii: "}") { return FlatJSONObject(members: members) }
                guard byte == UInt8(ascii: ",") else { index -= 1; throw error("expected ',' or '}'") }
            }
        }

        mutating func value(for key: String) throws(FlatJSONError) -> Value {
            skipSpace()
            guard index < bytes.endIndex else { throw error("missing value for '\(key)'") }
            switch bytes[index] {
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): try literal("true"); return .bool(true)
            case UInt8(ascii: "f"): try literal("false"); return .bool(false)
            case UInt8(ascii: "n"): try literal("null"); return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
            case UInt8(ascii: "{"), UInt8(ascii: "["): throw error("'\(key)' must be a string, number, boolean or null")
            default: throw error("invalid value for '\(key)'")
            }
        }

        mutating func literal(_ word: StaticString) throws(FlatJSONError) {
            let count = word.utf8CodeUnitCount
            guard bytes.endIndex - index >= count,
                  word.withUTF8Buffer({ Array($0) }) == Array(bytes[index..<index + count]) else {
                throw error("invalid literal")
            }
            index += count
        }

        mutating func digits() -> Int {
            let start = index
            while index < bytes.endIndex, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            return index - start
        }

        mutating func number() throws(FlatJSONError) -> String {
            let start = index
            if bytes[index] == UInt8(ascii: "-") { index += 1 }
            let intStart = index
            let intDigits = digits()
            guard intDigits > 0 else { throw error("invalid number") }
            if intDigits > 1 && bytes[intStart] == UInt8(ascii: "0") { index = intStart; throw error("number with a leading zero") }
            if index < bytes.endIndex, bytes[index] == UInt8(ascii: ".") {
                index += 1
                guard digits() > 0 else { throw error("invalid number") }
            }
            if index < bytes.endIndex, bytes[index] | 0x20 == UInt8(ascii: "e") {
                index += 1
                if index < bytes.endIndex, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
                guard digits() > 0 else { throw error("invalid number") }
            }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }

        mutating func hex4() throws(FlatJSONError) -> UInt32 {
            guard bytes.endIndex - index >= 4 else { throw error("truncated \\u escape") }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[index]
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: throw error("invalid \\u escape")
                }
                value = value << 4 | UInt32(digit)
                index += 1
            }
            return value
        }

        mutating func string() throws(FlatJSONError) -> String {
            index += 1  // opening quote
            let start = index
            // Fast path: no escapes.
            while index < bytes.endIndex {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    defer { index += 1 }
                    return String(decoding: bytes[start..<index], as: UTF8.self)
                }
                if byte == UInt8(ascii: "\\") { break }
                if byte < 0x20 { throw error("control character in a string") }
                index += 1
            }
            var output = Array(bytes[start..<index])
            while index < bytes.endIndex {
                let byte = bytes[index]
                index += 1
                switch byte {
                case UInt8(ascii: "\""):
                    return String(decoding: output, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    guard index < bytes.endIndex else { throw error("unterminated string") }
                    let escape = bytes[index]
                    index += 1
                    switch escape {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): output.append(escape)
                    case UInt8(ascii: "b"): output.append(0x08)
                    case UInt8(ascii: "f"): output.append(0x0C)
                    case UInt8(ascii: "n"): output.append(0x0A)
                    case UInt8(ascii: "r"): output.append(0x0D)
                    case UInt8(ascii: "t"): output.append(0x09)
                    case UInt8(ascii: "u"):
                        var scalar = try hex4()
                        if (0xD800..<0xDC00).contains(scalar), bytes.endIndex - index >= 6,
                           bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") {
                            index += 2
                            let low = try hex4()
                            guard (0xDC00..<0xE000).contains(low) else { throw error("invalid surrogate pair") }
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        }
                        let unicode = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                        output.append(contentsOf: String(Character(unicode)).utf8)
                    default:
                        index -= 1
                        throw error("invalid escape")
                    }
                default:
                    if byte < 0x20 { index -= 1; throw error("control character in a string") }
                    output.append(byte)
                }
            }
            throw error("unterminated string")
        }
    }
}

/// A syntax error in a flat JSON object; `offset` counts bytes from the object's first byte.
package struct FlatJSONError: Error, Sendable, Equatable, CustomStringConvertible {
    package var message: String
    package var offset: Int

    package var description: String { "\(message) at column \(offset + 1)" }
}
