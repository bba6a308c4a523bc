import Testing
@testable import PushCore

@Suite("--shard K/N: a stable hash splits the input exactly once")
struct ShardCoverageTests {
    @Test("FNV-1a 64 matches the reference vectors and ignores letter case")
    func hash() {
        #expect(TokenHash.fnv1a64("") == 0xcbf2_9ce4_8422_2325)
        #expect(TokenHash.fnv1a64("a") == 0xaf63_dc4c_8601_ec8c)
        #expect(TokenHash.fnv1a64("foobar") == 0x8594_4171_f739_67e8)
        #expect(TokenHash.fnv1a64("ABCDEF01") == TokenHash.fnv1a64("abcdef01"))
        // Stable across runs and machines: a fixed token always lands in the same shard.
        #expect(Shard.of(token: "a1b2c3d4", count: 8) == Int(TokenHash.fnv1a64("a1b2c3d4") % 8) + 1)
    }

    @Test("K must be within 1...N")
    func bounds() {
        #expect(Shard(index: 1, count: 1) != nil)
        #expect(Shard(index: 0, count: 4) == nil)
        #expect(Shard(index: 5, count: 4) == nil)
        #expect(Shard(index: 1, count: 0) == nil)
    }

    /// The lines each shard's planner reports or sends.
    static func lines(in shard: Shard?, records: [InputRecord]) -> [Int] {
        let preparer = RowPreparer(template: try! PayloadTemplate(text: #"{"aps":{"alert":"x"}}"#),
                                   defaults: NotificationDefaults(topic: "t"))
        var planner = RowPlanner(plan: RowPlan(preparer: preparer, shard: shard))
        var out: [PlannedRow] = []
        for record in records { try! planner.plan(record, into: &out) }
        return out.map { row in
            switch row {
            case .send(let n, _): return n.line
            case .settle(let r): return r.line
            }
        }
    }

    static let records: [InputRecord] = (2...2001).map { line in
        switch line % 50 {
        case 0: return InputRecord(line: line, content: .malformed("expected 2 fields, found 3"))
        case 1: return csvRecord(line: line, ["token": "not-hex-\(line)"])
        case 2: return csvRecord(line: line, ["token": String(format: "%064X", line)])   // upper case
        default: return csvRecord(line: line, ["token": String(format: "%064x", line * 7919)])
        }
    }

    @Test("N shards together cover every row exactly once, invalid ones included", arguments: [2, 3, 7])
    func coverage(count: Int) {
        let all = Self.lines(in: nil, records: Self.records)
        #expect(all.count == 2000)
        var seen: [Int] = []
        for k in 1...count {
            let mine = Self.lines(in: Shard(index: k, count: count)!, records: Self.records)
            #expect(mine.count > 2000 / count / 2, "shard \(k)/\(count) has only \(mine.count) rows")
            seen += mine
        }
        #expect(seen.sorted() == all.sorted())
    }

    @Test("Upper- and lower-case spellings of a token land in the same shard")
    func caseInsensitive() {
        let token = String(format: "%064x", 123_456_789)
        for k in 1...4 {
            let shard = Shard(index: k, count: 4)!
            let lower = Self.lines(in: shard, records: [csvRecord(line: 2, ["token": token])])
            let upper = Self.lines(in: shard, records: [csvRecord(line: 2, ["token": token.uppercased()])])
            #expect(lower == upper)
        }
    }
}
