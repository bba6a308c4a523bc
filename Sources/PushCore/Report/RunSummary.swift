/// What a run did, in numbers: rows per outcome, HTTP status and reason, latency percentiles,
/// duration and rate. Memory stays bounded whatever the row count (reasons are capped at
/// `maxDistinctReasons`; latencies live in a `LatencyHistogram`).
///
/// `render()` prints a fixed, greppable block, one fact per line:
///
///     apnsctl: sent to api.sandbox.push.apple.com:443 in 12.34s, 8103.2 rows/s, 4 connections
///     rows: 100000 total, 99000 delivered, 700 rejected, 200 failed, 100 invalid
///     statuses: 99000 200, 500 400, 200 410
///     reasons: 500 BadDeviceToken, 200 Unregistered, 200 ConnectionLost, 100 invalid token
///     latency: p50 12.1ms, p90 20.3ms, p99 48.0ms, max 120.5ms
///     connections: 4 opened, 1 GOAWAY
public struct RunSummary: Sendable, Equatable {
    /// Distinct reason texts counted one by one; later new ones count as "other reasons".
    public static let maxDistinctReasons = 64
    /// Reasons listed by `render()`; the rest are summed up as "N more".
    public static let renderedReasons = 10

    /// Where rows were sent; nil when nothing was sent (all rows invalid, dry run).
    public var endpoint: Endpoint?
    /// Epoch milliseconds when the run started.
    public var startedAtMs: Int64
    /// Epoch milliseconds when the run ended; nil means "when the last row settled".
    public var endedAtMs: Int64?
    public var connectionsOpened = 0
    /// GOAWAY frames received (graceful drains and fatal ones alike).
    public var goAways = 0
    /// A dry run (`apnsctl check`): rows are valid or invalid, nothing is sent.
    public var isDryRun = false
    /// Tokens written to the prune list (`--prune-list`); nil when there is none.
    public var prunedTokens: Int?
    /// `--resume`: input rows the report already held, left out of this run; nil when not resuming.
    public var resumedRows: Int?

    public private(set) var total = 0
    private var outcomes = [Int](repeating: 0, count: Outcome.allCases.count)
    /// Rows per HTTP status.
    public var statusCounts: [Int: Int] {
        var counts = otherStatusCounts
        if status200 > 0 { counts[200] = status200 }
        return counts
    }
    /// 200s counted apart (almost every row of a campaign): no dictionary update per row.
    private var status200 = 0
    private var otherStatusCounts: [Int: Int] = [:]
    public private(set) var reasonCounts: [String: Int] = [:]
    /// Rows whose reason arrived after `maxDistinctReasons` others.
    public private(set) var otherReasons = 0
    public private(set) var latency = LatencyHistogram()
    public private(set) var lastFinishedAtMs: Int64?

    public init(endpoint: Endpoint? = nil, startedAtMs: Int64) {
        self.endpoint = endpoint
        self.startedAtMs = startedAtMs
    }

    public mutating func record(_ row: ReportRow) {
        record(outcome: row.outcome, status: row.status, reason: row.reason, latencyMs: row.latencyMs,
               finishedAtMs: row.finishedAtMs)
    }

    /// One row, given by the fields the summary counts.
    mutating func record(outcome: Outcome, status: Int?, reason: String?, latencyMs: Double?, finishedAtMs: Int64) {
        total += 1
        outcomes[Self.index(of: outcome)] += 1
        if status == 200 {
            status200 += 1
        } else if let status {
            otherStatusCounts[status, default: 0] += 1
        }
        if outcome != .delivered && outcome != .valid {
            count(reason: Self.reasonKey(reason: reason, status: status, outcome: outcome))
        }
        if let latencyMs { latency.record(milliseconds: latencyMs) }
        lastFinishedAtMs = Swift.max(lastFinishedAtMs ?? finishedAtMs, finishedAtMs)
    }

