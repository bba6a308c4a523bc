/// The RFC 4180 state machine behind `CSVReader`. It is fed whatever bytes are at hand and keeps
/// its state between calls, so records may span any number of chunks.
///
/// ```
///            ,/LF                 "                 "
///  fieldStart ───▶ (field ends)  ───▶ quoted ◀──────────────┐
///      │ other                        │ "                    │ " (escaped quote)
///      ▼                              ▼                      │
///  unquoted ── , LF ──▶ end       quoteInQuoted ─────────────┘
///      │ "  → bareQuote problem        │ , LF → end;  CR → crAfterQuote (then LF)
///                                      │ other → junkAfterQuote problem
/// ```
///
/// Unescaped field bytes go to `content` (field boundaries in `fieldEnds`). A record longer than
/// `maxRecordBytes` sets `overflow` and stops storing bytes, so memory stays bounded while the
/// scanner still finds where the record ends. The first problem found is kept; the record is still
/// scanned to its end so that reading resumes at the next record.
struct CSVScanner {
    enum State { case fieldStart, unquoted, quoted, quoteInQuoted, crAfterQuote }

    enum Problem: Equatable {
        /// A `"` inside an unquoted field (1-based field number).
        case bareQuote(field: Int)
        /// Something other than `,` or a line end after a closing quote.
        case junkAfterQuote(field: Int)
        /// End of input inside a quoted field that opened on `line`.
        case unterminatedQuote(line: Int)
    }

    let maxRecordBytes: Int
    private(set) var state = State.fieldStart
    private(set) var content: [UInt8] = []
    private(set) var fieldEnds: [Int] = []
    private var fieldStart = 0
    private(set) var anyQuoted = false
    private(set) var rawCount = 0
    /// Set once the record passed the limit (plus one byte for a CR before the LF); bytes are no longer stored.
    private(set) var overflow = false
    /// The record's line end was CRLF (the CR does not count toward the limit).
    private var endedWithCR = false
    private(set) var problem: Problem?
    /// Line number of the next byte to be read.
    private(set) var line = 1
    /// Line where the current record started.
    private(set) var recordLine = 1
    private var quoteLine = 1

    init(maxRecordBytes: Int) {
        self.maxRecordBytes = maxRecordBytes
    }

    /// Starts a new record at the current position.
    mutating func beginRecord() {
        state = .fieldStart
        content.removeAll(keepingCapacity: content.capacity <= 1 << 16)
        fieldEnds.removeAll(keepingCapacity: true)
        fieldStart = 0
        anyQuoted = false
        rawCount = 0
        overflow = false
        endedWithCR = false
        problem = nil
        recordLine = line
    }

    var fieldCount: Int { fieldEnds.count }

    /// Counts a line read by the caller itself (a plain record, `CSVReader.nextPlainRecord`); returns its number.
    mutating func skipLine() -> Int {
        recordLine = line
        line += 1
        return recordLine
    }

    /// The completed record is longer than `maxRecordBytes` (line end excluded).
    var isTooLong: Bool { overflow || rawCount - (endedWithCR ? 1 : 0) > maxRecordBytes }

