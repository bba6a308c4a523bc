/// Streams RFC 4180 CSV records. The first non-empty row is the header naming the fields
/// (names trimmed of surrounding spaces; must be unique).
///
/// Accepted: quoted fields with commas, doubled quotes and line breaks (a record's `line` is the
/// line where it starts); LF or CRLF line ends; a UTF-8 byte order mark. Empty and
/// whitespace-only lines are skipped. Malformed rows (wrong number of fields, a stray quote,
/// unterminated quote, invalid UTF-8, longer than the line limit) come back as `.malformed`;
/// reading then continues after the row, holding at most about the limit in memory.
public struct CSVReader: RecordReader {
    /// The header's field names, in column order.
    public let columns: [String]
    /// The input's name in messages (path or "stdin").
    public let name: String
    private let index: ColumnIndex
    private var input: InputBuffer
    private var scanner: CSVScanner
    private var values: [String] = []

    /// Reads the header row from `source`. Throws `InputError` for an empty input, an unreadable
    /// header row or duplicate column names.
    public init(source: any ByteSource, name: String, maxLineBytes: Int = InputDefaults.maxLineBytes) throws(InputError) {
        var buffer = InputBuffer(source: source, name: name)
        try buffer.skipByteOrderMark()
        try self.init(buffer: buffer, maxLineBytes: maxLineBytes)
    }

    /// `buffer` must be positioned after any byte order mark.
    init(buffer: InputBuffer, maxLineBytes: Int) throws(InputError) {
        precondition(maxLineBytes > 0, "line limit must be positive")
        self.name = buffer.name
        self.input = buffer
        self.scanner = CSVScanner(maxRecordBytes: maxLineBytes)
        guard try CSVReader.readNonBlank(&input, &scanner) else {
            throw InputError("\(name): the input is empty; expected a header row naming the fields (e.g. token,name)", kind: .unusable)
        }
        let line = scanner.recordLine
        if let message = CSVReader.recordProblem(scanner, columns: nil) {
            throw InputError("\(name): line \(line): cannot read the header row: \(message)", kind: .unusable)
        }
        var names: [String] = []
        var seen = Set<String>(minimumCapacity: scanner.fieldCount)   // a wide header stays linear
        for i in 0..<scanner.fieldCount {
            guard let text = scanner.fieldText(i) else {
                throw InputError("\(name): line \(line): the header row has invalid UTF-8 in field \(i + 1)", kind: .unusable)
            }
            let trimmed = CSVReader.trimSpaces(text)
            if !seen.insert(trimmed).inserted {
                throw InputError("\(name): line \(line): the header row names field '\(trimmed)' twice", kind: .unusable)
            }
            names.append(trimmed)
        }
        self.columns = names
        self.index = ColumnIndex(names: names)
    }

    public var hasBufferedRecord: Bool { input.holdsLineEnd }

    public mutating func next() throws(InputError) -> InputRecord? {
        if let record = nextPlainRecord() { return record }
        guard try CSVReader.readNonBlank(&input, &scanner) else { return nil }
        let line = scanner.recordLine
        if let message = CSVReader.recordProblem(scanner, columns: columns) {
            return InputRecord(line: line, content: .malformed(message))
        }
        // The last row's array, reused: it is this reader's alone again once that row was planned and released (no
        // allocation per row; if the row is still held, `removeAll` gives this reader a new array).
        values.removeAll(keepingCapacity: true)
        for i in 0..<scanner.fieldCount {
            guard let text = scanner.fieldText(i) else {
                return InputRecord(line: line, content: .malformed("invalid UTF-8 in field \(i + 1) ('\(columns[i])')"))
            }
            values.append(text)
        }
        return InputRecord(line: line, content: .fields(Fields(index: index, values: values)))
    }

