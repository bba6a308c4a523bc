/// How a `--cert` file is encoded, told from its name and its first bytes.
public enum CertificateFileFormat: String, Sendable, Equatable {
    /// PKCS#12 (`.p12`, `.pfx`): certificate, key and chain in one password-protected file.
    case pkcs12
    /// PEM text: `-----BEGIN CERTIFICATE-----` and perhaps the key.
    case pem
    /// One DER certificate (`.cer`, `.der`, as Apple's developer site downloads it); the key comes separately.
    case der

    /// The format, or nil when the bytes are none of the three. PEM is recognised by its BEGIN line whatever the
    /// name; binary content by its structure: a PKCS#12 PFX starts with `SEQUENCE { INTEGER 3, ... }`, a
    /// certificate with `SEQUENCE { SEQUENCE tbsCertificate, ... }`. Old Keychain exports use BER indefinite
    /// lengths; that is accepted here and left to OpenSSL.
    public static func detect(path: String, bytes: [UInt8]) -> CertificateFileFormat? {
        if containsPEMBegin(bytes) { return .pem }
        guard bytes.first == DERReader.Element.sequence,
              let outer = DERReader.header(bytes[...], at: 0) else { return nil }
        let lowered = path.lowercased()
        if lowered.hasSuffix(".p12") || lowered.hasSuffix(".pfx") { return .pkcs12 }
        guard let inner = DERReader.header(bytes[...], at: outer.size) else { return nil }
        switch inner.tag {
        case DERReader.Element.integer: return .pkcs12
        case DERReader.Element.sequence: return .der
        default: return nil
        }
    }

    private static func containsPEMBegin(_ bytes: [UInt8]) -> Bool {
        let marker = Array("-----BEGIN ".utf8)
        guard bytes.count >= marker.count else { return false }
        // Only look at the start region where a PEM file has its first block (comments may precede it).
        let window = bytes.prefix(64 * 1024)
        var index = window.startIndex
        while index + marker.count <= window.endIndex {
            if window[index] == marker[0] && window[index..<(index + marker.count)].elementsEqual(marker) { return true }
            index += 1
        }
        return false
    }
}

/// One `-----BEGIN label----- ... -----END label-----` block of a PEM file.
public struct PEMBlock: Sendable, Equatable {
    public var label: String
    /// The block's full text, BEGIN and END lines included (what OpenSSL's PEM readers take).
    public var text: String
    /// The block lies between its BEGIN and END lines with a `Proc-Type: 4,ENCRYPTED` header (the legacy
    /// OpenSSL encryption of PKCS#1 keys), or it is an `ENCRYPTED PRIVATE KEY` (PKCS#8).
    public var isEncrypted: Bool

    /// A private key of any encoding: `PRIVATE KEY`, `RSA PRIVATE KEY`, `EC PRIVATE KEY`, `ENCRYPTED PRIVATE KEY`.
    public var isPrivateKey: Bool { label == "PRIVATE KEY" || label.hasSuffix(" PRIVATE KEY") }
    public var isCertificate: Bool { label == "CERTIFICATE" || label == "TRUSTED CERTIFICATE" }

    /// The blocks of `text` in order. A BEGIN line without its END line ends the list.
    public static func parse(_ text: String) -> [PEMBlock] {
        var blocks: [PEMBlock] = []
        var rest = Substring(text)
        while let begin = rest.firstRange(of: "-----BEGIN ") {
            let afterBegin = rest[begin.upperBound...]
            guard let close = afterBegin.firstRange(of: "-----") else { break }
            let label = String(afterBegin[..<close.lowerBound])
            let endLine = "-----END \(label)-----"
            guard let end = afterBegin.firstRange(of: endLine) else { break }
            let body = afterBegin[close.upperBound..<end.lowerBound]
            let encrypted = label == "ENCRYPTED PRIVATE KEY" || body.contains("Proc-Type: 4,ENCRYPTED")
            blocks.append(PEMBlock(label: label, text: String(rest[begin.lowerBound..<end.upperBound]) + "\n",
                                   isEncrypted: encrypted))
            rest = afterBegin[end.upperBound...]
        }
        return blocks
    }
}
