/// `apnsctl report FILE`: one streaming pass over a report — the summary (counts by outcome, status and
/// reason, latency percentiles, from `RunSummary`), input lines settled more than once, and optionally the
/// rows to retry and the tokens to prune written on the way.
public struct ReportAnalysis: Sendable {
    public var summary: RunSummary
    /// Input lines that have more than one row (a report appended to without `--resume`, or edited).
    public private(set) var duplicateLines = 0
    /// The report's kept fields (`--keep`).
    public var keptFields: [String] = []
    /// A compressed report cut off mid-write: every whole row before the cut was read.
    public var wasTruncated = false
    public var retryRows = 0
    /// With `collectRetries`: the rows worth retrying, line → token (for `RetryFromInput`).
    public var retryTokens: [Int: String] = [:]
    public var prunedTokens = 0
    private var seen = LineSet()

    public init() {
        summary = RunSummary(startedAtMs: 0)
    }

    /// Counts one row.
    public mutating func record(_ row: ReportRow) {
        if summary.total == 0 { summary.startedAtMs = row.finishedAtMs }
        summary.startedAtMs = Swift.min(summary.startedAtMs, row.finishedAtMs)
        summary.record(row)
        if !seen.insert(row.line) { duplicateLines += 1 }
    }

    /// Reads `reader` to its end, writing the rows to retry and the prunable tokens when asked.
    /// `collectRetries` gathers the rows worth retrying into `retryTokens`.
    public static func read(_ reader: ReportReader, retry: RetryInputWriter? = nil,
                            pruneList: PruneListWriter? = nil, collectRetries: Bool = false) throws -> ReportAnalysis {
        var analysis = ReportAnalysis()
        while let row = try reader.next() {
            analysis.record(row)
            if collectRetries, row.isWorthRetrying {
                analysis.retryTokens[row.line] = row.token
                analysis.retryRows += 1
            }
            if let retry, row.isWorthRetrying {
                if retry.rowsWritten == 0 { retry.targetField = reader.naming == .broadcast ? "channel_id" : "token" }
                try retry.write(row, keptFields: reader.keptFields)
                analysis.retryRows += 1
            }
            if let pruneList, row.isPrunable {
                pruneList.add(CollectionOfOne(row))
                analysis.prunedTokens += 1
            }
        }
        if let retry, retry.rowsWritten == 0 { retry.targetField = reader.naming == .broadcast ? "channel_id" : "token" }
        if pruneList != nil { analysis.summary.prunedTokens = analysis.prunedTokens }
        analysis.keptFields = reader.keptFields
        analysis.wasTruncated = reader.wasTruncated
        let hasAnswers = analysis.summary.count(.delivered) + analysis.summary.count(.rejected) + analysis.summary.count(.failed) > 0
        analysis.summary.isDryRun = !hasAnswers && analysis.summary.count(.valid) > 0
        return analysis
    }

    /// The summary block, headed by the report's name and time span, with a line for duplicates.
    public func render(name: String) -> String {
        var text = summary.render(headline: headline(name: name))   // escaped for the terminal
        if duplicateLines > 0 {
            text += "duplicates: \(duplicateLines) row\(duplicateLines == 1 ? "" : "s") for input lines already in the report\n"
        }
        if wasTruncated {
            text += "truncated: the compressed report ends mid-row (a run was killed while writing); every whole row was read\n"
        }
        return text
    }

    private func headline(name: String) -> String {
        guard summary.total > 0, let last = summary.lastFinishedAtMs else { return "\(name): no rows" }
        var start: [UInt8] = [], end: [UInt8] = []
        RFC3339.append(epochMilliseconds: summary.startedAtMs, to: &start)
        RFC3339.append(epochMilliseconds: last, to: &end)
        return "\(name): \(summary.total) rows settled from \(String(decoding: start, as: UTF8.self)) "
            + "to \(String(decoding: end, as: UTF8.self))"
    }
}

/// A set of positive line numbers: a bitmap for the dense part (1.25 MB per 10 million lines), a hash set for
/// line numbers far beyond the rows seen so far. A report row's `line` is untrusted: one row claiming line 9e18
/// must not make the bitmap allocate for every line before it.
struct LineSet: Sendable {
    private var words: [UInt64] = []
    private var sparse: Set<Int> = []
    private var count = 0

    /// The bitmap may always cover this many words (256 Ki lines, 32 KB), and beyond that 4 words per 64 lines
    /// inserted: at most a few bits per row, whatever the line numbers.
    static let freeWords = 1 << 12

    /// Adds `line`; false when it was already there.
    mutating func insert(_ line: Int) -> Bool {
        guard line >= 0 else { return true }
        let word = line >> 6, bit = UInt64(1) << UInt64(line & 63)
        if !sparse.isEmpty, sparse.contains(line) { return false }
        if word >= words.count {
            guard word < Self.freeWords + count / 16 else {
                count += 1
                return sparse.insert(line).inserted
            }
            words.append(contentsOf: repeatElement(0, count: Swift.max(word + 1 - words.count, words.count)))
        }
        if words[word] & bit != 0 { return false }
        words[word] |= bit
        count += 1
        return true
    }

    func contains(_ line: Int) -> Bool {
        guard line >= 0 else { return false }
        if line >> 6 < words.count, words[line >> 6] & (UInt64(1) << UInt64(line & 63)) != 0 { return true }
        return sparse.contains(line)
    }
}
