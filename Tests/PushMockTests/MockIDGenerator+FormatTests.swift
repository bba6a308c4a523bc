import Testing
@testable import PushMock

@Suite("MockIDGenerator: lowercase version-4 UUIDs")
struct MockIDGeneratorFormatTests {
    @Test func idsAreCanonicalLowercaseV4UUIDs() {
        var generator = MockIDGenerator()
        for _ in 0..<500 {
            let id = generator.next()
            #expect(RequestValidator.isUUID(id), "\(id)")
            #expect(id == id.lowercased())
            let bytes = Array(id.utf8)
            #expect(bytes[14] == UInt8(ascii: "4"), "\(id)")
            #expect([UInt8(ascii: "8"), UInt8(ascii: "9"), UInt8(ascii: "a"), UInt8(ascii: "b")].contains(bytes[19]), "\(id)")
        }
    }

    @Test func idsDoNotRepeat() {
        var generator = MockIDGenerator()
        let ids = (0..<10_000).map { _ in generator.next() }
        #expect(Set(ids).count == ids.count)
    }

    @Test func seedMakesTheSequenceReproducible() {
        var a = MockIDGenerator(seed: 42)
        var b = MockIDGenerator(seed: 42)
        var c = MockIDGenerator(seed: 43)
        let first = a.next()
        #expect(first == b.next())
        #expect(first != c.next())
    }
}
