/// Appending to a gzip report (`--resume` with `report.jsonl.gz`): the new rows go into a new gzip member
/// after the existing ones (gzip readers read concatenated members as one stream). A file cut off in the
/// middle of a member (a run killed with SIGKILL) is first rewritten to hold exactly its whole lines, so
/// that the new member does not follow a broken one.
enum CompressedAppend {
    /// Checks the existing report at `path` (its first line with `checkFirstLine`) and repairs a cut-off
    /// file. Returns the number of decompressed bytes kept (0: empty or missing).
    static func prepare(path: String, checkFirstLine: ([UInt8]) throws -> Void) throws -> Int {
        guard FileIO.exists(path) else { return 0 }
        var firstLine: [UInt8] = []
        var sawNewline = false
        var total = 0
        var lastNewlineEnd = 0
        let truncated = try decompress(path) { chunk in
            if !sawNewline {
                if let end = chunk.firstIndex(of: 0x0A) {
                    firstLine.append(contentsOf: chunk[..<end])
                    sawNewline = true
                } else if firstLine.count < 64 << 10 {
                    firstLine.append(contentsOf: chunk)
                }
            }
            if let last = chunk.lastIndex(of: 0x0A) { lastNewlineEnd = total + (last - chunk.startIndex) + 1 }
            total += chunk.count
        }
        guard total > 0 else { return 0 }
        try checkFirstLine(firstLine)
        guard truncated || lastNewlineEnd != total else { return total }

        // Rewrite the whole lines into a fresh member, then put it in place of the cut-off file.
        let temporary = path + ".repair-\(FileIO.processID)"
        let output = try LineOutput(path: temporary, append: false, compressed: true)
        // The repaired file takes the place of the old one, and its permissions with it.
        if let mode = FileIO.permissions(path) { FileIO.setPermissions(output.fd, mode) }
        var written = 0
        do {
            _ = try decompress(path) { chunk in
                let take = Swift.min(chunk.count, lastNewlineEnd - written)
                guard take > 0 else { return }
                output.buffer.append(contentsOf: chunk.prefix(take))
                written += take
                if output.buffer.count >= ReportWriter.flushThreshold { try output.flush() }
            }
            try output.close(sync: true)
            try FileIO.rename(temporary, to: path)
        } catch {
            try? output.close()
            FileIO.remove(temporary)
            throw error
        }
        return lastNewlineEnd
    }

    /// Streams the decompressed bytes of `path` to `body`; returns true when the file ends mid-member.
    private static func decompress(_ path: String, _ body: (ArraySlice<UInt8>) throws -> Void) throws -> Bool {
        let file = FileByteSource(fileDescriptor: try FileIO.open(path, .readOnly).rawValue, name: path, closeWhenDone: true)
        let source = try GzipByteSource(source: file, name: path, tolerateTruncation: true)
        var buffer: [UInt8] = []
        while try source.read(into: &buffer, max: 64 << 10) > 0 {
            try body(buffer[...])
            buffer.removeAll(keepingCapacity: true)
        }
        return source.wasTruncated
    }
}
