/// APNs provider tokens: ES256-signed JWTs in JWS compact form (apns-protocol.md §6).
///
///     base64url({"alg":"ES256","kid":"<key id>"}) . base64url({"iss":"<team id>","iat":<seconds>}) . base64url(r‖s)
public enum ProviderToken {
    /// Mints a token. `issuedAt` is UNIX seconds (UTC). Throws `ProviderTokenError` for a malformed
    /// key id or team id, `OpenSSLError` if signing fails.
    public static func make(keyID: String, teamID: String, issuedAt: Int64, key: ES256PrivateKey) throws -> String {
        try ProviderTokenIDs.validate(keyID: keyID, teamID: teamID)
        let signingInput = self.signingInput(keyID: keyID, teamID: teamID, issuedAt: issuedAt)
        let signature = try key.sign(Array(signingInput.utf8))
        return signingInput + "." + Base64URL.encode(signature)
    }

    /// The JOSE header. Both ids are validated [A-Z0-9] so they need no JSON escaping.
    package static func headerJSON(keyID: String) -> String {
        #"{"alg":"ES256","kid":"\#(keyID)"}"#
    }

    /// The claims set: issuer and issued-at; APNs wants no `exp`.
    package static func claimsJSON(teamID: String, issuedAt: Int64) -> String {
        #"{"iss":"\#(teamID)","iat":\#(issuedAt)}"#
    }

    /// `base64url(header) . base64url(claims)`: the bytes the signature covers.
    package static func signingInput(keyID: String, teamID: String, issuedAt: Int64) -> String {
        Base64URL.encode(Array(headerJSON(keyID: keyID).utf8)) + "."
            + Base64URL.encode(Array(claimsJSON(teamID: teamID, issuedAt: issuedAt).utf8))
    }
}

/// A malformed key id or team id. Ids are not secret; the message shows them.
public struct ProviderTokenError: Error, CustomStringConvertible, Sendable, Equatable {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

/// The two identifiers a provider token carries: the key id (`kid`) and the team id (`iss`),
/// both 10 characters A-Z and 0-9 as developer.apple.com shows them.
public enum ProviderTokenIDs {
    public static let length = 10

    public static func validate(keyID: String, teamID: String) throws(ProviderTokenError) {
        try validate(keyID, field: "key id", whereToFind: "shown next to the key under Certificates, Identifiers & Profiles > Keys, and in the file name AuthKey_<key id>.p8")
        try validate(teamID, field: "team id", whereToFind: "shown under Membership details on developer.apple.com")
    }

    /// Checks one id; `field` names it in the message ("key id", or an option name like "--key-id").
    public static func validate(_ value: String, field: String, whereToFind: String) throws(ProviderTokenError) {
        if value.isEmpty {
            throw ProviderTokenError("\(field) is empty; it is the 10-character id \(whereToFind)")
        }
        if let bad = value.unicodeScalars.first(where: { !isASCIIAlphanumeric($0) }) {
            let shown = bad.properties.isWhitespace ? "a space" : "'\(bad)'"
            throw ProviderTokenError("\(field) '\(value)' contains \(shown); ids have only A-Z and 0-9 (10 characters, \(whereToFind))")
        }
        if value.utf8.count != length {
            throw ProviderTokenError("\(field) '\(value)' has \(value.utf8.count) characters; ids have exactly \(length), A-Z and 0-9 (\(whereToFind))")
        }
        if !value.utf8.allSatisfy(isUpperAlphanumeric) {
            throw ProviderTokenError("\(field) '\(value)' must be uppercase, as developer.apple.com shows it: use '\(value.uppercased())'")
        }
    }

    /// The key id in a file name like `AuthKey_ABC123DEFG.p8` (the name Apple gives the download), if any.
    public static func keyID(fromKeyFileName path: String) -> String? {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard name.hasPrefix("AuthKey_"), name.hasSuffix(".p8") else { return nil }
        let id = name.dropFirst("AuthKey_".count).dropLast(".p8".count)
        guard id.utf8.count == length, id.utf8.allSatisfy(isUpperAlphanumeric) else { return nil }
        return String(id)
    }

    static func isASCIIAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII && (isUpperAlphanumeric(UInt8(scalar.value)) || ("a"..."z").contains(scalar))
    }

    static func isUpperAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
