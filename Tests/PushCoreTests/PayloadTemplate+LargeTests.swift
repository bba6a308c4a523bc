import Testing
@testable import PushCore

@Suite("Templates with very many keys and placeholders compile in linear time")
struct PayloadTemplateLargeTests {
    @Test("100,000 custom keys, each with its own placeholder, compile and render")
    func manyKeys() throws {
        let members = (0..<100_000).map { #""k\#($0)":"{{f\#($0)}}""# }
        let text = #"{"aps":{"alert":"hi"},"# + members.joined(separator: ",") + "}"
        var template: PayloadTemplate?
        // Quadratic key and placeholder checks took over 20 s here (release); linear work takes about 5 s in a
        // debug build (1.2 s for a quarter of the keys). The bound leaves room for a loaded machine.
        let elapsed = try elapsedSeconds { template = try PayloadTemplate(text: text) }
        #expect(elapsed < TestTime.seconds(30), "took \(elapsed) s")
        #expect(template?.fieldNames.count == 100_000)
        #expect(template?.shape.customKeys.count == 100_000)
    }

    @Test("100,000 uses of a few placeholders share their slots")
    func repeatedPlaceholders() throws {
        let members = (0..<100_000).map { #""k\#($0)":"{{f\#($0 % 3)}}""# }
        let text = #"{"aps":{},"# + members.joined(separator: ",") + "}"
        let template = try PayloadTemplate(text: text)
        #expect(template.fieldNames == ["f0", "f1", "f2"])
    }
}
