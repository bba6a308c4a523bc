import Testing
@testable import PushCore

@Suite("NotificationRules.token: one pass over the bytes checks and lowercases")
struct NotificationRulesTokenTests {
    @Test("Lowercase hex comes back as it is; any upper case is lowercased")
    func normalises() throws {
        #expect(try NotificationRules.token("0123456789abcdef") == "0123456789abcdef")
        #expect(try NotificationRules.token("0123456789ABCDEF") == "0123456789abcdef")
        #expect(try NotificationRules.token("aBcDeF09") == "abcdef09")
        #expect(try NotificationRules.token(String(repeating: "Ab", count: 100)) == String(repeating: "ab", count: 100))
    }

    /// The bytes just outside each accepted range (`/` `:` `@` `G` `` ` `` `g`) and a byte above ASCII.
    @Test(arguments: ["/", ":", "@", "G", "`", "g", "\u{7F}", "é"])
    func neighboursOfHexDigitsAreRefused(character: String) {
        let raw = "ab" + character + (character.utf8.count == 1 ? "c" : "")   // an even number of bytes
        #expect(NotificationRules.normalizedHexToken(raw) == nil)
        #expect(throws: RowError.self) { try NotificationRules.token(raw) }
    }

    @Test("Empty and odd-length hex are refused with the same messages as before")
    func emptyAndOdd() {
        #expect(NotificationRules.normalizedHexToken("") == nil)
        #expect(NotificationRules.normalizedHexToken("ABC") == nil)
        #expect(throws: RowError("t: empty")) { try NotificationRules.token("", label: "t") }
        #expect(throws: RowError("t: odd number of hex digits (3); a token is whole bytes, two digits each")) {
            try NotificationRules.token("ABC", label: "t")
        }
    }
}
