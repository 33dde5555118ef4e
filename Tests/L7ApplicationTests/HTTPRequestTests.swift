import Testing

@testable import L7Application

@Test func urlSplitsIntoHostPortAndOriginForm() throws {
    let url = try HTTPURL("http://10.0.0.2:8080/api?x=1#frag")
    #expect(url.host == "10.0.0.2")
    #expect(url.port == 8080)
    #expect(url.authority == "10.0.0.2:8080")
    #expect(url.target == "/api?x=1")
    #expect(try HTTPURL("http://example.org").target == "/")
    #expect(try HTTPURL("HTTP://example.org?q").target == "/?q")
    #expect(try HTTPURL("http://example.org").port == 80)
    #expect(try HTTPURL("http://[::1]:81/").host == "[::1]")
}

@Test(arguments: [
    "https://a/", "ftp://a/", "http://", "http://a:99999/", "http://a:x/", "http://u@a/",
    "http://a b/", "http://[::1/"
])
func badURLsAreRejected(url: String) {
    let error = parseError { () throws(HTTPParseError) in _ = try HTTPURL(url) }
    guard case .invalidURL(let text, _) = error else {
        Issue.record("expected invalidURL, got \(String(describing: error))")
        return
    }
    #expect(text == url)
}

@Test func getRequestSerializesExactly() throws {
    let request = try HTTPRequest(
        .get, url: "http://10.0.0.2:8080/api?x=1",
        headers: HTTPHeaders([("Accept", "*/*")]))
    #expect(request.serialize() == bytes("GET /api?x=1 HTTP/1.1\r\nHost: 10.0.0.2:8080\r\nAccept: */*\r\n\r\n"))
}

@Test func jsonRequestSetsTypeAndLength() throws {
    let request = try HTTPRequest(.post, url: "http://10.0.0.2:8080/api", json: #"{"a":1}"#)
    #expect(
        request.serialize()
            == bytes(
                "POST /api HTTP/1.1\r\nHost: 10.0.0.2:8080\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 7\r\n\r\n{\"a\":1}"))
}

@Test func dataRequestChunkedWithTrailers() throws {
    let trailers = try HTTPHeaders([("Checksum", "abc")])
    let request = try HTTPRequest(
        .put, url: "http://h/f", data: bytes("hello world"), contentType: "text/plain",
        framing: .chunked(chunkSize: 4), trailers: trailers)
    #expect(request.isChunked)
    #expect(
        request.serialize()
            == bytes(
                "PUT /f HTTP/1.1\r\nHost: h\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n"
                    + "Trailer: Checksum\r\n\r\n4\r\nhell\r\n4\r\no wo\r\n3\r\nrld\r\n0\r\nChecksum: abc\r\n\r\n"))
}

@Test func callerHeadersWin() throws {
    let headers = try HTTPHeaders([("Host", "other"), ("Content-Type", "application/vnd.x+json")])
    let request = try HTTPRequest(url: "http://h/", json: "[]", headers: headers)
    #expect(request.headers.values(for: "Host") == ["other"])
    #expect(request.headers.values(for: "Content-Type") == ["application/vnd.x+json"])
    #expect(request.method == .post)
}

@Test func emptyBodyPostSaysZeroLength() throws {
    let request = try HTTPRequest(.post, url: "http://h/", data: [])
    #expect(request.headers["Content-Length"] == "0")
    let chunked = try HTTPRequest(.post, url: "http://h/", data: [], framing: .chunked())
    #expect(chunked.serialize().suffix(5) == bytes("0\r\n\r\n")[...])
}

@Test func requestStartLineParsing() throws {
    let request = try HTTPRequest(startLine: bytes("OPTIONS * HTTP/1.0")[...])
    #expect(request.method == .options && request.target == "*" && request.version == .http1_0)
}

@Test func prettyShowsTextBodiesAndHexForBinary() throws {
    let request = try HTTPRequest(.post, url: "http://10.0.0.2:8080/api", json: #"{"a":1}"#)
    #expect(
        request.pretty() == """
            POST /api HTTP/1.1
            Host: 10.0.0.2:8080
            Content-Type: application/json
            Content-Length: 7

            {"a":1}
            """)
    let binary = try HTTPRequest(.post, url: "http://h/", data: [0x89, 0x50, 0x4E, 0x47, 0x00])
    #expect(
        binary.description.hasSuffix(
            "(5 bytes of binary data)\n0000  89 50 4e 47 00" + String(repeating: " ", count: 35) + ".PNG."))
    let get = try HTTPRequest(.get, url: "http://h/")
    #expect(get.pretty().hasSuffix("\n\n(no body)"))
    let long = try HTTPRequest(.post, url: "http://h/", data: bytes(String(repeating: "a", count: 30)))
    #expect(long.pretty(maxBodyBytes: 10).hasSuffix("aaaaaaaaaa… (20 more bytes)"))
}

@Test func validateCatchesHandMadeStartLines() throws {
    try HTTPRequest(method: .get, target: "/ok?x=1").validate()
    #expect(
        parseError { () throws(HTTPParseError) in try HTTPRequest(method: .get, target: "/a b").validate() }
            == .malformedRequestLine("GET /a b HTTP/1.1"))
    #expect(
        parseError { () throws(HTTPParseError) in try HTTPRequest(method: .get, target: "").validate() }
            == .malformedRequestLine("GET  HTTP/1.1"))
    try HTTPResponse(status: .ok).validate()
    #expect(
        parseError { () throws(HTTPParseError) in
            try HTTPResponse(status: .ok, reason: "OK\r\nSet-Cookie: x").validate()
        } == .malformedStatusLine("HTTP/1.1 200 OK\r\nSet-Cookie: x"))
}
