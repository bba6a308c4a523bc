/// Bytes of a secret (a key, a certificate with its key) that must never be printed: every textual form of the
/// value, `description`, `debugDescription` and the mirror `dump` walks, shows a placeholder.
public struct SecretBytes: Equatable, Sendable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable {
    public let bytes: [UInt8]

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public var description: String { "<secret>" }
    public var debugDescription: String { "<secret>" }
    public var customMirror: Mirror { Mirror(self, children: []) }
}

/// Where a key or a certificate comes from, told from the value the user gave (`--key`, `APNSCTL_KEY`,
/// `--key-env NAME`...). CI systems hand secrets over as variables holding the content, so a value may be the
/// secret itself; a message about it then names where it came from, never the value.
///
/// | value                                           | source                                 |
/// |-------------------------------------------------|----------------------------------------|
/// | `-`                                             | standard input                         |
/// | starts with `-----BEGIN ` (after blanks)        | the PEM text itself                    |
/// | an existing file                                | that file                              |
/// | 64+ characters of base64 (line breaks allowed)  | the decoded DER (`.p8`, `.p12`) or PEM |
/// | a control character, or a 64+ character segment | refused: not a file name, not a key    |
/// | anything else                                   | a file name                            |
public enum CredentialSource: Equatable, Sendable {
    case file(String)
    case standardInput
    /// The secret given as the value itself; `origin` names where (`APNSCTL_KEY`, `--cert`).
    case inline(SecretBytes, origin: String)

    /// A value shorter than this is never taken for base64 content (the smallest `.p8` is about 190 characters).
    static let minimumBase64Length = 64

    /// How messages name it: the file name, `standard input`, or `the key in APNSCTL_KEY`.
    public func label(_ what: String) -> String {
        switch self {
        case .file(let path): return path
        case .standardInput: return "the \(what) on standard input"
        case .inline(_, let origin): return "the \(what) in \(origin)"
        }
    }

    /// True when the value was the secret itself (or stdin): there is no file whose permissions matter.
    public var isFile: Bool {
        if case .file = self { return true }
        return false
    }

    /// Classifies `value` from `origin`; `isFile` tells whether a file of that name exists (so that an odd file
    /// name that happens to be base64-shaped is still read as a file).
    public static func classify(_ value: String, origin: String,
                                isFile: (String) -> Bool) throws(CredentialSourceError) -> CredentialSource {
        if value == "-" { return .standardInput }
        let bytes = Array(value.utf8)
        let body = bytes.drop { isBlank($0) }
        if body.starts(with: pemBegin) { return .inline(SecretBytes(bytes), origin: origin) }
        let hasControl = bytes.contains { $0 < 0x20 || $0 == 0x7F }
        if !hasControl, isFile(value) { return .file(value) }
        if looksLikeBase64(bytes) {
            guard let decoded = Base64Text.decode(bytes) else { throw .undecodable(origin: origin) }
            let blankless = decoded.drop { isBlank($0) }
            guard decoded.first == 0x30 || blankless.starts(with: pemBegin) else {
                throw .undecodable(origin: origin)
            }
            return .inline(SecretBytes(decoded), origin: origin)
        }
        // No file name has a control character or a 64-character component; a pasted secret may.
        if hasControl || value.split(separator: "/").contains(where: { $0.utf8.count >= minimumBase64Length }) {
            throw .notAKey(origin: origin)
        }
        return .file(value)
    }

    /// PEM text for `bytes` that may be DER: a DER private key (a decoded `.p8`) is wrapped as PKCS#8 PEM, the
    /// form the key loader reads; PEM stays as it is.
    public static func privateKeyPEM(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.first == 0x30 else { return bytes }
        var pem = Array("-----BEGIN PRIVATE KEY-----\n".utf8)
        let text = Array(Base64URL.encodeStandard(bytes).utf8)
        var start = 0
        while start < text.count {
            let end = min(start + 64, text.count)
            pem += text[start..<end]
            pem.append(UInt8(ascii: "\n"))
            start = end
        }
        pem += Array("-----END PRIVATE KEY-----\n".utf8)
        return pem
    }

    private static let pemBegin = Array("-----BEGIN ".utf8)

