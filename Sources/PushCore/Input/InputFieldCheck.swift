/// Checks, before the first request, that the input has the fields the whole run needs: a mistake of the
/// command line or the template (`{{frist_name}}`, `--keep user_idd`, no payload at all) would otherwise become
/// one `invalid` row per input row. Pure: given the CSV header, or the first JSONL rows, it returns the
/// problem (an `.unusable` `InputError`: exit status 2, nothing sent) or nil.
///
/// | input | a field is missing when | unless |
/// |---|---|---|
/// | CSV | the header row does not name it | a template field, with a `payload` column (rows may bring their own) |
/// | JSONL | none of the first `sampleSize` rows has it (the token field too) | a template field, when a sampled row has its own `payload` |
///
/// A template that fits no push type (`untypedTemplate`, with no `--push-type`) needs a `push_type` field the same
/// way (or rows with their own payload).
///
/// A field missing from only some rows stays a per-row `invalid`. Every message names the field, lists what the
/// input has and suggests the closest name (`Token` for `token`).
public struct InputFieldCheck: Sendable, Equatable {
    /// JSONL rows looked at before anything is sent.
    public static let sampleSize = 100

    public var templateFields: [String]
    public var keep: [String]
    /// True when `--template` or `--payload` gives a payload; else every row must bring its own.
    public var hasTemplate: Bool
    /// The token's field, looked for in JSONL rows (a CSV header without it is refused when the file is opened).
    public var tokenField: String
    /// The template's name when its keys fit no push type and `--push-type` names none: every row then needs
    /// a `push_type` field (`PushTypeRules.untyped`).
    public var untypedTemplate: String?

    public init(templateFields: [String], keep: [String], hasTemplate: Bool, tokenField: String = "token",
                untypedTemplate: String? = nil) {
        self.templateFields = templateFields
        self.keep = keep
        self.hasTemplate = hasTemplate
        self.tokenField = tokenField
        self.untypedTemplate = untypedTemplate
    }

    /// The problem with a CSV input whose header row names `columns`, or nil.
    public func problem(columns: [String], name: String) -> InputError? {
        let list = Self.list(columns)
        let hasPayloadColumn = columns.contains("payload")
        if !hasTemplate && !hasPayloadColumn {
            return InputError("\(name): nothing to send: give --template FILE or --payload JSON, or a 'payload' column "
                + "holding each row's JSON (its columns: \(list))", kind: .unusable)
        }
        if !hasPayloadColumn, let missing = templateFields.first(where: { !columns.contains($0) }) {
            return InputError("\(name): the template uses field '\(missing)', which the header row does not have (its "
                + "columns: \(list))" + Suggestion.clause(for: missing, among: columns), kind: .unusable)
        }
        if !hasPayloadColumn, let untypedTemplate, !columns.contains("push_type") {
            return InputError("\(name): \(PushTypeRules.untyped(untypedTemplate)) (its columns: \(list))", kind: .unusable)
        }
        if let missing = keep.first(where: { !columns.contains($0) }) {
            return InputError("--keep: \(name) has no '\(missing)' column (its columns: \(list))"
                + Suggestion.clause(for: missing, among: columns), kind: .unusable)
        }
        return nil
    }

    /// The problem with a JSONL input whose first rows are `sample` (at most `sampleSize`), or nil. Rows that could
    /// not be read say nothing (they are reported `invalid` one by one).
    public func problem(sample: [InputRecord], name: String) -> InputError? {
        let rows = sample.compactMap(\.fields)
        guard !rows.isEmpty else { return nil }
        let absent = rows.count == 1 ? "which the first row does not have" : "which none of the first \(rows.count) rows has"
        let names = Self.names(in: rows)
        let fields = "(their fields: \(Self.list(names)))"
        let ownPayload = rows.contains { $0.value(named: "payload") != nil }
        if !hasTemplate && !ownPayload {
            return InputError("\(name): nothing to send: give --template FILE or --payload JSON, or a 'payload' object "
                + "in each row, \(absent) \(fields)", kind: .unusable)
        }
        let has = { (field: String) in rows.contains { $0.value(named: field) != nil } }
        if !has(tokenField) {
            return InputError("\(name): no token: field '\(tokenField)', \(absent) \(fields)"
                + (Suggestion.closest(to: tokenField, among: names).map { " (did you mean '\($0)'?)" } ?? "")
                + "; name the token field with --token-field", kind: .unusable)
        }
        if !ownPayload, let missing = templateFields.first(where: { !has($0) }) {
            return InputError("\(name): the template uses field '\(missing)', \(absent) \(fields)"
                + Suggestion.clause(for: missing, among: names), kind: .unusable)
        }
        if !ownPayload, let untypedTemplate, !has("push_type") {
            return InputError("\(name): \(PushTypeRules.untyped(untypedTemplate)), \(absent) \(fields)", kind: .unusable)
        }
        if let missing = keep.first(where: { !has($0) }) {
            return InputError("--keep: field '\(missing)', \(absent) of \(name) \(fields)"
                + Suggestion.clause(for: missing, among: names), kind: .unusable)
        }
        return nil
    }

    /// The field names of `rows`, each once, in the order first seen.
    static func names(in rows: [Fields]) -> [String] {
        var names: [String] = []
        var seen = Set<String>()
        for row in rows {
            for name in row.names where seen.insert(name).inserted { names.append(name) }
        }
        return names
    }

    static func list(_ names: [String]) -> String {
        let shown = names.prefix(20).map { "'\($0)'" }.joined(separator: ", ")
        return names.count > 20 ? shown + ", and \(names.count - 20) more" : shown
    }
}

/// Replays records read ahead (the sample `InputFieldCheck` looks at) before reading on from `base`.
public struct SampledRecordReader<Base: RecordReader>: RecordReader {
    private var base: Base
    private var sample: [InputRecord]
    private var replayed = 0

    /// Reads up to `count` records of `base` ahead; `sample` holds them.
    public init(_ base: Base, count: Int) throws {
        self.base = base
        var sample: [InputRecord] = []
        while sample.count < count, let record = try self.base.next() { sample.append(record) }
        self.sample = sample
    }

    public var sampled: [InputRecord] { sample }

    public var hasBufferedRecord: Bool { replayed < sample.count || base.hasBufferedRecord }

    public mutating func next() throws -> InputRecord? {
        guard replayed < sample.count else { return try base.next() }
        defer { replayed += 1 }
        return sample[replayed]
    }
}
