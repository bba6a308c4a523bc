import Testing
@testable import PushCore

@Suite("base64url")
struct Base64URLCodingTests {
    @Test("RFC 4648 test vectors, without padding", arguments: [
        ("", ""), ("f", "Zg"), ("fo", "Zm8"), ("foo", "Zm9v"), ("foob", "Zm9vYg"), ("fooba", "Zm9vYmE"), ("foobar", "Zm9vYmFy"),
    ])
    func vectors(plain: String, encoded: String) {
        #expect(Base64URL.encode(Array(plain.utf8)) == encoded)
        #expect(Base64URL.decode(encoded) == Array(plain.utf8))
    }

    @Test("the URL-safe alphabet: - and _ instead of + and /")
    func urlAlphabet() {
        #expect(Base64URL.encode([0xFB, 0xFF, 0xBF]) == "-_-_")
        #expect(Base64URL.decode("-_-_") == [0xFB, 0xFF, 0xBF])
        #expect(Base64URL.decode("+/+/") == nil)
    }

    @Test("every byte value and every length round-trips")
    func roundTrip() {
        let bytes = (0..<300).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }
        for length in 0...bytes.count {
            let slice = Array(bytes.prefix(length))
            #expect(Base64URL.decode(Base64URL.encode(slice)) == slice)
        }
    }

    @Test("padding, whitespace, impossible lengths and non-zero trailing bits are refused",
          arguments: ["Zg==", "Zm9v YmFy", "Z", "Zm9vY", "Zh", "Zm9", "Zm8=", "é"])
    func invalid(text: String) {
        // "Zh" and "Zm9" leave non-zero bits after the last byte ("Zm8" is the canonical "fo").
        #expect(Base64URL.decode(text) == nil)
    }
}
