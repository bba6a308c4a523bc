import PushCore

/// One look at a running campaign, taken by the progress ticker.
struct ProgressSample: Sendable, Equatable {
    var progress: CampaignProgress
    /// Nanoseconds since the run started (monotonic).
    var elapsedNanoseconds: UInt64
    /// Input bytes read so far, when the input is a file being counted.
    var bytesRead: Int?
}

/// How much input there is, when apnsctl can know.
enum ProgressTotal: Sendable, Equatable {
    /// A known number of rows (`--device` tokens).
    case rows(Int)
    /// A regular file of this many bytes: progress is shown as the share read.
    case bytes(Int)
    /// stdin, a pipe: only counts.
    case unknown
}

/// The single progress line drawn on a terminal:
///
///     rows 4200/10000, 4100 delivered, 12 rejected, 0 failed, 88 in flight, 2100/s, ETA 2s
///     rows 52000 (52%), 51900 delivered, 30 rejected, 0 failed, 70 in flight, 8100/s, ETA 6s
///
/// Pure: the caller gives the two samples (the rate is taken between them), the total and the width, and
/// writes the line with `\r` and clear-to-end-of-line. Parts are dropped, least useful first, so the line
/// never wraps (a wrapped line cannot be redrawn with `\r`).
enum ProgressLine {
    static func render(current: ProgressSample, previous: ProgressSample?, total: ProgressTotal, width: Int) -> String {
        let progress = current.progress
        let summary = progress.summary
        var rows = "rows \(progress.rowsRead)"
        var estimatedTotal: Double?
        switch total {
        case .rows(let count):
            rows += "/\(count)"
            estimatedTotal = Double(count)
        case .bytes(let size):
            if let read = current.bytesRead, size > 0 {
                rows += " (\(min(100, read * 100 / size))%)"
                if read > 0 { estimatedTotal = Double(progress.rowsRead) * Double(size) / Double(read) }
            }
        case .unknown:
            break
        }

        let rate = Self.rate(current: current, previous: previous)
        var eta: String?
        if let estimatedTotal {
            let remaining = max(0, estimatedTotal - Double(progress.settled))
            if remaining == 0 {
                eta = "ETA 0s"
            } else if rate > 0 {
                eta = "ETA " + duration(seconds: remaining / rate)
            } else {
                eta = "ETA --"
            }
        }

        // Parts in display order, each with its rank in the order they are given up when the line is too
        // long: zero counts first, then in flight, invalid, the rate, the failures, the ETA.
        let rejected = summary.count(.rejected), failed = summary.count(.failed), invalid = summary.count(.invalid)
        var parts: [(text: String, dropRank: Int)] = [
            (rows, 99),
            ("\(summary.count(.delivered)) delivered", 98),
            ("\(rejected) rejected", rejected == 0 ? 0 : 5),
            ("\(failed) failed", failed == 0 ? 0 : 4),
        ]
        if invalid > 0 { parts.append(("\(invalid) invalid", 2)) }
        parts.append(("\(progress.inFlight) in flight", 1))
        parts.append((Self.rateText(rate), 3))
        if let eta { parts.append((eta, 6)) }
        if progress.paused { parts.append(("paused: server trouble", 7)) }

        let limit = max(1, width - 1)
        var line = parts.map(\.text).joined(separator: ", ")
        while line.count > limit, parts.count > 1 {
            let victim = parts.indices.min { parts[$0].dropRank < parts[$1].dropRank }!
            parts.remove(at: victim)
            line = parts.map(\.text).joined(separator: ", ")
        }
        return line.count > limit ? String(line.prefix(limit)) : line
    }

    /// Rows settled per second between the samples (since the start without a previous one).
    static func rate(current: ProgressSample, previous: ProgressSample?) -> Double {
        let base = previous.flatMap { $0.elapsedNanoseconds < current.elapsedNanoseconds ? $0 : nil }
        let settled = Double(current.progress.settled - (base?.progress.settled ?? 0))
        let seconds = Double(current.elapsedNanoseconds - (base?.elapsedNanoseconds ?? 0)) / 1e9
        return seconds > 0 ? max(0, settled / seconds) : 0
    }

    /// `8103/s`, or `2.5/s` below 10.
    static func rateText(_ rate: Double) -> String {
        rate >= 10 ? "\(Int(rate.rounded()))/s" : String(Int((rate * 10).rounded()) / 10) + "."
            + String(Int((rate * 10).rounded()) % 10) + "/s"
    }

    /// `42s`, `12m05s`, `3h02m`.
    static func duration(seconds: Double) -> String {
        guard seconds.isFinite, seconds < 100 * 3600 else { return "--" }
        let total = Int(seconds.rounded(.up))
        if total < 60 { return "\(total)s" }
        if total < 3600 { return "\(total / 60)m" + twoDigits(total % 60) + "s" }
        return "\(total / 3600)h" + twoDigits(total % 3600 / 60) + "m"
    }

    private static func twoDigits(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    /// Erases the line the cursor is on: carriage return, then clear to the end of the line.
    static let erase = "\r\u{1B}[K"
}
