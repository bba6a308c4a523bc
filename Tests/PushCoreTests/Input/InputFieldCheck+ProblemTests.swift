import Testing
@testable import PushCore

@Suite("InputFieldCheck: the fields the whole run needs, before anything is sent")
struct InputFieldCheckProblemTests {
    private let check = InputFieldCheck(templateFields: ["first_name", "city"], keep: ["user_id"], hasTemplate: true)

    private func records(_ objects: [JSONValue]) -> [InputRecord] {
        objects.enumerated().map { InputRecord(line: $0.offset + 1, content: .fields(Fields(object: $0.element.objectValue!))) }
    }

    @Test("CSV: every placeholder and --keep field must be a column; a typo gets a suggestion")
    func csv() {
        #expect(check.problem(columns: ["token", "first_name", "city", "user_id"], name: "in.csv") == nil)
        let typo = check.problem(columns: ["token", "frist_name", "city", "user_id"], name: "in.csv")
        #expect(typo?.kind == .unusable)
        #expect(typo?.message == "in.csv: the template uses field 'first_name', which the header row does not have (its "
            + "columns: 'token', 'frist_name', 'city', 'user_id') (did you mean 'frist_name'?)")
        #expect(check.problem(columns: ["token", "first_name", "city", "User_ID"], name: "in.csv")?.message
            == "--keep: in.csv has no 'user_id' column (its columns: 'token', 'first_name', 'city', 'User_ID') (did you mean 'User_ID'?)")
        // Rows that bring their own payload need no template fields.
        #expect(check.problem(columns: ["token", "payload", "user_id"], name: "in.csv") == nil)
        let none = InputFieldCheck(templateFields: [], keep: [], hasTemplate: false)
        #expect(none.problem(columns: ["token"], name: "in.csv")?.message.hasPrefix("in.csv: nothing to send") == true)
        #expect(none.problem(columns: ["token", "payload"], name: "in.csv") == nil)
    }

    @Test("JSONL: a field stops the run only when none of the sampled rows has it")
    func jsonl() {
        let some = records([["token": "aa", "first_name": "A", "city": "X", "user_id": 1],
                            ["token": "bb", "user_id": 2]])
        #expect(check.problem(sample: some, name: "in.jsonl") == nil, "missing in some rows: those rows are invalid")
        let none = records([["token": "aa", "frist_name": "A", "city": "X", "user_id": 1],
                            ["token": "bb", "frist_name": "B", "city": "Y", "user_id": 2]])
        #expect(check.problem(sample: none, name: "in.jsonl")?.message == "in.jsonl: the template uses field 'first_name', "
            + "which none of the first 2 rows has (their fields: 'token', 'frist_name', 'city', 'user_id') (did you mean 'frist_name'?)")
        let noToken = records([["device": "aa", "first_name": "A", "city": "X", "user_id": 1]])
        #expect(check.problem(sample: noToken, name: "in.jsonl")?.message == "in.jsonl: no token: field 'token', which the "
            + "first row does not have (their fields: 'device', 'first_name', 'city', 'user_id'); name the token field "
            + "with --token-field")
        let unreadable = [InputRecord(line: 1, content: .malformed("expected a JSON object"))]
        #expect(check.problem(sample: unreadable, name: "in.jsonl") == nil, "unreadable rows are reported one by one")
    }

    @Test("The sampling reader replays what it read ahead, then reads on")
    func sampling() throws {
        var reader = try SampledRecordReader(DeviceListReader(tokens: ["a1", "a2", "a3"]), count: 2)
        #expect(reader.sampled.map(\.line) == [1, 2])
        var lines: [Int] = []
        while let record = try reader.next() { lines.append(record.line) }
        #expect(lines == [1, 2, 3])
    }
}
