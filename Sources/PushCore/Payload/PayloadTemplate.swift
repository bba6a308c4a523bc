/// A payload template compiled once and rendered per row by concatenation (no JSON re-parse).
///
/// `{{field}}` inside a JSON string is replaced by the row's value escaped as string content
/// (a JSONL number or boolean gives its literal text, null gives ""). A placeholder standing
/// alone as a value (`"badge": {{badge}}`, also as an array element) takes a JSON number, `true`,
/// `false` or `null`: for CSV the cell text must be exactly such a literal, for JSONL the value
/// must be one. Whitespace inside the braces is allowed (`{{ name }}`); names are
/// `[A-Za-z0-9_.-]+`. Compiling checks that the template, with placeholders filled in, is a JSON object.
///
/// A class, not a struct: the row preparer reads it for every row, and a copy of a class is one retain (a struct's
/// copy retained each of its arrays and strings).
public final class PayloadTemplate: Sendable {
    enum Segment: Sendable, Equatable {
        case literal([UInt8])
        case stringField(String)
        case valueField(String)
    }

    let segments: [Segment]

    /// A placeholder in rendering order, with the literal bytes before it. Plain values: a row is rendered with no
    /// reference counting per segment.
    private struct Step: Sendable {
        /// Bytes of `literals` that come before the placeholder.
        var literal: Range<Int>
        /// The placeholder's field: its position in `fieldNames`; `Step.now` for `{{$now±offset}}`.
        var field: Int
        /// For `{{$now±offset}}`: the offset in seconds.
        var nowDelta: Int32 = 0
        static let now = -1
        /// Inside a JSON string (`stringField`) or standing alone as a value (`valueField`).
        var inString: Bool
    }

    /// The bytes of every literal segment, in order.
    private let literals: [UInt8]
    private let steps: [Step]
    /// Bytes of `literals` after the last placeholder.
    private let tail: Range<Int>
    /// Where the template came from (a path or "--payload"), for messages.
    public let name: String
    /// The field names the template uses, each once, in order of first use.
    public let fieldNames: [String]
    /// The structure every rendered payload has (placeholders are scalars, so keys never vary).
    public let shape: PayloadShape
    /// Payload arrays of sent rows, handed back to be rendered into again (`PayloadBuffers`).
    package let buffers = PayloadBuffers()

    /// Compiles template text. Throws `TemplateError` with line and column for a malformed template.
    public convenience init(text: String, name: String = "template") throws(TemplateError) {
        try self.init(bytes: Array(text.utf8), name: name)
    }

    /// Compiles template bytes (UTF-8; a leading byte order mark is ignored).
    public init(bytes: [UInt8], name: String = "template") throws(TemplateError) {
        var bytes = bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        let (compiled, skeleton) = try TemplateCompiler(bytes: bytes, name: name).compile()
        self.name = name
        self.segments = compiled
        self.shape = PayloadShape(skeleton)
        var names: [String] = []
        var slots: [String: Int] = [:]   // name → its index in `names`: many placeholders stay linear
        var literals: [UInt8] = []
        var steps: [Step] = []
        var literalStart = 0
        for segment in compiled {
            let name: String, inString: Bool
            switch segment {
            case .literal(let b):
                literals.append(contentsOf: b)
                continue
            case .stringField(let n): (name, inString) = (n, true)
            case .valueField(let n): (name, inString) = (n, false)
            }
            if let delta = SendTimeFields.nowOffset(placeholder: name) {   // not an input field: filled in when sent
                steps.append(Step(literal: literalStart..<literals.count, field: Step.now, nowDelta: Int32(delta), inString: inString))
                literalStart = literals.count
                continue
            }
            let slot: Int
            if let known = slots[name] {
                slot = known
            } else {
                slot = names.count
                slots[name] = slot
                names.append(name)
            }
            steps.append(Step(literal: literalStart..<literals.count, field: slot, inString: inString))
            literalStart = literals.count
        }
        self.fieldNames = names
        self.literals = literals
        self.steps = steps
        self.tail = literalStart..<literals.count
        self.hasSendTime = steps.contains { $0.field == Step.now }
    }

