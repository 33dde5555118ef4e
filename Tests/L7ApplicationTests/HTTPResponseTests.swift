import Testing

@testable import L7Application

@Test func responseBuildersSerializeExactly() throws {
    let ok = try HTTPResponse(status: .ok, json: #"{"ok":true}"#)
    #expect(
        ok.serialize()
            == bytes(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"ok\":true}"))
    let missing = try HTTPResponse(status: .notFound, text: "nope")
    #expect(missing.startLine == "HTTP/1.1 404 Not Found")
    #expect(missing.headers["content-type"] == "text/plain; charset=utf-8")
    let custom = HTTPResponse(status: HTTPStatus(code: 299) ?? .ok, reason: "Fine Anyway")
    #expect(custom.startLine == "HTTP/1.1 299 Fine Anyway")
}

@Test func statusLineParsing() throws {
    let response = try HTTPResponse(startLine: bytes("HTTP/1.0 503 Busy right now")[...])
    #expect(
        response.status == .serviceUnavailable && response.reason == "Busy right now" && response.version == .http1_0)
    let empty = try HTTPResponse(startLine: bytes("HTTP/1.1 200 ")[...])
    #expect(empty.reason == "")
}

@Test(arguments: [
    "HTTP/1.1 200", "HTTP/1.1 20 OK", "HTTP/1.1 2000 OK", "HTTP/1.1 099 X", "HTTP/1.1 abc OK",
    "HTTP/1.1  200 OK", "FOO 200 OK", "HTTP/1.1", "HTTP/1.1 200 OK\u{1}"
])
func malformedStatusLines(line: String) {
    #expect(
        parseError { () throws(HTTPParseError) in _ = try HTTPResponse(startLine: bytes(line)[...]) }
            == .malformedStatusLine(line))
}

@Test func unsupportedResponseVersion() {
    #expect(responseError("HTTP/2 200 OK\r\n\r\n") == .unsupportedVersion("HTTP/2"))
}
