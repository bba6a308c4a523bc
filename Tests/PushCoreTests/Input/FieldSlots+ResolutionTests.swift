import Testing
@testable import PushCore

@Suite("FieldSlots: names resolved to column positions once per CSV header")
struct FieldSlotsResolutionTests {
    static let names = ["token", "name", "topic", "missing", "a.b"]

    /// Every slot read through `slots` next to the same name looked up in `fields`.
    static func bothWays(_ slots: inout FieldSlots, _ fields: Fields) -> (bySlot: [FieldValue?], byName: [FieldValue?]) {
        let reader = slots.reader(for: fields)
        return (slots.names.indices.map { reader.value($0) }, slots.names.map { fields.value(named: $0) })
    }

    @Test("CSV rows read by position give what a lookup by name gives, absent columns included")
    func csvRowsMatchLookupByName() {
        let index = ColumnIndex(names: ["name", "token", "extra"])
        var slots = FieldSlots(names: Self.names)
        let first = Fields(index: index, values: ["Ann", "aa", "x"])
        let second = Fields(index: index, values: ["Bo", "bb", ""])
        let (firstBySlot, firstByName) = Self.bothWays(&slots, first)
        #expect(firstBySlot == firstByName)
        #expect(firstBySlot == [.text("aa"), .text("Ann"), nil, nil, nil])
        let (secondBySlot, secondByName) = Self.bothWays(&slots, second)
        #expect(secondBySlot == secondByName)
        #expect(secondBySlot == [.text("bb"), .text("Bo"), nil, nil, nil])
    }

    @Test("A row with another column index is resolved again, not read at the old positions")
    func anotherIndexIsResolvedAgain() {
        var slots = FieldSlots(names: Self.names)
        _ = slots.reader(for: Fields(columns: ["name", "token"], values: ["Ann", "aa"]))
        let reordered = Fields(columns: ["topic", "token", "a.b", "name"], values: ["com.x", "cc", "dotted", "Cy"])
        let (bySlot, byName) = Self.bothWays(&slots, reordered)
        #expect(bySlot == byName)
        #expect(bySlot == [.text("cc"), .text("Cy"), .text("com.x"), nil, .text("dotted")])
        let back = Fields(columns: ["name", "token"], values: ["Di", "dd"])
        #expect(Self.bothWays(&slots, back).bySlot == [.text("dd"), .text("Di"), nil, nil, nil])
    }

    @Test("JSONL rows are looked up by name, dotted names reaching into objects")
    func jsonlRowsByName() throws {
        var slots = FieldSlots(names: Self.names)
        _ = slots.reader(for: Fields(columns: ["token"], values: ["aa"]))   // a CSV index resolved before does not leak in
        let fields = try #require(try jsonlRow(#"{"name":"Ann","token":"aa","a":{"b":7},"topic":null}"#).fields)
        let (bySlot, byName) = Self.bothWays(&slots, fields)
        #expect(bySlot == byName)
        #expect(bySlot == [.json("aa"), .json("Ann"), .json(.null), nil, .json(.number("7"))])
    }

    @Test("mayHaveAny is false only for a CSV header with none of the slots' columns")
    func mayHaveAny() throws {
        var slots = FieldSlots(names: Self.names)
        let csv = Fields(columns: ["token", "name"], values: ["aa", "Ann"])
        #expect(slots.reader(for: csv).mayHaveAny(2...4) == false)
        #expect(slots.reader(for: csv).mayHaveAny(1...2) == true)
        let withTopic = Fields(columns: ["token", "topic"], values: ["aa", ""])
        #expect(slots.reader(for: withTopic).mayHaveAny(2...4) == true)
        let jsonl = try #require(try jsonlRow(#"{"token":"aa"}"#).fields)
        #expect(slots.reader(for: jsonl).mayHaveAny(2...4) == true)
        #expect(SlotReader(names: Self.names, fields: csv).mayHaveAny(2...4) == true)
    }
}
