/// The input file formats apnsctl reads.
public enum InputFormat: String, Sendable, CaseIterable {
    /// RFC 4180 CSV with a header row.
    case csv
    /// JSON Lines: one JSON object per line.
    case jsonl

    /// The format named by a path's extension (`.csv`; `.jsonl`, `.ndjson`, `.json`), ignoring a
    /// trailing `.gz` and letter case. Nil for `-` (stdin) and other extensions.
    public init?(path: String) {
        var name = Substring(path.lowercased())
        if let slash = name.lastIndex(of: "/") { name = name[name.index(after: slash)...] }
        if name.hasSuffix(".gz") { name = name.dropLast(3) }
        guard let dot = name.lastIndex(of: ".") else { return nil }
        switch name[name.index(after: dot)...] {
        case "csv": self = .csv
        case "jsonl", "ndjson", "json": self = .jsonl
        default: return nil
        }
    }

    /// Guesses the format from the input's first non-whitespace byte: `{` means JSONL, anything
    /// else (or nothing) CSV.
    public static func detect(firstByte: UInt8?) -> InputFormat {
        firstByte == UInt8(ascii: "{") ? .jsonl : .csv
    }
}

/// Opens `path` (`-` for stdin) and returns a reader for its records.
///
/// The format is `format` if given, else the path's extension, else guessed from the first byte.
/// gzip-compressed input (found by its magic bytes, whatever the name) is decompressed as it is read.
/// Throws `InputError` (naming the file): kind `.unreadable` when the file cannot be opened or read (or is
/// named `.gz` but is not gzip), `.unusable` when it is an empty CSV or has a CSV header that cannot be read
/// or has no `tokenField` column (listing the columns it has).
public func openRecordReader(path: String, format: InputFormat?, tokenField: String? = "token",
                             maxLineBytes: Int = InputDefaults.maxLineBytes) throws -> any RecordReader {
    let source = try FileByteSource(path: path)
    return try openRecordReader(source: source, name: source.name, format: format ?? InputFormat(path: path),
                                tokenField: tokenField, maxLineBytes: maxLineBytes,
                                expectGzip: path.lowercased().hasSuffix(".gz"))
}

/// Returns a reader for the records of `source` (a decompressing source, for instance).
/// `name` is used in messages. Same checks as `openRecordReader(path:...)`.
public func openRecordReader(source: any ByteSource, name: String, format: InputFormat?, tokenField: String? = "token",
                             maxLineBytes: Int = InputDefaults.maxLineBytes, expectGzip: Bool = false) throws -> any RecordReader {
    var buffer = InputBuffer(source: source, name: name)
    if try buffer.startsWithGzipMagic() {
        // Decompressed as it is read; the bytes already looked at go first.
        let rest = PrefixedByteSource(prefix: Array(buffer.bytes[buffer.position...]), rest: buffer.source)
        buffer = InputBuffer(source: try GzipByteSource(source: rest, name: name), name: name)
    } else if expectGzip {
        throw InputError("\(name): the name ends in .gz but the data is not gzip-compressed (no gzip header); "
            + "rename the file or compress it")
    }
    try buffer.skipByteOrderMark()
    let firstByte = try buffer.peekFirstNonWhitespace(limit: maxLineBytes)
    let resolved = format ?? InputFormat.detect(firstByte: firstByte)
    // Shapes that would otherwise be read as one odd row, or none: refused before anything is sent.
    if try buffer.lineEndsAreCROnly(limit: maxLineBytes) {
        throw InputError("\(name): its lines end with a carriage return alone (an old Mac export), which reads as one "
            + "line; convert the line ends first, e.g. tr '\\r' '\\n' < old.csv > new.csv", kind: .unusable)
    }
    if resolved == .jsonl && firstByte == UInt8(ascii: "[") {
        throw InputError("\(name): this is a JSON array; apnsctl reads JSONL, one JSON object per line: convert it "
            + "first, e.g. jq -c '.[]' in.json > in.jsonl", kind: .unusable)
    }
    switch resolved {
    case .jsonl:
        return JSONLReader(buffer: buffer, maxLineBytes: maxLineBytes)
    case .csv:
        let reader = try CSVReader(buffer: buffer, maxLineBytes: maxLineBytes)
        if let tokenField, !reader.columns.contains(tokenField) {
            let list = reader.columns.map { "'\($0)'" }.joined(separator: ", ")
            let hint = Suggestion.closest(to: tokenField, among: reader.columns)
                .map { "did you mean '\($0)'? Header names match exactly: rename it, or name it with --token-field" }
                ?? "name the token column with --token-field"
            throw InputError("\(name): the header row has no '\(tokenField)' column (its columns: \(list)); \(hint)",
                             kind: .unusable)
        }
        return reader
    }
}

/// A gzip-compressed input file is checked whole (every member's CRC-32 and length) before anything is sent:
/// a damaged byte can turn one valid token into another, and streaming would only notice at the end. Costs one
/// extra decompression pass; does nothing for a file that is not gzip. Throws the `InputError` that reading
/// would have thrown.
public func verifyCompressedInput(path: String) throws(InputError) {
    let file = try FileByteSource(path: path)
    var head: [UInt8] = []
    do {
        while head.count < 2, try file.read(into: &head, max: 2 - head.count) > 0 {}
    } catch {
        throw InputError("\(path): cannot read: \(error)")
    }
    guard head.count == 2, head[0] == 0x1F, head[1] == 0x8B else { return }
    let source = try GzipByteSource(source: PrefixedByteSource(prefix: head, rest: file), name: file.name)
    var buffer: [UInt8] = []
    buffer.reserveCapacity(InputDefaults.chunkSize)
    do {
        while try source.read(into: &buffer, max: InputDefaults.chunkSize) > 0 { buffer.removeAll(keepingCapacity: true) }
    } catch let error as InputError {
        throw error
    } catch {
        throw InputError("\(path): cannot read: \(error)")
    }
}