    private static func isBlank(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// Long enough, and nothing but the base64 alphabet, `=` and blanks.
    private static func looksLikeBase64(_ bytes: [UInt8]) -> Bool {
        var significant = 0
        for byte in bytes {
            if isBlank(byte) { continue }
            guard Base64Text.value(byte) != nil || byte == UInt8(ascii: "=") else { return false }
            significant += 1
        }
        return significant >= minimumBase64Length
    }
}

/// Why a credential value is unusable. Messages name the origin and never show the value.
public enum CredentialSourceError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Base64-shaped, but not valid base64 of a key or certificate.
    case undecodable(origin: String)
    /// Holds a control character or a 64-character name segment, yet is no PEM text and no existing file.
    case notAKey(origin: String)

    public var description: String {
        switch self {
        case .undecodable(let origin):
            return "\(origin) is no file name, and not base64 of a key or certificate (.p8, .p12, PEM) either "
                + "(the value is not shown)"
        case .notAKey(let origin):
            return "\(origin) is neither a file name nor a PEM key or certificate (-----BEGIN ...); "
                + "the value is not shown"
        }
    }
}

/// Standard base64 (RFC 4648 §4) as secrets are pasted: padded or not, broken into lines.
enum Base64Text {
    static func value(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return byte - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return byte - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0") + 52
        case UInt8(ascii: "+"): return 62
        case UInt8(ascii: "/"): return 63
        default: return nil
        }
    }

    /// The decoded bytes, or nil for a character outside the alphabet, `=` anywhere but the end, or a length
    /// that cannot be base64. Blanks and line breaks are skipped; the rest is base64url's decoding.
    static func decode(_ text: [UInt8]) -> [UInt8]? {
        var urlSafe: [UInt8] = []
        urlSafe.reserveCapacity(text.count)
        var padding = 0
        for byte in text where byte != 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D {
            if byte == UInt8(ascii: "=") {
                padding += 1
                continue
            }
            guard padding == 0, value(byte) != nil else { return nil }
            urlSafe.append(byte == UInt8(ascii: "+") ? UInt8(ascii: "-") : byte == UInt8(ascii: "/") ? UInt8(ascii: "_") : byte)
        }
        if padding > 2 || (padding > 0 && (urlSafe.count + padding) % 4 != 0) { return nil }
        return Base64URL.decode(String(decoding: urlSafe, as: UTF8.self))
    }
}

extension CredentialSource {
    /// The secret's bytes: the file's contents (at most 1 MiB), standard input's, or the value itself.
    public func read() throws(FileIOError) -> [UInt8] {
        switch self {
        case .file(let path): return try FileIO.readAll(path: path, limit: 1 << 20)
        case .standardInput: return try FileIO.readAll(0, path: "standard input", limit: 1 << 20)
        case .inline(let secret, _): return secret.bytes
        }
    }
}

/// The ssh-style warning for a secret file that others may read.
public enum SecretFilePermissions {
    /// "key.p8 is readable by group or others: chmod 600 key.p8", or nil when only the owner has access.
    public static func warning(path: String, mode: UInt32, what: String) -> String? {
        guard mode & 0o077 != 0 else { return nil }
        let who = mode & 0o070 != 0 && mode & 0o007 != 0 ? "group and others" : mode & 0o070 != 0 ? "group" : "others"
        return "the \(what) file \(path) is accessible to \(who) (mode \(String(mode & 0o777, radix: 8))): "
            + "run chmod 600 \(ShellWord.quote(path))"
    }
}

/// A word as a POSIX shell reads it back: plain when it is safe, else in single quotes.
enum ShellWord {
    static func quote(_ word: String) -> String {
        let safe = !word.isEmpty && word.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"): return true
            default: return Array("-_./~+=:@%,".utf8).contains(byte)
            }
        }
        return safe ? word : "'" + word.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
    }
}

extension ES256PrivateKey {
    /// Loads the `.p8` key from wherever `source` says: a file, stdin, or the value itself (PEM, or base64 of the
    /// DER key). Errors name the source, never the key.
    public convenience init(source: CredentialSource) throws {
        if case .file(let path) = source {
            try self.init(pemFile: path)
            return
        }
        try self.init(pem: CredentialSource.privateKeyPEM(try source.read()), source: source.label("key"))
    }
}