    /// Records every row, read in place (a `for row in rows` loop, or a call per row from the class that holds
    /// the summary, copies each row: a retain and a release per string).
    public mutating func record(_ rows: [ReportRow]) {
        rows.withUnsafeBufferPointer { (rows: UnsafeBufferPointer<ReportRow>) -> Void in
            // Fields read through a pointer: passing `rows[index]` to a call that also mutates the summary makes the
            // compiler copy the whole row first.
            guard let first = rows.baseAddress else { return }
            for row in first..<(first + rows.count) {
                record(outcome: row.pointee.outcome, status: row.pointee.status, reason: row.pointee.reason,
                       latencyMs: row.pointee.latencyMs, finishedAtMs: row.pointee.finishedAtMs)
            }
        }
    }

    /// Adds another summary's rows (e.g. one kept per connection thread).
    public mutating func merge(_ other: RunSummary) {
        total += other.total
        for index in outcomes.indices { outcomes[index] += other.outcomes[index] }
        status200 += other.status200
        for (status, n) in other.otherStatusCounts { otherStatusCounts[status, default: 0] += n }
        for (reason, n) in other.reasonCounts { count(reason: reason, times: n) }
        otherReasons += other.otherReasons
        latency.merge(other.latency)
        if let theirs = other.lastFinishedAtMs { lastFinishedAtMs = Swift.max(lastFinishedAtMs ?? theirs, theirs) }
        connectionsOpened += other.connectionsOpened
        goAways += other.goAways
    }

    public func count(_ outcome: Outcome) -> Int {
        outcomes[Self.index(of: outcome)]
    }

    /// 0 when every row was delivered, valid (dry run) or skipped (or there were none), else 1. Fatal
    /// errors (3) and interruptions (130/143) are decided by the caller.
    public var exitStatus: Int32 {
        Outcome.allCases.filter(\.isSuccess).reduce(0) { $0 + count($1) } == total ? 0 : 1
    }

    /// Seconds from start to end (or to the last settled row).
    public var durationSeconds: Double {
        Double(Swift.max(0, (endedAtMs ?? lastFinishedAtMs ?? startedAtMs) - startedAtMs)) / 1000
    }

    /// `headline` replaces the first line (`apnsctl report` names the report and its time span).
    public func render(headline: String? = nil) -> String {
        var lines: [String] = []
        if let headline {
            lines.append(headline)
        } else {
            let duration = durationSeconds
            var first = endpoint.map { "apnsctl: sent to \($0) in " }
                ?? (isDryRun ? "apnsctl: dry run, nothing sent; checked in " : "apnsctl: nothing sent; finished in ")
            first += DecimalText.fixed(duration, decimals: 2) + "s"
            if duration > 0 { first += ", " + DecimalText.fixed(Double(total) / duration, decimals: 1) + " rows/s" }
            if !isDryRun { first += ", \(connectionsOpened) connection" + (connectionsOpened == 1 ? "" : "s") }
            lines.append(first)
        }

        // A dry run has only valid and invalid rows; skipped (--dedupe) rows are listed when there are some.
        let shown = isDryRun
            ? [Outcome.valid, .invalid] + (count(.skipped) > 0 ? [.skipped] : [])
            : [Outcome.delivered, .rejected, .failed, .invalid] + (count(.skipped) > 0 ? [.skipped] : [])
                + (count(.valid) > 0 ? [.valid] : [])
        lines.append("rows: \(total) total, " + shown.map { "\(count($0)) \($0.rawValue)" }.joined(separator: ", "))

        if !isDryRun {
            let statuses = statusCounts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            lines.append("statuses: " + (statuses.isEmpty ? "none" : statuses.map { "\($0.value) \($0.key)" }.joined(separator: ", ")))
        }

        var reasons = reasonCounts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .map { "\($0.value) \($0.key)" }
        if reasons.count > Self.renderedReasons {
            let rest = reasonCounts.values.sorted(by: >).dropFirst(Self.renderedReasons)
            reasons = Array(reasons.prefix(Self.renderedReasons)) + ["\(rest.reduce(0, +)) in \(rest.count) more reasons"]
        }
        if otherReasons > 0 { reasons.append("\(otherReasons) other reasons") }
        lines.append("reasons: " + (reasons.isEmpty ? "none" : reasons.joined(separator: ", ")))

        if let resumedRows {
            lines.append("resumed: \(resumedRows) row\(resumedRows == 1 ? "" : "s") already in the report left out; "
                + "the rows above are this run's")
        }
        if let prunedTokens {
            let left = [Reason.badDeviceToken, .deviceTokenNotForTopic].map { "\(reasonCounts[$0.rawValue] ?? 0) \($0.rawValue)" }
            lines.append("prune list: \(prunedTokens) token\(prunedTokens == 1 ? "" : "s") (Unregistered, ExpiredToken); "
                + "left out: " + left.joined(separator: ", ") + " (they may be valid for the other environment or topic)")
        }
        if isDryRun {
            // Nothing was sent: no statuses, no latencies.
        } else if latency.count == 0 {
            lines.append("latency: none")
        } else {
            let parts = [("p50", latency.percentile(50)), ("p90", latency.percentile(90)),
                         ("p99", latency.percentile(99)), ("max", latency.max)]
            lines.append("latency: " + parts.map { "\($0.0) \(Self.milliseconds($0.1 ?? 0))" }.joined(separator: ", "))
        }
        // Only a run that sent (or tried to) has connections to speak of: not a dry run, not a report read back.
        if endpoint != nil && !isDryRun {
            lines.append("connections: \(connectionsOpened) opened, \(goAways) GOAWAY" + (goAways == 1 ? "" : "s"))
        }
        // Reasons come from servers and from report files: no control character reaches the terminal.
        return lines.map { TerminalText.escape($0) }.joined(separator: "\n") + "\n"
    }

