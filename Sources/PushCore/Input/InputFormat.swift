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
public func openRecordReader(path: String, format: InputFormat?, tokenField: String = "token",
                             maxLineBytes: Int = InputDefaults.maxLineBytes) throws -> any RecordReader {
    let source = try FileByteSource(path: path)
    return try openRecordReader(source: source, name: source.name, format: format ?? InputFormat(path: path),
                                tokenField: tokenField, maxLineBytes: maxLineBytes,
                                expectGzip: path.lowercased().hasSuffix(".gz"))
}

/// Returns a reader for the records of `source` (a decompressing source, for instance).
/// `name` is used in messages. Same checks as `openRecordReader(path:...)`.
public func openRecordReader(source: any ByteSource, name: String, format: InputFormat?, tokenField: String = "token",
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
    let resolved: InputFormat
    if let format {
        resolved = format
    } else {
        resolved = InputFormat.detect(firstByte: try buffer.peekFirstNonWhitespace(limit: maxLineBytes))
    }
    switch resolved {
    case .jsonl:
        return JSONLReader(buffer: buffer, maxLineBytes: maxLineBytes)
    case .csv:
        let reader = try CSVReader(buffer: buffer, maxLineBytes: maxLineBytes)
        guard reader.columns.contains(tokenField) else {
            let list = reader.columns.map { "'\($0)'" }.joined(separator: ", ")
            throw InputError("\(name): the header row has no '\(tokenField)' column (its columns: \(list)); "
                + "name the token column with --token-field", kind: .unusable)
        }
        return reader
    }
}
