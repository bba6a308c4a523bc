extension ReportRow {
    /// True for a token APNs says is gone for good (410 Unregistered or ExpiredToken): safe to delete from
    /// a database. BadDeviceToken and DeviceTokenNotForTopic are not: the token may be valid for the other
    /// environment or another topic.
    public var isPrunable: Bool {
        guard outcome == .rejected, let reason else { return false }
        return reason == Reason.unregistered.rawValue || reason == Reason.expiredToken.rawValue
    }
}

/// `--prune-list FILE`: the tokens to delete, one per line, written as their rows settle (a `.gz` name is
/// compressed). Grows by whole lines and is flushed and synced with the report.
public final class PruneListWriter {
    public let path: String
    public private(set) var tokensWritten = 0
    private let output: LineOutput

    /// Truncates `path`, or appends to it (a resumed run adds to the list of the runs before).
    /// A list it creates gets `fileMode` (less the umask); one that exists keeps its permissions.
    public init(path: String, append: Bool = false, fileMode: UInt32 = FileIO.privateMode) throws {
        self.path = path
        output = try LineOutput(path: path, append: append, mode: fileMode)
    }

    /// Adds the token of every prunable row.
    public func add(_ rows: some Sequence<ReportRow>) {
        for row in rows where row.isPrunable {
            output.buffer.append(contentsOf: row.token.utf8)
            output.buffer.append(0x0A)
            tokensWritten += 1
        }
    }

    public func flush() throws { try output.flush() }
    public func sync() throws { try output.sync() }
    public func syncWritten() throws { try output.syncWritten() }
    public func close(sync: Bool = false) throws { try output.close(sync: sync) }
}