    /// Field `i` (0-based) of the completed record as text; nil when it is not valid UTF-8.
    func fieldText(_ i: Int) -> String? {
        let range = (i == 0 ? 0 : fieldEnds[i - 1])..<fieldEnds[i]
        return content.withUnsafeBufferPointer { all in
            let bytes = UnsafeBufferPointer(rebasing: all[range])
            // ASCII is valid UTF-8 as it is, and `String(decoding:)` then takes the standard library's specialised
            // path; `String(validating:)` runs unspecialised generic code (about 1,000 instructions a cell).
            if bytes.allSatisfy({ $0 < 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
            return String(validating: bytes, as: UTF8.self)
        }
    }

    /// True for a completed record that is an empty or whitespace-only line.
    var isBlankLine: Bool {
        guard !isTooLong, problem == nil, fieldEnds.count == 1, !anyQuoted else { return false }
        return content.allSatisfy { $0 == 0x20 || $0 == 0x09 }
    }

    /// Consumes `bytes[from...]` up to and including the end of the current record.
    /// Returns how many bytes were consumed and whether the record is complete.
    mutating func scan(_ bytes: [UInt8], from start: Int) -> (consumed: Int, complete: Bool) {
        bytes.withUnsafeBufferPointer { all in
            let buf = UnsafeBufferPointer(rebasing: all[start...])
            let (used, done) = scan(buf)
            return (used, done)
        }
    }

    private static let quote = UInt8(ascii: "\"")
    private static let comma = UInt8(ascii: ",")
    private static let lf = UInt8(0x0A)
    private static let cr = UInt8(0x0D)

    private mutating func scan(_ buf: UnsafeBufferPointer<UInt8>) -> (Int, Bool) {
        let quote = CSVScanner.quote, comma = CSVScanner.comma, lf = CSVScanner.lf, cr = CSVScanner.cr
        let n = buf.count
        var i = 0
        while i < n {
            switch state {
            case .fieldStart:
                let b = buf[i]
                if b == quote {
                    state = .quoted
                    anyQuoted = true
                    quoteLine = line
                    count(1)
                    i += 1
                } else if b == comma {
                    count(1)
                    endField()
                    i += 1
                } else if b == lf {
                    endField()
                    line += 1
                    return (i + 1, true)
                } else {
                    state = .unquoted
                }
            case .unquoted:
                let runStart = i
                while i < n {
                    let b = buf[i]
                    if b == comma || b == lf || b == quote { break }
                    i += 1
                }
                append(UnsafeBufferPointer(rebasing: buf[runStart..<i]))
                guard i < n else { continue }
                let b = buf[i]
                if b == comma {
                    count(1)
                    endField()
                    state = .fieldStart
                    i += 1
                } else if b == lf {
                    stripTrailingCR()
                    endField()
                    line += 1
                    return (i + 1, true)
                } else {
                    if problem == nil { problem = .bareQuote(field: fieldEnds.count + 1) }
                    appendByte(quote)
                    i += 1
                }
            case .quoted:
                let runStart = i
                while i < n {
                    let b = buf[i]
                    if b == quote { break }
                    if b == lf { line += 1 }
                    i += 1
                }
                append(UnsafeBufferPointer(rebasing: buf[runStart..<i]))
                guard i < n else { continue }
                count(1)
                state = .quoteInQuoted
                i += 1
            case .quoteInQuoted:
                let b = buf[i]
                if b == quote {
                    appendByte(quote)
                    state = .quoted
                    i += 1
                } else if b == comma {
                    count(1)
                    endField()
                    state = .fieldStart
                    i += 1
                } else if b == lf {
                    endField()
                    line += 1
                    return (i + 1, true)
                } else if b == cr {
                    count(1)
                    state = .crAfterQuote
                    i += 1
                } else {
                    if problem == nil { problem = .junkAfterQuote(field: fieldEnds.count + 1) }
                    state = .unquoted
                }
            case .crAfterQuote:
                if buf[i] == lf {
                    endedWithCR = true
                    endField()
                    line += 1
                    return (i + 1, true)
                }
                if problem == nil { problem = .junkAfterQuote(field: fieldEnds.count + 1) }
                appendByte(cr)
                state = .unquoted
            }
        }
        return (n, false)
    }

    /// Ends the input. Returns true when a partial record was pending (it is now complete).
    mutating func finishAtEnd() -> Bool {
        if state == .fieldStart && fieldEnds.isEmpty { return false }
        switch state {
        case .quoted: problem = .unterminatedQuote(line: quoteLine)
        case .crAfterQuote: endedWithCR = true
        case .unquoted: stripTrailingCR()
        default: break
        }
        endField()
        state = .fieldStart
        return true
    }

    private mutating func count(_ k: Int) {
        rawCount += k
        if !overflow && rawCount > maxRecordBytes + 1 {
            overflow = true
            content.removeAll(keepingCapacity: true)
            fieldStart = 0
        }
    }

    private mutating func append(_ run: UnsafeBufferPointer<UInt8>) {
        guard !run.isEmpty else { return }
        count(run.count)
        if !overflow { content.append(contentsOf: run) }
    }

    private mutating func appendByte(_ b: UInt8) {
        count(1)
        if !overflow { content.append(b) }
    }

    private mutating func stripTrailingCR() {
        if !overflow, content.count > fieldStart, content.last == CSVScanner.cr {
            content.removeLast()
            endedWithCR = true
        }
    }

    private mutating func endField() {
        let end = overflow ? 0 : content.count
        fieldEnds.append(end)
        fieldStart = end
    }
}
