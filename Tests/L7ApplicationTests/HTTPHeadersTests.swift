import Testing

@testable import L7Application

@Test func headersKeepCaseOrderAndRepeats() throws {
    var headers = try HTTPHeaders([("Host", "a"), ("X-Tag", "1"), ("x-tag", "2")])
    #expect(headers["HOST"] == "a")
    #expect(headers["x-TAG"] == "1")
    #expect(headers.values(for: "X-Tag") == ["1", "2"])
    #expect(headers.fields.map(\.name) == ["Host", "X-Tag", "x-tag"])
    #expect(headers["Missing"] == nil)
    try headers.replaceOrAdd(name: "X-TAG", value: "3")
    #expect(headers.fields.map(\.description) == ["Host: a", "X-TAG: 3"])
    headers.remove(name: "host")
    #expect(headers.count == 1)
    try headers.add(name: "Accept", value: "a/b, c/d,, e/f")
    #expect(headers.listValues(for: "accept") == ["a/b", "c/d", "e/f"])
}

@Test(arguments: ["", "Bad Name", "Colon:", "Tab\t", "Ünïcode", "(paren)"])
func headerNamesMustBeTokens(name: String) {
    #expect(
        parseError { () throws(HTTPParseError) in _ = try HTTPField(name: name, value: "v") }
            == .invalidHeaderName(name))
}

@Test(arguments: ["a\r\nInjected: yes", "a\nb", "a\rb", "nul\u{0}", "bell\u{7}", " leading", "trailing "])
func headerValuesRejectControlsAndEdgeWhitespace(value: String) {
    #expect(
        parseError { () throws(HTTPParseError) in _ = try HTTPField(name: "X", value: value) }
            == .invalidHeaderValue(name: "X"))
}

@Test func headerValuesAllowInnerSpaceTabAndUTF8() throws {
    let field = try HTTPField(name: "X-Note", value: "caf\u{E9}\tau lait")
    #expect(field.description == "X-Note: caf\u{E9}\tau lait")
}
