/// A fixed list of field names read from every row (the token, the header overrides, the template's placeholders,
/// the `--keep` fields), each known by its slot number (its position in `names`).
///
/// A CSV file's rows share one `ColumnIndex`, so the names are resolved to column positions once, when a row with a
/// new index comes, and every row is then read with `values[position]`: no lookup by name per row, and a name that
/// is not a column costs nothing. JSONL rows are looked up by name.
public struct FieldSlots: Sendable {
    public let names: [String]
    /// The index `positions` were resolved for; held so that its identity cannot be reused by another index.
    private var index: ColumnIndex?
    private var positions: [Int?] = []

    public init(names: [String]) {
        self.names = names
    }

    /// The reader for one row's fields, resolving the positions first when the row's column index is not the
    /// last one's.
    public mutating func reader(for fields: Fields) -> SlotReader {
        guard case .columns(let rowIndex, let values) = fields.storage else { return SlotReader(names: names, fields: fields) }
        if rowIndex !== index {
            index = rowIndex
            positions = names.map { rowIndex.position(of: $0) }
        }
        return SlotReader(values: values, positions: positions)
    }
}

/// One row's fields read by slot (see `FieldSlots`).
public struct SlotReader {
    /// A CSV row: its cells and each slot's column (both empty for a row read by name).
    private let values: [String]
    private let positions: [Int?]
    /// A row read by name (JSONL rows, one-off reads): nil for a CSV row.
    private let byName: (names: [String], fields: Fields)?

    init(values: [String], positions: [Int?]) {
        self.values = values
        self.positions = positions
        self.byName = nil
    }

    /// Looks every slot up by name in `fields` (any kind of row; for one-off reads, nothing is resolved).
    public init(names: [String], fields: Fields) {
        values = []
        positions = []
        byName = (names, fields)
    }

    /// The value in `slot`, exactly `fields.value(named: names[slot])`.
    @inline(__always)   // a few calls per row; inlined, a CSV read is an index check and a retain
    public func value(_ slot: Int) -> FieldValue? {
        if let byName { return byName.fields.value(named: byName.names[slot]) }
        guard let position = positions[slot] else { return nil }
        return .text(values[position])
    }

    /// True for a CSV row: every value is text, and `columnText` reads it without wrapping it in a `FieldValue`
    /// (a multi-payload enum whose copies go through outlined value witnesses: ~250 instructions a read).
    var isColumns: Bool { byName == nil }

    /// A CSV row's text in `slot` (nil when the file has no such column); only for rows where `isColumns`.
    @inline(__always)
    func columnText(_ slot: Int) -> String? {
        guard let position = positions[slot] else { return nil }
        return values[position]
    }

    /// False when no slot in `slots` can have a value (a CSV row whose header has none of those columns), so the
    /// caller can skip reading them; true otherwise.
    public func mayHaveAny(_ slots: ClosedRange<Int>) -> Bool {
        guard byName == nil else { return true }
        return slots.contains { positions[$0] != nil }
    }
}