    /// `12.1ms`; two decimals below 10 ms (loopback latencies are sub-millisecond).
    static func milliseconds(_ value: Double) -> String {
        DecimalText.fixed(value, decimals: value < 10 ? 2 : 1) + "ms"
    }

    private mutating func count(reason: String, times: Int = 1) {
        if reasonCounts[reason] != nil || reasonCounts.count < Self.maxDistinctReasons {
            reasonCounts[reason, default: 0] += times
        } else {
            otherReasons += times
        }
    }

    /// The reason a row is counted under. APNs and local reasons as they are; invalid rows' messages
    /// with quoted text and numbers blanked (`token 'ab' is 2 digits` → `token '…' is N digits`), so
    /// one kind of mistake is one entry; line breaks become spaces.
    static func reasonKey(reason: String?, status: Int?, outcome: Outcome) -> String {
        guard let reason, !reason.isEmpty else {
            return status.map { "status \($0)" } ?? "no reason"
        }
        guard outcome == .invalid || outcome == .skipped else { return reason }
        var key = ""
        var inQuote = false
        var previousWasDigit = false
        var previous: Character = " "
        for character in reason {
            defer { previous = character }
            // A quote opens after a space or bracket (`'ab'`), not inside a word (`token's`).
            if character == "'" && (inQuote || !(previous.isLetter || previous.isNumber)) {
                key.append(inQuote ? "…'" : "'")
                inQuote.toggle()
                previousWasDigit = false
                continue
            }
            if inQuote { continue }
            // Numbers are blanked, digits inside a word (`base64`) are not.
            if character.isASCII && character.isNumber && (previousWasDigit || !(previous.isLetter || previous.isNumber)) {
                if !previousWasDigit { key.append("N") }
                previousWasDigit = true
                continue
            }
            previousWasDigit = false
            key.append(character.isNewline ? " " : character)
        }
        if inQuote { key.append("…") }
        return key.count > 80 ? String(key.prefix(79)) + "…" : key
    }

    private static func index(of outcome: Outcome) -> Int {
        switch outcome {
        case .delivered: return 0
        case .rejected: return 1
        case .failed: return 2
        case .invalid: return 3
        case .valid: return 4
        case .skipped: return 5
        }
    }
}
