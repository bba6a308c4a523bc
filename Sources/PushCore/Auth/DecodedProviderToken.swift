/// A provider token taken apart, not yet verified: header and claims fields, the bytes the
/// signature covers, and the signature (raw `r‖s` or DER, whichever the token carries).
/// Its description shows the header and claims, never the signature.
public struct DecodedProviderToken: Sendable, Equatable, CustomStringConvertible {
    /// Header `alg`.
    public var algorithm: String?
    /// Header `kid`.
    public var keyID: String?
    /// Claim `iss`.
    public var teamID: String?
    /// Claim `iat` (UNIX seconds), when it is an integer.
    public var issuedAt: Int64?
    /// The header and claims members as decoded, for checks beyond the APNs ones.
    package var header: FlatJSONObject
    package var claims: FlatJSONObject
    /// ASCII `base64url(header) . base64url(claims)`.
    public var signingInput: [UInt8]
    public var signature: [UInt8]

    /// Splits a JWS compact token; nil unless it has three base64url segments whose first two are
    /// flat JSON objects and whose third is non-empty.
    public init?(_ token: some StringProtocol) {
        let bytes = Array(token.utf8)
        let dots = bytes.indices.filter { bytes[$0] == UInt8(ascii: ".") }
        guard dots.count == 2 else { return nil }
        let headerText = bytes[..<dots[0]]
        let claimsText = bytes[(dots[0] + 1)..<dots[1]]
        let signatureText = bytes[(dots[1] + 1)...]
        guard let headerJSON = Base64URL.decode(String(decoding: headerText, as: UTF8.self)),
              let claimsJSON = Base64URL.decode(String(decoding: claimsText, as: UTF8.self)),
              let signature = Base64URL.decode(String(decoding: signatureText, as: UTF8.self)),
              !signature.isEmpty,
              let header = try? FlatJSONObject.parse(headerJSON),
              let claims = try? FlatJSONObject.parse(claimsJSON) else { return nil }
        self.header = header
        self.claims = claims
        self.signingInput = Array(bytes[..<dots[1]])
        self.signature = signature
        if case .string(let alg)? = header["alg"] { algorithm = alg }
        if case .string(let kid)? = header["kid"] { keyID = kid }
        if case .string(let iss)? = claims["iss"] { teamID = iss }
        if case .number(let iat)? = claims["iat"] { issuedAt = Int64(iat) }
    }

    public var description: String {
        "DecodedProviderToken(alg: \(algorithm ?? "nil"), kid: \(keyID ?? "nil"), iss: \(teamID ?? "nil"), iat: \(issuedAt.map(String.init) ?? "nil"))"
    }
}
