/// `--resume`: the rows an existing report already settled, as (line, token fingerprint) pairs sorted by
/// line, 8 bytes per row (80 MB for 10 million rows).
///
/// Built once from the report before the run; `ResumeMatcher` then walks it alongside the input, whose
/// record lines only grow. Every row in the report counts as settled, whatever its outcome (a `failed` row
/// is retried with `apnsctl report --failed`, not by resuming): so a run interrupted at any point and
/// resumed ends with exactly one row per input row.
public struct ResumeIndex: Sendable {
    /// `line << 32 | fingerprint`, sorted, one per line.
    let entries: [UInt64]
    /// The report's path, for messages.
    public let path: String
    /// What the report holds so far, in numbers: with this run's summary, the whole campaign's.
    public private(set) var settled = RunSummary(startedAtMs: 0)

    public var count: Int { entries.count }

    /// A fingerprint of the token as the report writes it (32 bits of FNV-1a over the lowercased text): the
    /// input and the report name the same row when line and fingerprint agree.
    static func fingerprint(_ token: String) -> UInt64 { UInt64(DuplicateTokens.fnv1a32(token)) }

    init(path: String, entries: [UInt64]) {
        self.path = path
        self.entries = entries
    }

    /// Reads the report at `path`. Refuses a report that mixes a dry run and a real one, whose kept fields
    /// differ from `keep`, or that names two different tokens for one line. A torn last line (a run killed
    /// mid-write) is ignored: the writer cuts it off before appending.
    public static func load(path: String, format: ReportFormat? = nil, dryRun: Bool, keep: [String]) throws -> ResumeIndex {
        let reader = try ReportReader(path: path, format: format)
        reader.ignoresTornLastLine = true
        var pairs: [UInt64] = []
        var settled = RunSummary(startedAtMs: 0)
        var firstFinishedMs: Int64?
        while let row = try reader.next() {
            settled.record(row)
            firstFinishedMs = min(firstFinishedMs ?? row.finishedAtMs, row.finishedAtMs)
            if (row.outcome == .valid) != dryRun && row.outcome != .invalid && row.outcome != .skipped {
                throw ResumeError(dryRun
                    ? "\(path) holds rows of a real run (outcome \(row.outcome.rawValue), line \(row.line)); a dry run "
                        + "cannot resume it: write the dry run's report to another file"
                    : "\(path) holds a dry run's rows (outcome valid, line \(row.line)); nothing was sent for them: "
                        + "write the real run's report to another file, or delete this one")
            }
            guard row.line >= 0, row.line < 1 << 32 else {
                throw ResumeError("\(path): line \(row.line) is beyond what --resume handles (2^32)")
            }
            pairs.append(UInt64(row.line) << 32 | fingerprint(row.token))
        }
        if !reader.keptFields.isEmpty && reader.keptFields != keep {
            throw ResumeError("\(path) was written with --keep \(reader.keptFields.joined(separator: ",")); "
                + "resume with the same --keep")
        }
        pairs.sort()
        var unique: [UInt64] = []
        unique.reserveCapacity(pairs.count)
        for pair in pairs {
            if let last = unique.last, last >> 32 == pair >> 32 {
                if last != pair {
                    throw ResumeError("\(path) has two different tokens for input line \(pair >> 32); it is not one "
                        + "run's report: start a new report")
                }
                continue
            }
            unique.append(pair)
        }
        var index = ResumeIndex(path: path, entries: unique)
        settled.startedAtMs = firstFinishedMs ?? 0
        settled.isDryRun = dryRun
        index.settled = settled
        return index
    }
}

/// Why `--resume` refuses to go on. Nothing has been sent when it is raised.
public struct ResumeError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Walks a `ResumeIndex` alongside the input: says for each input row whether the report already settled
/// it, and refuses an input that does not match the report (edited, reordered, cut short, another shard).
struct ResumeMatcher: Sendable {
    let index: ResumeIndex
    private var position = 0
    private(set) var alreadySettled = 0

    init(index: ResumeIndex) { self.index = index }

    /// True once every report row was matched: from here on, rows are sent as they come.
    var isVerified: Bool { position == index.entries.count }

    enum Match { case settled, new }

    /// The row at input `line` with `token` (as the report would name it). `inThisRun` is false for a row
    /// of another shard, which must not be in the report.
    mutating func match(line: Int, token: String, inThisRun: Bool) throws(ResumeError) -> Match {
        let entries = index.entries
        if position < entries.count, Int(entries[position] >> 32) < line {
            throw missing(Int(entries[position] >> 32))
        }
        guard position < entries.count, Int(entries[position] >> 32) == line else { return .new }
        guard inThisRun else {
            throw ResumeError("\(index.path) has input line \(line), whose token belongs to another shard: resume "
                + "with the --shard the report was written with")
        }
        guard entries[position] & 0xFFFF_FFFF == ResumeIndex.fingerprint(token) else {
            throw ResumeError("input line \(line) has another token than \(index.path) says it had: the input "
                + "changed since the report was written. Resume with the original input, or start a new report")
        }
        position += 1
        alreadySettled += 1
        return .settled
    }

    /// The input has ended: every report row must have been matched.
    func finish() throws(ResumeError) {
        if position < index.entries.count { throw missing(Int(index.entries[position] >> 32)) }
    }

    private func missing(_ line: Int) -> ResumeError {
        ResumeError("\(index.path) has input line \(line), which is not a row of the input (a blank line, past the "
            + "end, or inside another row): the input changed since the report was written. Resume with the "
            + "original input, or start a new report")
    }
}