    /// The common row, read straight from the input buffer in one pass: a whole line already buffered, within the
    /// line limit, ASCII, with no quote and no CR but its line end, not blank, with one value per column. Anything
    /// else (nil, nothing consumed) goes through `CSVScanner`, which handles and explains every other case. Its cells
    /// become Strings without being copied into the scanner's buffer first (about 1,000 instructions a row less).
    private mutating func nextPlainRecord() -> InputRecord? {
        let start = input.position
        guard input.holdsLineEnd else { return nil }
        let columnCount = columns.count
        let limit = scanner.maxRecordBytes
        var cells = values
        values = []   // the array is unique in `cells` while it is filled (no copy on append)
        defer { values = cells }
        let lineFeed: Int? = input.bytes.withUnsafeBufferPointer { all -> Int? in
            let base = all.baseAddress!
            cells.removeAll(keepingCapacity: true)
            var fieldStart = start, visible = false, i = start
            while i < all.count {
                let byte = base[i]
                if byte == 0x0A { break }
                if byte >= 0x80 || byte == UInt8(ascii: "\"") || i - start >= limit { return nil }
                if byte == 0x0D {
                    guard i + 1 < all.count, base[i + 1] == 0x0A else { return nil }   // a CR inside the line
                } else if byte == UInt8(ascii: ",") {
                    guard cells.count < columnCount else { return nil }
                    cells.append(String(decoding: UnsafeBufferPointer(start: base + fieldStart, count: i - fieldStart), as: UTF8.self))
                    fieldStart = i + 1
                    visible = true
                } else if byte != 0x20 && byte != 0x09 {
                    visible = true
                }
                i += 1
            }
            guard i < all.count, visible else { return nil }   // no line end buffered, or a blank line
            let end = i > start && base[i - 1] == 0x0D ? i - 1 : i
            cells.append(String(decoding: UnsafeBufferPointer(start: base + fieldStart, count: end - fieldStart), as: UTF8.self))
            return cells.count == columnCount ? i : nil
        }
        guard let lineFeed else { return nil }
        input.position = lineFeed + 1
        let line = scanner.skipLine()
        return InputRecord(line: line, content: .fields(Fields(index: index, values: cells)))
    }

    /// Scans records until one that is not blank; false at end of input.
    private static func readNonBlank(_ input: inout InputBuffer, _ scanner: inout CSVScanner) throws(InputError) -> Bool {
        while true {
            scanner.beginRecord()
            guard try readRecord(&input, &scanner) else { return false }
            if !scanner.isBlankLine { return true }
        }
    }

    private static func readRecord(_ input: inout InputBuffer, _ scanner: inout CSVScanner) throws(InputError) -> Bool {
        while true {
            if input.available == 0 {
                guard try input.fill() else { return scanner.finishAtEnd() }
            }
            let (used, complete) = scanner.scan(input.bytes, from: input.position)
            input.position += used
            if complete { return true }
        }
    }

    /// Why the completed record cannot be used, or nil. `columns` nil for the header row.
    private static func recordProblem(_ scanner: CSVScanner, columns: [String]?) -> String? {
        if scanner.isTooLong {
            return "row is longer than the \(scanner.maxRecordBytes)-byte line limit"
        }
        func fieldName(_ k: Int) -> String {
            guard let columns, k >= 1, k <= columns.count else { return "field \(k)" }
            return "field \(k) ('\(columns[k - 1])')"
        }
        switch scanner.problem {
        case .bareQuote(let k)?:
            return "\(fieldName(k)): '\"' inside an unquoted field (quote the whole field and double the quotes inside it)"
        case .junkAfterQuote(let k)?:
            return "\(fieldName(k)): unexpected text after the closing quote (expected ',' or the end of the line)"
        case .unterminatedQuote(let line)?:
            return "unterminated quoted field (the quote opened on line \(line) is never closed)"
        case nil:
            break
        }
        if let columns, scanner.fieldCount != columns.count {
            let expected = columns.count == 1 ? "1 field" : "\(columns.count) fields"
            return "expected \(expected), found \(scanner.fieldCount)"
        }
        return nil
    }

    static func trimSpaces(_ text: String) -> String {
        var s = Substring(text)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}
