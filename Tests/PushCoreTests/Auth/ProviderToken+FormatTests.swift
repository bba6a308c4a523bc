import Foundation
import Testing
@testable import PushCore

@Suite("Provider token format")
struct ProviderTokenFormatTests {
    @Test("header and claims decode to the expected JSON and the signature verifies")
    func format() throws {
        let key = try ES256PrivateKey.generate()
        let token = try ProviderToken.make(keyID: "ABC123DEFG", teamID: "DEF123GHIJ", issuedAt: 1_764_170_319, key: key)
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        try #require(parts.count == 3)
        #expect(!token.contains("="))

        let header = try #require(Base64URL.decode(parts[0]))
        let claims = try #require(Base64URL.decode(parts[1]))
        #expect(String(decoding: header, as: UTF8.self) == #"{"alg":"ES256","kid":"ABC123DEFG"}"#)
        #expect(String(decoding: claims, as: UTF8.self) == #"{"iss":"DEF123GHIJ","iat":1764170319}"#)

        // An independent JSON parser agrees on the values and finds no other fields (no exp).
        let headerObject = try #require(try JSONSerialization.jsonObject(with: Data(header)) as? [String: Any])
        let claimsObject = try #require(try JSONSerialization.jsonObject(with: Data(claims)) as? [String: Any])
        #expect(headerObject.keys.sorted() == ["alg", "kid"])
        #expect(headerObject["alg"] as? String == "ES256")
        #expect(claimsObject.keys.sorted() == ["iat", "iss"])
        #expect((claimsObject["iat"] as? NSNumber)?.int64Value == 1_764_170_319)

        let signature = try #require(Base64URL.decode(parts[2]))
        #expect(signature.count == 64)
        #expect(try key.publicKey().verify(signature: signature, message: Array("\(parts[0]).\(parts[1])".utf8)))

        let decoded = try #require(DecodedProviderToken(token))
        #expect(decoded.algorithm == "ES256")
        #expect(decoded.keyID == "ABC123DEFG")
        #expect(decoded.teamID == "DEF123GHIJ")
        #expect(decoded.issuedAt == 1_764_170_319)
    }

    @Test("malformed key ids and team ids are refused with a message that says how to fix them")
    func idValidation() throws {
        let key = try ES256PrivateKey.generate()
        func message(keyID: String, teamID: String = "DEF123GHIJ") -> String? {
            do {
                _ = try ProviderToken.make(keyID: keyID, teamID: teamID, issuedAt: 0, key: key)
                return nil
            } catch {
                return "\(error)"
            }
        }
        #expect(message(keyID: "abc123defg") == "key id 'abc123defg' must be uppercase, as developer.apple.com shows it: use 'ABC123DEFG'")
        #expect(message(keyID: "ABC123")?.hasPrefix("key id 'ABC123' has 6 characters; ids have exactly 10") == true)
        #expect(message(keyID: "ABC-23DEFG")?.hasPrefix("key id 'ABC-23DEFG' contains '-'") == true)
        #expect(message(keyID: "ABC 23DEFG")?.hasPrefix("key id 'ABC 23DEFG' contains a space") == true)
        #expect(message(keyID: "")?.hasPrefix("key id is empty") == true)
        #expect(message(keyID: "ABC123DEFG", teamID: "team")?.hasPrefix("team id 'team' has 4 characters") == true)
        #expect(message(keyID: "ABC123DEFG") == nil)
    }

    @Test("the key id comes out of Apple's file name AuthKey_<id>.p8", arguments: [
        ("/keys/AuthKey_ABC123DEFG.p8", "ABC123DEFG"), ("AuthKey_ABC123DEFG.p8", "ABC123DEFG"),
        ("AuthKey_abc123defg.p8", nil), ("AuthKey_ABC.p8", nil), ("key.p8", nil), ("AuthKey_ABC123DEFG.pem", nil),
    ] as [(String, String?)])
    func keyIDFromFileName(path: String, expected: String?) {
        #expect(ProviderTokenIDs.keyID(fromKeyFileName: path) == expected)
    }
}
