/// A JSON syntax error: what was wrong and the byte offset where it was found.
/// `description` reads "expected ',' or '}' at column 17" (columns are 1-based byte columns).
public struct JSONError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What is wrong, without the position ("expected ',' or '}'").
    public var message: String
    /// 0-based byte offset into the parsed bytes.
    public var offset: Int

    public init(message: String, offset: Int) {
        self.message = message
        self.offset = offset
    }

    /// 1-based byte column (for single-line input such as a JSONL row).
    public var column: Int { offset + 1 }

    public var description: String { "\(message) at column \(column)" }
}