    /// True when the template has `{{$now}}` placeholders: its payloads are finished when sent (`SendTimeFields`).
    public let hasSendTime: Bool

    /// Reads and compiles the template file at `path`. Throws `InputError` when the file cannot be
    /// read (or is over 1 MiB) and `TemplateError` when it is not a valid template.
    public static func load(path: String) throws -> PayloadTemplate {
        let source = try FileByteSource(path: path)
        var bytes: [UInt8] = []
        let limit = 1 << 20
        while try source.read(into: &bytes, max: InputDefaults.chunkSize) > 0 {
            if bytes.count > limit {
                throw InputError("\(source.name): the template is larger than \(limit) bytes")
            }
        }
        return try PayloadTemplate(bytes: bytes, name: source.name)
    }

    /// Appends the payload for `fields` to `out`. Throws `RowError` naming the field when a value
    /// is missing or does not fit its placeholder.
    public func render(_ fields: Fields, into out: inout [UInt8]) throws(RowError) {
        try render(SlotReader(names: fieldNames, fields: fields), firstSlot: 0, into: &out)
    }

    /// Appends the payload for the row `reader` reads; the template's field `k` (of `fieldNames`) is in slot
    /// `firstSlot + k`. `{{$now}}` values are the time of rendering.
    func render(_ reader: SlotReader, firstSlot: Int, into out: inout [UInt8]) throws(RowError) {
        let bound = try renderedBound(reader, firstSlot: firstSlot)
        var patches: [SendTimeFields.Patch] = []
        let now = hasSendTime ? Clock.wallSeconds() : 0
        ByteCursor.append(to: &out, atMost: bound) { write(reader, firstSlot: firstSlot, now: now, patches: &patches, to: &$0) }
    }

    /// The payload for the row `reader` reads (see `render(_:firstSlot:into:)`): checked and sized in a first pass,
    /// then written straight into an array of that size (no growing, no append per segment).
    /// The array is one the connections gave back to `buffers` when there is one.
    func render(_ reader: SlotReader, firstSlot: Int) throws(RowError) -> [UInt8] {
        var patches: [SendTimeFields.Patch] = []
        return try render(reader, firstSlot: firstSlot, patches: &patches)
    }

    /// As `render(_:firstSlot:)`, and appends to `patches` where each `{{$now}}` value is (its 10 digits hold the
    /// time of rendering until `SendTimeFields.apply` sets the time of sending).
    func render(_ reader: SlotReader, firstSlot: Int, patches: inout [SendTimeFields.Patch]) throws(RowError) -> [UInt8] {
        let bound = try renderedBound(reader, firstSlot: firstSlot)
        let now = hasSendTime ? Clock.wallSeconds() : 0
        guard var buffer = buffers.take() else {
            return ByteCursor.array(atMost: bound) { write(reader, firstSlot: firstSlot, now: now, patches: &patches, to: &$0) }
        }
        buffer.removeAll(keepingCapacity: true)
        ByteCursor.append(to: &buffer, atMost: bound) { write(reader, firstSlot: firstSlot, now: now, patches: &patches, to: &$0) }
        return buffer
    }

    /// Checks every placeholder's value (throwing `RowError` naming the field) and returns the most bytes the
    /// rendered payload can take: the literals, plus each value as written (6 bytes per byte inside a string,
    /// the worst case of JSON escaping).
    private func renderedBound(_ reader: SlotReader, firstSlot: Int) throws(RowError) -> Int {
        var bound = literals.count
        for step in steps {
            if step.field == Step.now {
                bound += SendTimeFields.width
            } else if reader.isColumns {
                guard let text = reader.columnText(firstSlot + step.field) else {
                    throw RowError("template field '\(fieldNames[step.field])' is missing")
                }
                bound += try textBound(text, step)
            } else {
                bound += try valueBound(reader.value(firstSlot + step.field), step)
            }
        }
        return bound
    }

