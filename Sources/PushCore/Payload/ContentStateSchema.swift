/// `--content-state-schema`: the keys of the app's `ActivityAttributes.ContentState` and their JSON types, so that a
/// `content-state` the app could not decode (a missing key, a string for a number) is refused before it is sent.
/// APNs accepts such a payload and the app drops it without a word.
///
/// The file is a JSON object, key → type: `"string"`, `"number"`, `"integer"`, `"boolean"`, `"object"` or
/// `"array"`; a trailing `?` marks an optional key (a Swift optional: it may be missing or null). Keys the schema does
/// not name are allowed (the default decoding ignores them). Example: `{"score": "integer", "note": "string?"}`.
public struct ContentStateSchema: Sendable, Equatable {
    public enum ValueType: String, Sendable, Equatable, CaseIterable {
        case string, number, integer, boolean, object, array

        func admits(_ value: JSONValue) -> Bool {
            switch (self, value) {
            case (.string, .string), (.boolean, .bool), (.object, .object), (.array, .array), (.number, .number): return true
            case (.integer, .number(let text)): return LiveActivityRules.isInteger(text)
            default: return false
            }
        }
    }

    public struct Field: Sendable, Equatable {
        public var key: String
        public var type: ValueType
        public var optional: Bool
        public init(key: String, type: ValueType, optional: Bool = false) {
            self.key = key
            self.type = type
            self.optional = optional
        }
    }

    /// In the file's order.
    public var fields: [Field]

    public init(fields: [Field]) { self.fields = fields }

    /// Reads a schema from its JSON text; `name` (the file) starts each message.
    public init(json bytes: some Collection<UInt8>, name: String) throws(InputError) {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            throw InputError("\(name): not valid JSON: \(error.description)")
        }
        guard case .object(let object) = value else {
            throw InputError("\(name): must be a JSON object of ContentState keys and their types, found \(value.kindDescription)")
        }
        let names = ValueType.allCases.map(\.rawValue).joined(separator: ", ")
        var fields: [Field] = []
        for member in object.members {
            guard case .string(var text) = member.value else {
                throw InputError("\(name): key '\(member.key)': the type must be a string (\(names), '?' at the end if optional)")
            }
            let optional = text.hasSuffix("?")
            if optional { text.removeLast() }
            guard let type = ValueType(rawValue: text) else {
                throw InputError("\(name): key '\(member.key)': \(quoted(text)) is not a type (\(names), '?' at the end if optional)")
            }
            fields.removeAll { $0.key == member.key }
            fields.append(Field(key: member.key, type: type, optional: optional))
        }
        self.fields = fields
    }

    /// Reads the schema file at `path`.
    public static func load(path: String) throws -> ContentStateSchema {
        let source = try FileByteSource(path: path)
        var bytes: [UInt8] = []
        while try source.read(into: &bytes, max: InputDefaults.chunkSize) > 0 {
            if bytes.count > 1 << 20 { throw InputError("\(source.name): the schema is larger than 1 MiB") }
        }
        return try ContentStateSchema(json: bytes, name: source.name)
    }

    /// Throws a `RowError` starting with `label` for the first key that would not decode.
    public func check(_ state: JSONObject, label: String) throws(RowError) {
        for field in fields {
            switch state[field.key] {
            case nil, .null?:
                if field.optional { continue }
                let found = state[field.key] == nil ? "missing" : "null"
                throw RowError("\(label): key '\(field.key)' is \(found); the app's ContentState needs \(field.type.article) \(field.type.rawValue)")
            case let value?:
                guard field.type.admits(value) else {
                    throw RowError("\(label): key '\(field.key)' is \(value.kindDescription) (\(LiveActivityRules.shown(value))); "
                        + "the app's ContentState decodes \(field.type.article) \(field.type.rawValue)")
                }
            }
        }
    }
}

extension ContentStateSchema.ValueType {
    var article: String { self == .integer || self == .object || self == .array ? "an" : "a" }
}
