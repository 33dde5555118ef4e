import Testing
@testable import L7Application

@Test func methodsAreOpenTokens() {
    #expect(HTTPMethod.get.rawValue == "GET")
    #expect(HTTPMethod(rawValue: "PURGE")?.rawValue == "PURGE")
    #expect(HTTPMethod(rawValue: "GE T") == nil)
    #expect(HTTPMethod(rawValue: "") == nil)
    #expect(HTTPMethod(rawValue: "get") != .get)
    let all: [HTTPMethod] = [.get, .head, .post, .put, .delete, .patch, .options, .connect, .trace]
    #expect(all.map(\.description) == ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "CONNECT", "TRACE"])
}

@Test func statusesCarryStandardPhrases() {
    #expect(HTTPStatus.ok.code == 200)
    #expect(HTTPStatus.notFound.reasonPhrase == "Not Found")
    #expect(HTTPStatus.contentTooLarge.description == "413 Content Too Large")
    #expect(HTTPStatus(code: 299)?.reasonPhrase == "")
    #expect(HTTPStatus(code: 99) == nil)
    #expect(HTTPStatus(code: 600) == nil)
    #expect(HTTPStatus.noContent.forbidsBody && HTTPStatus.notModified.forbidsBody && HTTPStatus.continue.forbidsBody)
    #expect(!HTTPStatus.ok.forbidsBody)
}

@Test func versionsAreOneOneAndOneZero() {
    #expect(HTTPVersion("HTTP/1.1") == .http1_1)
    #expect(HTTPVersion("HTTP/1.0")?.description == "HTTP/1.0")
    #expect(HTTPVersion("HTTP/2.0") == nil)
    #expect(HTTPVersion("http/1.1") == nil)
}

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
    #expect(parseError { () throws(HTTPParseError) in _ = try HTTPField(name: name, value: "v") }
        == .invalidHeaderName(name))
}

@Test(arguments: ["a\r\nInjected: yes", "a\nb", "a\rb", "nul\u{0}", "bell\u{7}", " leading", "trailing "])
func headerValuesRejectControlsAndEdgeWhitespace(value: String) {
    #expect(parseError { () throws(HTTPParseError) in _ = try HTTPField(name: "X", value: value) }
        == .invalidHeaderValue(name: "X"))
}

@Test func headerValuesAllowInnerSpaceTabAndUTF8() throws {
    let field = try HTTPField(name: "X-Note", value: "caf\u{E9}\tau lait")
    #expect(field.description == "X-Note: caf\u{E9}\tau lait")
}