    private func textBound(_ text: String, _ step: Step) throws(RowError) -> Int {
        if step.inString { return 6 * text.utf8.count }
        guard PayloadTemplate.isScalarLiteral(text) else {
            throw RowError("template field '\(fieldNames[step.field])' must be a JSON number, true, false or null (found \(quoted(text)))")
        }
        return text.utf8.count
    }

    private func valueBound(_ value: FieldValue?, _ step: Step) throws(RowError) -> Int {
        let name = fieldNames[step.field]
        switch value {
        case nil:
            throw RowError("template field '\(name)' is missing")
        case .text(let s)?:
            return try textBound(s, step)
        case .json(.string(let s))? where step.inString:   // a JSON string standing as a value is refused below
            return 6 * s.utf8.count
        case .json(.number(let literal))?:
            return literal.utf8.count
        case .json(.bool)?, .json(.null)?:
            return 5
        case .json(let other)?:
            if step.inString {
                throw RowError("template field '\(name)' is \(other.kindDescription); a placeholder inside a string needs text, a number or a boolean")
            }
            throw RowError("template field '\(name)' must be a JSON number, true, false or null (found \(other.kindDescription))")
        }
    }

    /// Writes the payload of a row `renderedBound` accepted.
    private func write(_ reader: SlotReader, firstSlot: Int, now: Int64, patches: inout [SendTimeFields.Patch],
                       to out: inout ByteCursor) {
        let start = out.position
        literals.withUnsafeBufferPointer { literals in
            for step in steps {
                out.bytes(UnsafeBufferPointer(rebasing: literals[step.literal]))
                if step.field == Step.now {
                    patches.append(SendTimeFields.Patch(offset: Int32(out.position - start), delta: step.nowDelta))
                    out.digits(UInt64(now + Int64(step.nowDelta)), width: SendTimeFields.width)
                    continue
                }
                if reader.isColumns {
                    write(text: reader.columnText(firstSlot + step.field)!, step, to: &out)
                    continue
                }
                switch reader.value(firstSlot + step.field) {
                case .text(let s)?, .json(.string(let s))?: write(text: s, step, to: &out)
                case .json(.number(let literal))?: out.utf8(literal)
                case .json(.bool(let b))?: out.write(b ? "true" : "false")
                // null: nothing inside a string ("" for the value), `null` as a value.
                case .json(.null)?: if !step.inString { out.write("null") }
                case nil, .json?: preconditionFailure("renderedBound accepts only scalar values")
                }
            }
            out.bytes(UnsafeBufferPointer(rebasing: literals[tail]))
        }
    }

    /// Text inside a string is escaped; text standing as a value is a literal `textBound` checked.
    @inline(__always)
    private func write(text: String, _ step: Step, to out: inout ByteCursor) {
        if step.inString {
            ByteCursor.withUTF8(text) { out.jsonStringContent(utf8: $0) }
        } else {
            out.utf8(text)
        }
    }

    /// The payload for `fields`.
    public func render(_ fields: Fields) throws(RowError) -> [UInt8] {
        try render(SlotReader(names: fieldNames, fields: fields), firstSlot: 0)
    }

    static func isScalarLiteral(_ s: String) -> Bool {
        s == "true" || s == "false" || s == "null" || JSONParser.isNumberLiteral(s.utf8)
    }
}

/// `'text'` for messages, shortened when long.
func quoted(_ s: String, limit: Int = 40) -> String {
    s.count <= limit ? "'\(s)'" : "'\(s.prefix(limit))...'"
}

/// A template that cannot be compiled: where and why. `description` reads
/// "welcome.json:3:14: expected ',' or '}', found '\"'".
public struct TemplateError: Error, Sendable, Equatable, CustomStringConvertible {
    public var name: String
    /// 1-based line and byte column in the template.
    public var line: Int
    public var column: Int
    public var message: String

    public init(name: String, line: Int, column: Int, message: String) {
        self.name = name
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String { "\(name):\(line):\(column): \(message)" }
}

/// Why one row cannot be sent (a missing field, a bad token...). The message names the field.
public struct RowError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
