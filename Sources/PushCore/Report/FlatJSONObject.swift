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

    /// Parses one object with `JSONParser`; whitespace around it is allowed, anything else after it is an error.
    /// Nested objects and arrays and duplicate keys are refused on top of JSON's own rules.
    package static func parse(_ bytes: ArraySlice<UInt8>) throws(FlatJSONError) -> FlatJSONObject {
        let document: JSONDocument
        do {
            document = try JSONParser.parseDocument(bytes)
        } catch {
            throw FlatJSONError(message: error.message, offset: error.offset)
        }
        guard let object = document.value.objectValue else {
            throw FlatJSONError(message: "expected an object, found \(document.value.kindDescription)", offset: 0)
        }
        var members: [(key: String, value: Value)] = []
        members.reserveCapacity(object.count)
        var seen = Set<String>()
        for (index, member) in object.enumerated() {
            let offset = index < document.memberValueRanges.count ? document.memberValueRanges[index].lowerBound : 0
            guard seen.insert(member.key).inserted else {
                throw FlatJSONError(message: "duplicate key '\(member.key)'", offset: offset)
            }
            let value: Value
            switch member.value {
            case .string(let text): value = .string(text)
            case .number(let text): value = .number(text)
            case .bool(let flag): value = .bool(flag)
            case .null: value = .null
            case .array, .object:
                throw FlatJSONError(message: "'\(member.key)' must be a string, number, boolean or null", offset: offset)
            }
            members.append((member.key, value))
        }
        return FlatJSONObject(members: members)
    }

    package static func parse(_ bytes: [UInt8]) throws(FlatJSONError) -> FlatJSONObject {
        try parse(bytes[...])
    }
}

/// A syntax error in a flat JSON object; `offset` counts bytes from the object's first byte.
package struct FlatJSONError: Error, Sendable, Equatable, CustomStringConvertible {
    package var message: String
    package var offset: Int

    package var description: String { "\(message) at column \(offset + 1)" }
}
