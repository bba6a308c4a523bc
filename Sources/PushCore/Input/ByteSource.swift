/// Something bytes are read from in chunks: a file, stdin, a memory buffer, later a gzip stream.
public protocol ByteSource {
    /// Appends up to `max` bytes to the end of `buffer` and returns how many were appended;
    /// 0 means end of input. Throws on I/O errors (with a message naming the input).
    mutating func read(into buffer: inout [UInt8], max: Int) throws -> Int
}

/// Sizes used by the readers.
public enum InputDefaults {
    /// Bytes requested from a source per read.
    public static let chunkSize = 64 * 1024
    /// Longest line (CSV: record) accepted; longer ones are reported as malformed and skipped.
    public static let maxLineBytes = 1024 * 1024
}

/// Reads a file, or stdin for the path `-`, with `read(2)`, one chunk at a time.
public final class FileByteSource: ByteSource {
    /// The path as given, or "stdin"; used in messages.
    public let name: String
    private let descriptor: Int32
    private let closeOnDeinit: Bool

    /// Opens `path` for reading; `-` means standard input.
    public init(path: String) throws(InputError) {
        if path == "-" {
            self.name = "stdin"
            self.descriptor = 0
            self.closeOnDeinit = false
            return
        }
        let fd: FileDescriptor
        do throws(Errno) {
            fd = try FileDescriptor.open(path, .readOnly)
        } catch {
            throw InputError("\(path): cannot open: \(error)")
        }
        if (try? fd.status())?.isDirectory == true {
            fd.close()
            throw InputError("\(path): cannot read: it is a directory")
        }
        self.name = path
        self.descriptor = fd.rawValue
        self.closeOnDeinit = true
    }

    /// Reads from an already open descriptor; closes it on deinit only when `closeWhenDone`.
    public init(fileDescriptor: Int32, name: String, closeWhenDone: Bool) {
        self.name = name
        self.descriptor = fileDescriptor
        self.closeOnDeinit = closeWhenDone
    }

    deinit {
        if closeOnDeinit { FileDescriptor(rawValue: descriptor).close() }
    }

    public func read(into buffer: inout [UInt8], max: Int) throws -> Int {
        precondition(max > 0, "read size must be positive")
        do throws(Errno) {
            return try FileDescriptor(rawValue: descriptor).read(appendingTo: &buffer, count: max)
        } catch {
            throw InputError("\(name): cannot read: \(error)")
        }
    }
}

/// Serves bytes from memory, at most `chunkSize` per read (tests use 1 to exercise chunk boundaries).
public struct BufferByteSource: ByteSource, Sendable {
    private let bytes: [UInt8]
    private var offset = 0
    private let chunkSize: Int

    public init(_ bytes: [UInt8], chunkSize: Int = InputDefaults.chunkSize) {
        precondition(chunkSize > 0, "chunk size must be positive")
        self.bytes = bytes
        self.chunkSize = chunkSize
    }

    public init(_ text: String, chunkSize: Int = InputDefaults.chunkSize) {
        self.init(Array(text.utf8), chunkSize: chunkSize)
    }

    public mutating func read(into buffer: inout [UInt8], max: Int) throws -> Int {
        let n = Swift.min(max, chunkSize, bytes.count - offset)
        guard n > 0 else { return 0 }
        buffer.append(contentsOf: bytes[offset..<(offset + n)])
        offset += n
        return n
    }
}

/// A problem with the input as a whole, found before or while reading rows. The message names the input.
public struct InputError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Whether reading failed or what was read cannot be used: `apnsctl send` exits 3 for the first, 2 for the second.
    public enum Kind: Sendable, Equatable {
        /// The input cannot be read: the file cannot be opened, is a directory, or a read fails.
        case unreadable
        /// The input was read but its structure cannot be used as given: empty, gzip-compressed, an unreadable
        /// or repeated CSV header, no token column. Found before any row is sent; the user fixes the command
        /// line (`--token-field`, `--format`) or the file.
        case unusable
    }

    public var kind: Kind
    public var message: String
    public init(_ message: String, kind: Kind = .unreadable) {
        self.message = message
        self.kind = kind
    }
    public var description: String { message }

    /// Errors are equal when their messages are.
    public static func == (a: InputError, b: InputError) -> Bool { a.message == b.message }
}

