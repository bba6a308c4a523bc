extension ReportRow {
    /// True for a row worth sending again as it is: no answer (`failed`: connection lost, timeout, the run
    /// stopped), or an answer that means "not now" (429, 5xx, IdleTimeout, Shutdown, provider-token trouble
    /// that a fresh run clears). Rejections about the token or the payload, invalid rows, and delivered,
    /// valid or skipped rows are not.
    public var isWorthRetrying: Bool {
        switch outcome {
        case .failed:
            return true
        case .rejected:
            // The same classes `send` retries (RetryPolicy), only later: transient answers and token trouble.
            switch RetryPolicy.classify(status: status, reason: reason.map(Reason.init(rawValue:))) {
            case .retryable, .reconnect, .refreshToken, .transport: return true
            case .delivered, .final, .credentials: return false
            }
        case .delivered, .invalid, .valid, .skipped:
            return false
        }
    }
}

/// `apnsctl report --failed FILE`: the rows to send again, as a new input for `apnsctl send --input`.
///
/// CSV (a name ending in .csv or .csv.gz) or JSONL (anything else; `-` is stdout), compressed for a .gz
/// name. Each row has `token` (`channel_id` for a broadcast's report), `input_line` (its line in the original input) and the report's kept fields
/// (`--keep`): keep the fields your template uses and the retry file renders with the same template.
public final class RetryInputWriter {
    public let path: String
    public let format: InputFormat
    public private(set) var rowsWritten = 0
    private let output: LineOutput
    private var keptFields: [String] = []
    private var started = false
    /// The first column: `token`, or `channel_id` when the rows come from a broadcast's report (set before writing).
    public var targetField = "token"

    /// A file it creates gets `fileMode` (less the umask); one that exists keeps its permissions.
    public init(path: String, fileMode: UInt32 = FileIO.privateMode) throws {
        self.path = path
        format = ReportFormat(path: path) == .csv ? .csv : .jsonl
        output = try LineOutput(path: path, append: false, mode: fileMode)
    }

    /// Fixes the kept fields and writes the CSV header; done by the first `write` or by `close`.
    private func start(keptFields names: [String]) {
        guard !started else { return }
        started = true
        keptFields = names.filter { $0 != targetField && $0 != "input_line" }
        guard format == .csv else { return }
        var header = Array("\(targetField),input_line".utf8)
        for name in keptFields {
            header.append(UInt8(ascii: ","))
            ReportRowEncoding.appendCSVField(name, to: &header)
        }
        header.append(0x0A)
        output.buffer.append(contentsOf: header)
    }

    /// Writes `row` with the kept values named `keptFields` (fixed by the first call).
    public func write(_ row: ReportRow, keptFields names: [String]) throws {
        start(keptFields: names)
        let values = keptFields.map { name in names.firstIndex(of: name).flatMap { $0 < row.kept.count ? row.kept[$0] : nil } }
        switch format {
        case .csv:
            ReportRowEncoding.appendCSVField(row.token, to: &output.buffer)
            output.buffer.append(UInt8(ascii: ","))
            DecimalText.appendInteger(Int64(row.line), to: &output.buffer)
            for value in values {
                output.buffer.append(UInt8(ascii: ","))
                if let value { ReportRowEncoding.appendCSVField(value.text, to: &output.buffer) }
            }
        case .jsonl:
            output.buffer.append(UInt8(ascii: "{"))
            JSONWriter.appendString(targetField, to: &output.buffer)
            output.buffer.append(UInt8(ascii: ":"))
            JSONWriter.appendString(row.token, to: &output.buffer)
            output.buffer.append(contentsOf: Array(#","input_line":"#.utf8))
            DecimalText.appendInteger(Int64(row.line), to: &output.buffer)
            for (name, value) in zip(keptFields, values) {
                output.buffer.append(UInt8(ascii: ","))
                JSONWriter.appendString(name, to: &output.buffer)
                output.buffer.append(UInt8(ascii: ":"))
                switch value {
                case nil: output.buffer.append(contentsOf: Array("null".utf8))
                case .text(let text)?: JSONWriter.appendString(text, to: &output.buffer)
                case .literal(let literal)?: output.buffer.append(contentsOf: literal.utf8)
                }
            }
            output.buffer.append(UInt8(ascii: "}"))
        }
        output.buffer.append(0x0A)
        rowsWritten += 1
        if output.buffer.count >= ReportWriter.flushThreshold { try output.flush() }
    }

    /// Closes the file; a CSV file without rows still gets its header, naming `keptFields`.
    public func close(keptFields names: [String] = []) throws {
        start(keptFields: names)
        try output.close()
    }
}
