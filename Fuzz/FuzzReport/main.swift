import FuzzSupport
@testable import PushCore

// The bytes as a report (JSONL or CSV, the first byte picks), read the way `apnsctl report` and `--resume` read
// it: every row, with the torn last line tolerated, into the summary and the duplicate-line set.
runFuzzer { data, size in
    let bytes = fuzzBytes(data, size)
    let format: ReportFormat = (bytes.first ?? 0) & 1 == 0 ? .jsonl : .csv
    let reader = ReportReader(bytes: bytes, format: format, source: "fuzz-report")
    reader.ignoresTornLastLine = true
    var analysis = ReportAnalysis()
    while let row = try? reader.next() { analysis.record(row) }
    _ = analysis.render(name: "fuzz-report")
    return 0
}
