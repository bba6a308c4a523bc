import Foundation
import Testing
import PushCore

extension EndToEndTests {
    /// Scenarios 3 and 4: runs where every row is delivered exit 0.
    @Suite("Runs where everything is delivered")
    struct Delivered {
        @Test("--device tokens with --payload: exit 0, the JSONL report on stdout")
        func devicesToStdout() throws {
            let fixture = try MockFixture()
            let a = deviceToken("AAAA", 1), b = deviceToken("bbbb", 2)
            let payload = #"{"aps":{"alert":"Hi"},"n":1}"#
            let result = try fixture.send(["--device", a, "--device", b, "--payload", payload,
                                           "--topic", MockFixture.topic] + fixture.connection)
            let log = try fixture.stopMock()

            #expect(result.status == 0, "stderr:\n\(result.stderr)")
            // stdout holds only the report (the summary goes to stderr).
            let rows = try ReportReader(bytes: Array(result.stdout.utf8), format: .jsonl, source: "stdout").readAll()
            let byLine = try ReportFile.rowsByLine(rows)
            #expect(byLine.keys.sorted() == [1, 2])
            #expect(byLine[1]?.token == a.lowercased() && byLine[2]?.token == b)
            #expect(rows.allSatisfy { $0.outcome == .delivered && $0.status == 200 && $0.attempts == 1 })
            #expect(result.stdout.split(separator: "\n").count == 2)
            #expect(result.stderr.contains("rows: 2 total, 2 delivered, 0 rejected, 0 failed, 0 invalid\n"))
            #expect(log.tokens.sorted() == [a.lowercased(), b])
            #expect(try log.request(for: b)["payload"] == ["aps": ["alert": "Hi"], "n": 1])
        }

        @Test("--report x.csv writes a CSV report with its header row")
        func csvReport() throws {
            let fixture = try MockFixture()
            let tokens = (1...3).map { deviceToken("cafe", $0) }
            let input = try fixture.write("in.csv", "token,name\n" + tokens.map { "\($0),N\($0.suffix(1))\n" }.joined())
            let reportPath = fixture.path("x.csv")
            let result = try fixture.send(["--input", input, "--payload", #"{"aps":{"alert":"Hello {{name}}"}}"#,
                                           "--topic", MockFixture.topic, "--report", reportPath] + fixture.connection)
            let log = try fixture.stopMock()

            #expect(result.status == 0, "stderr:\n\(result.stderr)")
            let text = try String(contentsOfFile: reportPath, encoding: .utf8)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.first.map(String.init) == ReportRow.fieldNames.joined(separator: ","))
            #expect(lines.count == 5 && lines.last == "")   // header, 3 rows, final newline
            let byLine = try ReportFile.rowsByLine(try ReportFile.rows(path: reportPath))
            #expect(byLine.keys.sorted() == [2, 3, 4])
            for (i, token) in tokens.enumerated() {
                let row = try #require(byLine[i + 2])
                #expect(row.token == token && row.outcome == .delivered && isUUID(row.apnsID) && isUUID(row.apnsUniqueID))
                #expect(try log.request(for: token)["payload"] == ["aps": ["alert": .string("Hello N\(i + 1)")]])
            }
        }

        @Test("5,000 rows over 2 connections at concurrency 64: all delivered, each token once, two connections")
        func manyRows() throws {
            let fixture = try MockFixture()
            let count = 5_000
            var csv = "token,n\n"
            csv.reserveCapacity(count * 72)
            for i in 1...count { csv += "\(deviceToken("f00d", i)),\(i)\n" }
            let input = try fixture.write("many.csv", csv)
            let reportPath = fixture.path("many.jsonl")
            let result = try fixture.send(["--input", input, "--payload", #"{"aps":{"badge":{{n}}}}"#,
                                           "--topic", MockFixture.topic, "--connections", "2", "--concurrency", "64",
                                           "--report", reportPath] + fixture.connection)
            let log = try fixture.stopMock()

            #expect(result.status == 0, "stderr:\n\(result.stderr)")
            let rows = try ReportFile.rows(path: reportPath)
            let byLine = try ReportFile.rowsByLine(rows)
            #expect(byLine.count == count && byLine.keys.min() == 2 && byLine.keys.max() == count + 1)
            #expect(rows.allSatisfy { $0.outcome == .delivered && $0.attempts == 1 })
            #expect(byLine[2 + 4_321]?.token == deviceToken("f00d", 4_322))

            #expect(log.requests.count == count)
            #expect(Set(log.tokens).count == count)
            #expect(Set(log.tokens) == Set((1...count).map { deviceToken("f00d", $0) }))
            let connections = Set(log.requests.compactMap { $0["connection"]?.intValue })
            #expect(connections.count == 2, "connection ids in the mock log: \(connections.sorted())")
            #expect(!log.text.contains("eyJ"))
        }
    }
}
