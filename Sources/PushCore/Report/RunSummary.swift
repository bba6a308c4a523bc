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
///     connections: 4 opened, 0 reconnects, 1 GOAWAY
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
    /// Connections opened again after one ended or failed (`ReconnectPolicy`).
    public var reconnects = 0
    /// Times the circuit breaker paused sending for server-wide trouble.
    public var circuitOpenings = 0
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
    /// Rows rejected with APNs' final word about the token itself (see `Reason.isTokenVerdict`): settled, not a
    /// failure of the run.
    public private(set) var tokenVerdicts = 0
    /// Rows answered during a run-level stop (credentials refused, the wrong-environment or Forbidden guard):
    /// left out of the report, like rows never sent, so that `--resume` sends them again after the fix.
    public var stopped = 0

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
        if outcome == .rejected, let reason, Reason.isTokenVerdict(reason) { tokenVerdicts += 1 }
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
        tokenVerdicts += other.tokenVerdicts
        stopped += other.stopped
        latency.merge(other.latency)
        if let theirs = other.lastFinishedAtMs { lastFinishedAtMs = Swift.max(lastFinishedAtMs ?? theirs, theirs) }
        connectionsOpened += other.connectionsOpened
        reconnects += other.reconnects
        circuitOpenings += other.circuitOpenings
        goAways += other.goAways
    }

    public func count(_ outcome: Outcome) -> Int {
        outcomes[Self.index(of: outcome)]
    }

    /// 0 when every row is settled with a final answer about the row: delivered, valid (dry run), skipped as a
    /// duplicate, or rejected because the token is gone or wrong (`tokenVerdicts`); else 1. `strict`: 0 only
    /// when every row was delivered (valid in a dry run). Fatal errors (3) and interruptions (130/143) are
    /// decided by the caller.
    public func exitStatus(strict: Bool) -> Int32 {
        let settled = Outcome.allCases.filter(\.isSuccess).reduce(0) { $0 + count($1) }
        if strict { return settled - count(.skipped) == total && stopped == 0 ? 0 : 1 }
        return settled + tokenVerdicts == total && stopped == 0 ? 0 : 1
    }

    public var exitStatus: Int32 { exitStatus(strict: false) }

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

        lines.append(rowsLine())

        if !isDryRun {
            let statuses = statusCounts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            lines.append("statuses: " + (statuses.isEmpty ? "none" : statuses.map { "\($0.value) \($0.key)" }.joined(separator: ", ")))
        }

        // A reason holding a comma (or a quote) is quoted, JSON style, so the list splits one way only.
        var reasons = reasonCounts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .map { "\($0.value) " + ($0.key.contains(where: { $0 == "," || $0 == "\"" })
                ? String(decoding: JSONWriter.serialize(.string($0.key)), as: UTF8.self) : $0.key) }
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
            lines.append("connections: \(connectionsOpened) opened, \(reconnects) reconnect" + (reconnects == 1 ? "" : "s")
                + ", \(goAways) GOAWAY" + (goAways == 1 ? "" : "s"))
            if circuitOpenings > 0 {
                lines.append("circuit: paused \(circuitOpenings) time" + (circuitOpenings == 1 ? "" : "s")
                    + " for server-wide trouble")
            }
        }
        // Reasons come from servers and from report files: no control character reaches the terminal.
        return lines.map { TerminalText.escape($0) }.joined(separator: "\n") + "\n"
    }

    /// `rows: 100 total, 90 delivered, …`: rows per outcome (`label` names the line). A dry run has only valid and
    /// invalid rows; skipped (--dedupe) and stopped rows are listed when there are some.
    public func rowsLine(label: String = "rows") -> String {
        let shown = isDryRun
            ? [Outcome.valid, .invalid] + (count(.skipped) > 0 ? [.skipped] : [])
            : [Outcome.delivered, .rejected, .failed, .invalid] + (count(.skipped) > 0 ? [.skipped] : [])
                + (count(.valid) > 0 ? [.valid] : [])
        return "\(label): \(total) total, " + shown.map { "\(count($0)) \($0.rawValue)" }.joined(separator: ", ")
            + (stopped > 0 ? "; \(stopped) stopped (answered while the run stopped: not in the report)" : "")
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
    /// with quoted values and numbers blanked (`token 'ab' is 2 digits` → `token '…' is N digits`), so
    /// one kind of mistake is one entry, but field names kept (`template field 'first_name' is missing`);
    /// line breaks become spaces.
    static func reasonKey(reason: String?, status: Int?, outcome: Outcome) -> String {
        guard let reason, !reason.isEmpty else {
            return status.map { "status \($0)" } ?? "no reason"
        }
        guard outcome == .invalid || outcome == .skipped else { return reason }
        var key = ""
        var inQuote = false
        // A field's name is what varies between kinds of mistake, not between rows: kept (`field 'first_name'`).
        var keepQuoted = false
        var previousWasDigit = false
        var previous: Character = " "
        for character in reason {
            defer { previous = character }
            // A quote opens after a space or bracket (`'ab'`), not inside a word (`token's`).
            if character == "'" && (inQuote || !(previous.isLetter || previous.isNumber)) {
                if !inQuote {
                    keepQuoted = key.hasSuffix("field ") || key.hasSuffix("column ")
                }
                key.append(inQuote && !keepQuoted ? "…'" : "'")
                inQuote.toggle()
                previousWasDigit = false
                continue
            }
            if inQuote {
                if keepQuoted { key.append(character) }
                continue
            }
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
