/// One input row: where it starts and either its fields or why it could not be read.
public struct InputRecord: Sendable {
    /// 1-based input line where the record starts (for `--device` tokens: the token's position).
    public var line: Int
    public var content: Content

    public enum Content: Sendable {
        case fields(Fields)
        /// The row could not be read; the message says why ("unterminated quoted field ...").
        case malformed(String)
    }

    public init(line: Int, content: Content) {
        self.line = line
        self.content = content
    }

    public var fields: Fields? {
        if case .fields(let f) = content { return f }
        return nil
    }
}

/// A field's value as the input gave it.
public enum FieldValue: Equatable, Sendable {
    /// A CSV cell or a `--device` argument: always text.
    case text(String)
    /// A JSONL member: any JSON value.
    case json(JSONValue)
}

/// Column names of a CSV input with a name → position index, built once per file and shared by
/// every row's `Fields`.
public final class ColumnIndex: Sendable {
    public let names: [String]
    private let positions: [String: Int]

    /// `names` must be unique.
    public init(names: [String]) {
        self.names = names
        var positions = [String: Int](minimumCapacity: names.count)
        for (i, name) in names.enumerated() where positions[name] == nil { positions[name] = i }
        self.positions = positions
    }

    /// A few columns are found faster by comparing names (short names are compared inline, no hashing) than by
    /// hashing; a wide file uses the dictionary. Several lookups happen per row (token, overrides, placeholders).
    public func position(of name: String) -> Int? {
        if names.count <= 12 {
            for i in names.indices where names[i] == name { return i }
            return nil
        }
        return positions[name]
    }
}

/// A row's named values. CSV rows are a column array looked up through the file's shared
/// `ColumnIndex`; JSONL rows are the row's object (lookup by key; a dotted name such as
/// `user.name` also reaches into nested objects when no member has that exact name).
public struct Fields: Sendable {
    enum Storage: Sendable {
        case columns(ColumnIndex, [String])
        case object(JSONObject, payload: [UInt8]?)
    }

    let storage: Storage

    /// A CSV-style row. `values.count` must equal `index.names.count`.
    public init(index: ColumnIndex, values: [String]) {
        precondition(index.names.count == values.count, "one value per column")
        storage = .columns(index, values)
    }

    /// A CSV-style row (builds a column index; readers share one index instead).
    public init(columns: [String], values: [String]) {
        self.init(index: ColumnIndex(names: columns), values: values)
    }

    /// A JSONL row. `payloadBytes` are the original bytes of its `payload` member, if any.
    public init(object: JSONObject, payloadBytes: [UInt8]? = nil) {
        storage = .object(object, payload: payloadBytes)
    }

    /// Field names in input order.
    public var names: [String] {
        switch storage {
        case .columns(let index, _): return index.names
        case .object(let object, _): return object.keys
        }
    }

    /// The value of field `name`, or nil when the row has no such field.
    public func value(named name: String) -> FieldValue? {
        switch storage {
        case .columns(let index, let values):
            guard let i = index.position(of: name) else { return nil }
            return .text(values[i])
        case .object(let object, _):
            if let v = object[name] { return .json(v) }
            // Most absent names (the header overrides, looked up on every row) have no dot. Searching the contiguous
            // bytes costs a few instructions a byte; `String.UTF8View.contains` costs hundreds a call.
            let dotted = name.utf8.withContiguousStorageIfAvailable { $0.contains(UInt8(ascii: ".")) }
                ?? name.utf8.contains(UInt8(ascii: "."))
            guard dotted else { return nil }
            var current = JSONValue.object(object)
            for part in name.split(separator: ".", omittingEmptySubsequences: false) {
                guard case .object(let o) = current, let next = o[String(part)] else { return nil }
                current = next
            }
            return .json(current)
        }
    }

    /// For JSONL rows: the original bytes of the row's `payload` member (whatever its type).
    public var payloadBytes: [UInt8]? {
        if case .object(_, let payload) = storage { return payload }
        return nil
    }

    /// True for rows whose values are JSON (JSONL), false for text rows (CSV, `--device`).
    public var isJSON: Bool {
        if case .object = storage { return true }
        return false
    }
}

/// Produces input records one at a time.
///
/// `next()` throws only for fatal problems (I/O errors); a row that cannot be read comes back as
/// `.malformed` and reading continues with the next row. Returns nil at the end of the input.
public protocol RecordReader {
    mutating func next() throws -> InputRecord?
    /// True when the next record is (almost certainly) buffered already, so `next()` will not wait for the source.
    /// The campaign hands rows to the connections in batches while this is true, and at once when it is not.
    var hasBufferedRecord: Bool { get }
}

extension RecordReader {
    public var hasBufferedRecord: Bool { false }
}

/// Records from `--device TOKEN` arguments: one text field (the token field) per record, with
/// `line` = the token's position (1, 2, 3...).
public struct DeviceListReader: RecordReader, Sendable {
    private let tokens: [String]
    private let index: ColumnIndex
    private var position = 0

    public init(tokens: [String], tokenField: String = "token") {
        self.tokens = tokens
        self.index = ColumnIndex(names: [tokenField])
    }

    public var hasBufferedRecord: Bool { true }

    public mutating func next() -> InputRecord? {
        guard position < tokens.count else { return nil }
        defer { position += 1 }
        return InputRecord(line: position + 1,
                           content: .fields(Fields(index: index, values: [tokens[position]])))
    }
}
