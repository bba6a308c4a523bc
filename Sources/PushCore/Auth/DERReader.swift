/// A minimal reader of DER (and, for the outermost header only, BER indefinite length) TLV structures:
/// enough to look inside certificate extensions and to tell a PKCS#12 file from a certificate, without C.
struct DERReader {
    /// One element: its tag byte and the bytes of its content.
    struct Element {
        var tag: UInt8
        var content: ArraySlice<UInt8>

        static let sequence: UInt8 = 0x30
        static let integer: UInt8 = 0x02

        /// The text of a string element (UTF8String, PrintableString, IA5String); nil for other tags.
        var text: String? {
            switch tag {
            case 0x0C, 0x13, 0x16:   // UTF8String, PrintableString, IA5String
                return String(validating: content, as: UTF8.self)
            default:
                return nil
            }
        }
    }

    private let bytes: ArraySlice<UInt8>
    private var offset: Int

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        self.offset = bytes.startIndex
    }

    init(_ bytes: [UInt8]) { self.init(bytes[...]) }

    var isAtEnd: Bool { offset >= bytes.endIndex }

    /// The next element, or nil when the bytes are malformed (bad length, truncated) or exhausted.
    /// Only single-byte tags are read (every tag apnsctl looks at is one).
    mutating func next() -> Element? {
        guard let header = Self.header(bytes, at: offset), let length = header.length else { return nil }
        let start = offset + header.size
        guard start + length <= bytes.endIndex else { return nil }
        offset = start + length
        return Element(tag: header.tag, content: bytes[start..<(start + length)])
    }

    /// Tag, header size and content length at `index`; `length` is nil for BER indefinite length (0x80).
    static func header(_ bytes: ArraySlice<UInt8>, at index: Int) -> (tag: UInt8, size: Int, length: Int?)? {
        guard index + 1 < bytes.endIndex else { return nil }
        let tag = bytes[index]
        guard tag & 0x1F != 0x1F else { return nil }   // multi-byte tags: not needed here
        let first = bytes[index + 1]
        if first < 0x80 { return (tag, 2, Int(first)) }
        if first == 0x80 { return (tag, 2, nil) }
        let count = Int(first & 0x7F)
        guard count <= 4, index + 1 + count < bytes.endIndex else { return nil }
        var length = 0
        for byte in bytes[(index + 2)..<(index + 2 + count)] { length = length << 8 | Int(byte) }
        return (tag, 2 + count, length)
    }
}

/// The topics extension of APNs client certificates (OID 1.2.840.113635.100.6.3.6): a SEQUENCE in which each
/// topic is a string followed by a SEQUENCE naming its kind (`app`, `voip`, `complication`, ...).
public enum APNsTopicsExtension {
    public static let oid = "1.2.840.113635.100.6.3.6"

    /// The topics, in certificate order; nil when `der` is not a SEQUENCE or is malformed.
    public static func topics(fromDER der: [UInt8]) -> [String]? {
        var outer = DERReader(der)
        guard let sequence = outer.next(), sequence.tag == DERReader.Element.sequence, outer.isAtEnd else { return nil }
        var inner = DERReader(sequence.content)
        var topics: [String] = []
        while !inner.isAtEnd {
            guard let element = inner.next() else { return nil }
            if let text = element.text, !text.isEmpty { topics.append(text) }
        }
        return topics
    }
}
