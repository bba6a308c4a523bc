/// A JSON value. Numbers keep their text exactly as written (`1.50`, `-0`, `1e3`), so a value read
/// from input is written out unchanged and no precision is lost.
public enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    /// The number's text as written; always valid RFC 8259 number syntax when it comes from `JSONParser`.
    case number(String)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var objectValue: JSONObject? {
        if case .object(let o) = self { return o }
        return nil
    }

    /// The kind of value with its article, for messages: "a string", "an object", "null".
    public var kindDescription: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}

/// A JSON object that keeps its members in input order.
///
/// Duplicate keys are kept as written; lookup by key returns the **last** member with that key
/// (as JavaScript's `JSON.parse` does).
public struct JSONObject: Equatable, Sendable, RandomAccessCollection {
    public struct Member: Equatable, Sendable {
        public var key: String
        public var value: JSONValue
        public init(key: String, value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    /// Members in input order, duplicates included.
    public private(set) var members: [Member]
    /// Key → index of the last member with that key; only built for larger objects.
    private var index: [String: Int]?

    private static let indexThreshold = 12

    public init(_ members: [Member] = []) {
        self.members = members
        self.index = nil
        if members.count > JSONObject.indexThreshold { rebuildIndex() }
    }

    public init(_ pairs: KeyValuePairs<String, JSONValue>) {
        self.init(pairs.map { Member(key: $0.key, value: $0.value) })
    }

    private mutating func rebuildIndex() {
        var map = [String: Int](minimumCapacity: members.count)
        for (i, m) in members.enumerated() { map[m.key] = i }
        index = map
    }

    /// The value of the last member named `key`, or nil.
    public subscript(key: String) -> JSONValue? {
        guard let i = lastIndex(forKey: key) else { return nil }
        return members[i].value
    }

    /// Index in `members` of the last member named `key`.
    public func lastIndex(forKey key: String) -> Int? {
        if let index { return index[key] }
        var i = members.count - 1
        while i >= 0 {
            if members[i].key == key { return i }
            i -= 1
        }
        return nil
    }

    public var keys: [String] { members.map(\.key) }

    /// Appends a member (a duplicate key shadows earlier ones for lookup).
    public mutating func append(key: String, value: JSONValue) {
        members.append(Member(key: key, value: value))
        if index != nil {
            index![key] = members.count - 1
        } else if members.count > JSONObject.indexThreshold {
            rebuildIndex()
        }
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { members.count }
    public subscript(position: Int) -> Member { members[position] }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool { lhs.members == rhs.members }
}

extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int) { self = .number(String(value)) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(JSONObject(elements.map { JSONObject.Member(key: $0.0, value: $0.1) }))
    }
}