/// Bytes from a source, consumed from the front; refilled a chunk at a time. Internal to the readers.
struct InputBuffer {
    var source: any ByteSource
    let name: String
    let chunkSize: Int
    var bytes: [UInt8] = []
    /// Index of the first unconsumed byte.
    var position = 0
    private(set) var isAtEnd = false

    init(source: any ByteSource, name: String, chunkSize: Int = InputDefaults.chunkSize) {
        self.source = source
        self.name = name
        self.chunkSize = chunkSize
    }

    var available: Int { bytes.count - position }

    /// Index of the last line feed read (-1: none since the last `fill` that found one).
    private var lastLineFeed = -1

    /// True when a line feed is buffered after `position`: the next record can (almost always) be read without
    /// waiting for the source. A reader streaming from a slow pipe is then told to hand over what it has.
    var holdsLineEnd: Bool { lastLineFeed >= position }

    /// Drops consumed bytes (so `position` becomes 0) and reads one more chunk.
    /// Returns false at end of input.
    mutating func fill() throws(InputError) -> Bool {
        if isAtEnd { return false }
        if position > 0 {
            if position == bytes.count {
                bytes.removeAll(keepingCapacity: true)
            } else {
                bytes.removeFirst(position)
            }
            lastLineFeed = max(-1, lastLineFeed - position)
            position = 0
        }
        let before = bytes.count
        let n: Int
        do {
            n = try source.read(into: &bytes, max: chunkSize)
        } catch let error as InputError {
            throw error
        } catch {
            throw InputError("\(name): cannot read: \(error)")
        }
        if n == 0 { isAtEnd = true }
        if let found = bytes[before...].lastIndex(of: 0x0A) { lastLineFeed = found }
        return n > 0
    }

    /// Reads until at least `count` bytes are available or the input ends.
    mutating func ensure(_ count: Int) throws(InputError) {
        while available < count, try fill() {}
    }

    /// Skips a UTF-8 byte order mark at the current position.
    mutating func skipByteOrderMark() throws(InputError) {
        try ensure(3)
        if available >= 3, bytes[position] == 0xEF, bytes[position + 1] == 0xBB, bytes[position + 2] == 0xBF {
            position += 3
        }
    }

    /// True when the input starts with the gzip magic bytes.
    mutating func startsWithGzipMagic() throws(InputError) -> Bool {
        try ensure(2)
        return available >= 2 && bytes[position] == 0x1F && bytes[position + 1] == 0x8B
    }

    /// True when the first line ends with a carriage return alone (not CRLF): an old Mac file, one long line to a
    /// line-feed reader. Reads no further than the first line end (and the byte after it), and at most `limit`
    /// bytes: a longer first line is the readers' to refuse.
    mutating func lineEndsAreCROnly(limit: Int) throws(InputError) -> Bool {
        var scanned = position
        while scanned - position < limit {
            while scanned < bytes.count {
                switch bytes[scanned] {
                case 0x0A: return false
                case 0x0D:
                    let offset = scanned - position   // `ensure` may move the bytes to the front
                    try ensure(offset + 2)
                    return available >= offset + 2 && bytes[position + offset + 1] != 0x0A
                default: scanned += 1
                }
            }
            let offset = scanned - position
            guard try fill() else { return false }
            scanned = position + offset
        }
        return false
    }

    /// The first byte that is not whitespace (without consuming anything), or nil for blank input.
    /// Looks at most `limit` bytes ahead.
    mutating func peekFirstNonWhitespace(limit: Int) throws(InputError) -> UInt8? {
        var offset = 0
        while offset < limit {
            if position + offset >= bytes.count {
                guard try fill() else { return nil }
                continue
            }
            let b = bytes[position + offset]
            switch b {
            case 0x20, 0x09, 0x0A, 0x0D: offset += 1
            default: return b
            }
        }
        return nil
    }
}
