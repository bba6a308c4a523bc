/// Text that is almost always short, such as an `apns-id` (a 36-byte UUID), held in the value itself when it
/// fits: no heap allocation, no reference count and no UTF-8 validation per response (a String of 36 bytes costs
/// all three, twice per answer). Longer text, or text that is not valid UTF-8, is kept as a String.
///
/// Every text has one representation (inline when its bytes are valid UTF-8 and fit), so the synthesised
/// equality compares text.
public struct ShortText: Sendable, Equatable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// Bytes held inline at most.
    public static let inlineCapacity = 40

    private enum Storage: Sendable, Equatable {
        case inline(Inline)
        case string(String)
    }

    /// 40 bytes in five words and their count; unused bytes are zero (equality compares them).
    private struct Inline: Sendable, Equatable {
        var words: (UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0)
        var count: UInt8 = 0

        static func == (a: Inline, b: Inline) -> Bool {
            a.count == b.count && a.words.0 == b.words.0 && a.words.1 == b.words.1 && a.words.2 == b.words.2
                && a.words.3 == b.words.3 && a.words.4 == b.words.4
        }
    }

    private let storage: Storage

    /// The text of `bytes`; invalid UTF-8 is repaired (U+FFFD), as `String(decoding:as:)` does.
    public init(_ bytes: UnsafeBufferPointer<UInt8>) {
        if bytes.count <= Self.inlineCapacity, let base = bytes.baseAddress, Self.isASCII(bytes) {
            var inline = Inline()
            withUnsafeMutableBytes(of: &inline.words) { $0.baseAddress!.copyMemory(from: base, byteCount: bytes.count) }
            inline.count = UInt8(bytes.count)
            storage = .inline(inline)
        } else if bytes.isEmpty {
            storage = .inline(Inline())
        } else {
            storage = ShortText(String(decoding: bytes, as: UTF8.self)).storage
        }
    }

    public init(_ text: String) {
        var text = text
        let inline: Inline? = text.withUTF8 { bytes in
            guard bytes.count <= Self.inlineCapacity else { return nil }
            var inline = Inline()
            if let base = bytes.baseAddress {
                withUnsafeMutableBytes(of: &inline.words) { $0.baseAddress!.copyMemory(from: base, byteCount: bytes.count) }
            }
            inline.count = UInt8(bytes.count)
            return inline
        }
        storage = inline.map(Storage.inline) ?? .string(text)
    }

    public init(stringLiteral value: String) { self.init(value) }

    /// Runs `body` with the text's UTF-8 bytes (valid for the call only).
    public func withUTF8<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        switch storage {
        case .inline(var inline):
            let count = Int(inline.count)
            return try withUnsafeBytes(of: &inline.words) { raw in
                try body(UnsafeBufferPointer(start: raw.baseAddress!.assumingMemoryBound(to: UInt8.self), count: count))
            }
        case .string(var text):
            return try text.withUTF8(body)
        }
    }

    /// UTF-8 bytes of the text.
    public var utf8Count: Int {
        switch storage {
        case .inline(let inline): return Int(inline.count)
        case .string(let text): return text.utf8.count
        }
    }

    public var description: String {
        switch storage {
        case .inline: return withUTF8 { String(decoding: $0, as: UTF8.self) }
        case .string(let text): return text
        }
    }

    /// ASCII is valid UTF-8 as it is; anything else goes through String's validation.
    private static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var any: UInt8 = 0
        for byte in bytes { any |= byte }
        return any < 0x80
    }
}
