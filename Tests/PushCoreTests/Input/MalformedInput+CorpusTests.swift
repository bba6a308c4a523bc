import Testing
@testable import PushCore

/// A source that records the largest buffer a reader ever asked it to append to: how much of the input
/// the reader held in memory at once.
final class MeasuringByteSource: ByteSource {
    private var inner: BufferByteSource
    private(set) var largestBuffer = 0

    init(_ bytes: [UInt8]) { inner = BufferByteSource(bytes) }

    func read(into buffer: inout [UInt8], max: Int) throws -> Int {
        let n = try inner.read(into: &buffer, max: max)
        largestBuffer = Swift.max(largestBuffer, buffer.count)
        return n
    }
}

/// The malformed-input corpus: each input goes through the whole reading side of a run (format detection,
/// reader, preparer, dry-run planner) and must give its expected report rows: line, outcome, reason.
/// Bad input never crashes and is never skipped silently; empty lines are not rows.
@Suite("Malformed input corpus")
struct MalformedInputCorpusTests {
    struct Case: CustomStringConvertible, Sendable {
        var name: String
        var bytes: [UInt8]
        /// (line, outcome, reason) per report row, in input order.
        var expected: [Expected]
        var description: String { name }

        init(_ name: String, _ text: String, _ expected: [Expected]) {
            self.init(name, Array(text.utf8), expected)
        }

        init(_ name: String, _ bytes: [UInt8], _ expected: [Expected]) {
            self.name = name
            self.bytes = bytes
            self.expected = expected
        }
    }

    struct Expected: Equatable, Sendable, CustomStringConvertible {
        var line: Int
        var outcome: Outcome
        var reason: String?
        var description: String { "\(line) \(outcome.rawValue) \(reason ?? "-")" }
        static func valid(_ line: Int) -> Expected { Expected(line: line, outcome: .valid, reason: nil) }
        static func invalid(_ line: Int, _ reason: String) -> Expected { Expected(line: line, outcome: .invalid, reason: reason) }
    }

    static let corpus: [Case] = [
        Case("ragged.csv", "token,name\naa01,Ann\naa02,Bob,extra\naa03\naa04,Dee\n", [
            .valid(2), .invalid(3, "expected 2 fields, found 3"), .invalid(4, "expected 2 fields, found 1"), .valid(5),
        ]),
        Case("unterminated.csv", "token,name\naa01,Ann\naa02,\"Bob\naa03,Cy\n", [
            .valid(2), .invalid(3, "unterminated quoted field (the quote opened on line 3 is never closed)"),
        ]),
        Case("stray-quote.csv", "token,name\naa01,A\"nn\naa02,\"Bob\"x\naa03,Cy\n", [
            .invalid(2, "field 2 ('name'): '\"' inside an unquoted field (quote the whole field and double the quotes inside it)"),
            .invalid(3, "field 2 ('name'): unexpected text after the closing quote (expected ',' or the end of the line)"),
            .valid(4),
        ]),
        Case("invalid.jsonl", "{\"token\":\"aa01\",\"name\":\"A\"}\n{\"token\":\"aa02\",\"name\":}\n{\"token\":\"aa03\"\n{\"token\":\"aa04\",\"name\":\"D\"}\n", [
            .valid(1), .invalid(2, "unexpected '}', expected a value at column 24"),
            .invalid(3, "unexpected end of input, expected ',' or '}' at column 16"), .valid(4),
        ]),
        Case("non-object.jsonl", "{\"token\":\"aa01\",\"name\":\"A\"}\n[1,2]\n\"text\"\n42\nnull\n", [
            .valid(1), .invalid(2, "expected a JSON object, found an array"), .invalid(3, "expected a JSON object, found a string"),
            .invalid(4, "expected a JSON object, found a number"), .invalid(5, "expected a JSON object, found null"),
        ]),
        Case("utf8.csv", Array("token,name\naa01,".utf8) + [0xC3, 0x28] + Array("\naa02,Bob\n".utf8), [
            .invalid(2, "invalid UTF-8 in field 2 ('name')"), .valid(3),
        ]),
        Case("utf8.jsonl", Array("{\"token\":\"aa01\",\"name\":\"".utf8) + [0xFF] + Array("\"}\n{\"token\":\"aa02\",\"name\":\"B\"}\n".utf8), [
            .invalid(1, "invalid UTF-8 (byte 0xFF) at column 25"), .valid(2),
        ]),
        Case("empty-lines.csv", "token,name\n\naa01,A\n   \n\r\n\naa02,B\n\n", [.valid(3), .valid(7)]),
        Case("empty-lines.jsonl", "\n{\"token\":\"aa01\",\"name\":\"A\"}\n\n \t\n\r\n{\"token\":\"aa02\",\"name\":\"B\"}\n", [.valid(2), .valid(6)]),
        Case("bad-values.csv", "token,name,priority\n<aa01 bb>,A,\naa01,,7\nq1w2e3r4t5y6u7i8o9p0a1s2d3+/=,C,\n", [
            .invalid(2, "field 'token': contains spaces or angle brackets; give only the hex digits (e.g. 'abcdef01', not '<abcd ef01>')"),
            .invalid(3, "field 'priority': '7' is not 10, 5 or 1"),
            .invalid(4, "field 'token': looks like base64; device tokens are hex (hex-encode the token's bytes)"),
        ]),
    ]

