import Testing
@testable import PushMock

@Suite("JSONSyntax: is the body one JSON object?")
struct JSONSyntaxValidationTests {
    @Test(arguments: [
        "{}", " { } ", #"{"aps":{}}"#, #"{"a":[1,-2.5e3,0,true,false,null,"s\"\u00e9\n"],"b":{"c":{}}}"#,
        "\t{\"x\":0.5E+2}\r\n", #"{"k":"é"}"#, #"{"a":[]}"#,
    ])
    func accepts(_ text: String) {
        #expect(JSONSyntax.isObject(Array(text.utf8)))
    }

    @Test(arguments: [
        "", "   ", "[]", "\"s\"", "1", "null", "{", "}", "{}}", "{} {}", #"{"a"}"#, #"{"a":}"#, #"{"a":1,}"#,
        #"{a:1}"#, #"{"a":01}"#, #"{"a":1.}"#, #"{"a":-}"#, #"{"a":.5}"#, #"{"a":1e}"#, #"{"a":tru}"#,
        #"{"a":"\x"}"#, #"{"a":"\u12"}"#, "{\"a\":\"tab\there\"}", #"{"a":[1,]}"#, #"{"a":[1 2]}"#, #"{'a':1}"#,
    ])
    func refuses(_ text: String) {
        #expect(!JSONSyntax.isObject(Array(text.utf8)))
    }

    @Test func boundsNesting() {
        let deep = String(repeating: #"{"a":"#, count: 200) + "1" + String(repeating: "}", count: 200)
        #expect(!JSONSyntax.isObject(Array(deep.utf8)))
        let fine = String(repeating: #"{"a":"#, count: 20) + "1" + String(repeating: "}", count: 20)
        #expect(JSONSyntax.isObject(Array(fine.utf8)))
    }
}