    static let template = try! PayloadTemplate(text: #"{"aps":{"alert":"Hi {{name}}"}}"#)

    /// The report rows the reading side of a dry run produces for `bytes`.
    static func check(_ bytes: [UInt8], source: (any ByteSource)? = nil, name: String) throws -> [Expected] {
        var reader = try openRecordReader(source: source ?? BufferByteSource(bytes, chunkSize: 7), name: name,
                                          format: InputFormat(path: name))
        var planner = RowPlanner(plan: RowPlan(preparer: RowPreparer(template: template,
                                                                     defaults: NotificationDefaults(topic: "com.example.app")),
                                               dryRun: true))
        var planned: [PlannedRow] = []
        while let record = try reader.next() { try planner.plan(record, into: &planned) }
        try planner.finish(into: &planned)
        return planned.map { row in
            guard case .settle(let r) = row else { return Expected(line: -1, outcome: .failed, reason: "sent in a dry run") }
            return Expected(line: r.line, outcome: r.outcome, reason: r.reason)
        }
    }

    @Test("Each malformed input gives its expected rows, messages and lines", arguments: corpus)
    func corpusCase(_ item: Case) throws {
        #expect(try Self.check(item.bytes, name: item.name) == item.expected)
    }

    @Test("A 10 MB line is refused with a message while memory stays near the 1 MiB line limit",
          arguments: ["huge.jsonl", "huge.csv"])
    func hugeLine(name: String) throws {
        let huge = String(repeating: "x", count: 10_000_000)
        let text = name.hasSuffix(".csv")
            ? "token,name\naa01,\(huge)\naa02,B\n"
            : "{\"token\":\"aa01\",\"name\":\"\(huge)\"}\n{\"token\":\"aa02\",\"name\":\"B\"}\n"
        let source = MeasuringByteSource(Array(text.utf8))
        let rows = try Self.check([], source: source, name: name)
        let what = name.hasSuffix(".csv") ? "row" : "line"
        let first = name.hasSuffix(".csv") ? 2 : 1
        #expect(rows == [.invalid(first, "\(what) is longer than the 1048576-byte line limit"), .valid(first + 1)])
        #expect(source.largestBuffer < 3 * InputDefaults.maxLineBytes, "held \(source.largestBuffer) bytes at once")
    }

    @Test("A CSV without the token column is fatal before any row is read, and says how to fix it")
    func missingTokenColumn() {
        do {
            _ = try Self.check(Array("email,name\nx@example.com,A\n".utf8), name: "people.csv")
            Issue.record("expected a fatal error")
        } catch let error as InputError {
            #expect(error.kind == .unusable)
            #expect(error.message == "people.csv: the header row has no 'token' column (its columns: 'email', 'name'); "
                + "name the token column with --token-field")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
