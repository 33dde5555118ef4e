import SignalBasics
import Testing

@testable import L7Application

@Test(arguments: [
    "GET  / HTTP/1.1", "GET /", "GET / HTTP/1.1 x", " GET / HTTP/1.1", "G(T / HTTP/1.1",
    "GET /a\u{7F} HTTP/1.1", "GET / FTP/1.1", "GET\t/ HTTP/1.1"
])
func malformedRequestLines(line: String) {
    #expect(requestError(line + "\r\nHost: a\r\n\r\n") == .malformedRequestLine(line))
}

@Test(arguments: ["HTTP/2.0", "HTTP/1.2", "HTTP/0.9", "HTTP/1.10"])
func unsupportedVersions(version: String) {
    #expect(requestError("GET / \(version)\r\n\r\n") == .unsupportedVersion(version))
}

@Test func startLineTooLongStopsBeforeTheLineEnds() throws {
    var parser = HTTPParser<HTTPRequest>()
    parser.append(bytes("GET /"))
    parser.append([UInt8](repeating: UInt8(ascii: "a"), count: 8200))
    #expect(parseError { () throws(HTTPParseError) in _ = try parser.next() } == .startLineTooLong(limit: 8192))
    let limits = HTTPParserLimits(maxStartLineLength: 16)
    #expect(requestError("GET /0123456789012 HTTP/1.1\r\n\r\n", limits: limits) == .startLineTooLong(limit: 16))
    #expect(requestError("GET /0 HTTP/1.1\r\n\r\n", limits: limits) == nil)
}

@Test(arguments: ["Host : a", "Bad@Name: x", ": empty", "Ü: x"])
func invalidHeaderNames(line: String) {
    let name = String(line[..<(line.firstIndex(of: ":") ?? line.endIndex)])
    #expect(requestError("GET / HTTP/1.1\r\n\(line)\r\n\r\n") == .invalidHeaderName(name))
}

@Test func invalidHeaderValues() {
    #expect(requestError("GET / HTTP/1.1\r\nX-A: a\u{0}b\r\n\r\n") == .invalidHeaderValue(name: "X-A"))
    #expect(requestError("GET / HTTP/1.1\r\nX-B: \u{1B}[31m\r\n\r\n") == .invalidHeaderValue(name: "X-B"))
    #expect(requestError("GET / HTTP/1.1\r\nX-C: a\u{7F}\r\n\r\n") == .invalidHeaderValue(name: "X-C"))
}

@Test func headerLineWithoutColon() {
    #expect(requestError("GET / HTTP/1.1\r\nNoColonHere\r\n\r\n") == .malformedHeaderLine("NoColonHere"))
}

@Test func obsoleteLineFoldingIsRejected() {
    #expect(requestError("GET / HTTP/1.1\r\nX-Long: one\r\n  two\r\n\r\n") == .obsoleteLineFolding("  two"))
    #expect(requestError("GET / HTTP/1.1\r\n\tHost: a\r\n\r\n") == .obsoleteLineFolding("\tHost: a"))
}

@Test func bareLineFeedAndBareCarriageReturn() {
    #expect(requestError("GET / HTTP/1.1\nHost: a\r\n\r\n") == .bareLineFeed(offset: 14))
    #expect(requestError("GET / HTTP/1.1\r\nHost: a\n\r\n") == .bareLineFeed(offset: 23))
    #expect(requestError("GET / HTTP/1.1\r\nHost: a\r\n\n") == .bareLineFeed(offset: 25))
    #expect(requestError("GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n") == .bareCarriageReturn(offset: 23))
    #expect(requestError("GET /\r HTTP/1.1\r\n\r\n") == .bareCarriageReturn(offset: 5))
    // Lenient mode still refuses a bare CR.
    #expect(
        parseError { () throws(HTTPParseError) in
            _ = try HTTPParser<HTTPRequest>.parse(bytes("GET / HTTP/1.1\nA: b\rc\n\n"), allowsBareLineFeed: true)
        } == .bareCarriageReturn(offset: 19))
}

@Test func headerFloodStopsAtTheCountLimitQuickly() {
    let clock = ContinuousClock()
    var flood = bytes("GET / HTTP/1.1\r\n")
    for index in 0..<10_000 { flood += bytes("X-\(index): v\r\n") }
    var parser = HTTPParser<HTTPRequest>()
    let elapsed = clock.measure {
        parser.append(flood)
        #expect(parseError { () throws(HTTPParseError) in _ = try parser.next() } == .tooManyHeaders(limit: 100))
    }
    #expect(elapsed < .seconds(2))
    let limits = HTTPParserLimits(maxHeaderCount: 2)
    #expect(requestError("GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", limits: limits) == .tooManyHeaders(limit: 2))
    #expect(requestError("GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\n\r\n", limits: limits) == nil)
}

@Test func headersTooLargeStopsAnEndlessLine() {
    var parser = HTTPParser<HTTPRequest>()
    parser.append(bytes("GET / HTTP/1.1\r\nX-Big: "))
    var error: HTTPParseError?
    for _ in 0..<100 where error == nil {
        parser.append([UInt8](repeating: UInt8(ascii: "b"), count: 1000))
        error = parseError { () throws(HTTPParseError) in _ = try parser.next() }
    }
    #expect(error == .headersTooLarge(limit: 65536))
    #expect(parser.bufferedByteCount < 70_000)
    let limits = HTTPParserLimits(maxHeaderBytes: 40)
    #expect(
        requestError("GET / HTTP/1.1\r\nA: 1234567890\r\nB: 1234567890\r\n\r\n", limits: limits)
            == .headersTooLarge(limit: 40))
}

@Test(arguments: ["abc", "-1", "+5", "1 2", "", "0x10", "99999999999999999999", "5,"])
func invalidContentLengths(value: String) {
    #expect(requestError("POST / HTTP/1.1\r\nContent-Length: \(value)\r\n\r\n") == .invalidContentLength(value))
}

@Test func conflictingContentLengths() {
    #expect(
        requestError("POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello")
            == .conflictingContentLength("5", "6"))
    #expect(requestError("POST / HTTP/1.1\r\nContent-Length: 5, 7\r\n\r\nhello") == .conflictingContentLength("5", "7"))
}

@Test func contentLengthWithTransferEncoding() {
    #expect(
        requestError("POST / HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
            == .contentLengthAndChunked)
    #expect(
        responseError("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n")
            == .contentLengthAndChunked)
}

@Test func requestTransferEncodingMustEndInChunked() {
    #expect(
        requestError("POST / HTTP/1.1\r\nTransfer-Encoding: chunked, gzip\r\n\r\n")
            == .unsupportedTransferEncoding("chunked, gzip"))
    #expect(
        requestError("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
            == .unsupportedTransferEncoding("chunked"))
}

@Test(arguments: ["xyz", "5 junk", ";ext", "5;bad\u{1}ext", "-5"])
func invalidChunkSizes(line: String) {
    #expect(requestError("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n\(line)\r\n") == .invalidChunkSize(line))
}

@Test func chunkSizeOverflow() {
    let digits = String(repeating: "f", count: 17)
    #expect(
        requestError("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n\(digits)\r\n") == .chunkSizeOverflow(digits)
    )
    // Sixteen digits fit in an Int only below 8000000000000000; the body limit catches the rest.
    #expect(
        requestError("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n7fffffffffffffff\r\n")
            == .bodyTooLarge(limit: 1 << 20))
}

@Test func chunkLineTooLong() {
    let extensions = ";" + String(repeating: "e", count: 2000)
    #expect(
        requestError("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\(extensions)")
            == .chunkLineTooLong(limit: 1024))
}

@Test func chunkDataMustEndInCRLF() {
    let head = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
    #expect(requestError(head + "5\r\nhelloX\r\n0\r\n\r\n") == .missingChunkTerminator(offset: head.utf8.count + 8))
    #expect(requestError(head + "5\r\nhello\rX0\r\n\r\n") == .missingChunkTerminator(offset: head.utf8.count + 8))
}

@Test func bodyTooLargeFromContentLength() {
    let limits = HTTPParserLimits(maxBodySize: 10)
    #expect(requestError("POST / HTTP/1.1\r\nContent-Length: 11\r\n\r\n", limits: limits) == .bodyTooLarge(limit: 10))
    #expect(requestError("POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\n0123456789", limits: limits) == nil)
}

@Test func neverEndingChunkedBodyStopsAtTheLimit() {
    var parser = HTTPParser<HTTPRequest>()
    parser.append(bytes("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"))
    let chunk = bytes("1;pad=" + String(repeating: "p", count: 500) + "\r\nx\r\n")
    var error: HTTPParseError?
    var rounds = 0
    while error == nil, rounds < 100_000 {
        rounds += 1
        parser.append(chunk)
        do { _ = try parser.next() } catch let thrown { error = thrown }
    }
    #expect(error == .bodyTooLarge(limit: 1 << 20))
    #expect(rounds < 2200)
    #expect(parser.bufferedByteCount < (1 << 20) + 2000)
}

@Test func endlessResponseBodyStopsAtTheLimit() {
    var parser = HTTPParser<HTTPResponse>(limits: HTTPParserLimits(maxBodySize: 1000))
    parser.append(bytes("HTTP/1.1 200 OK\r\n\r\n"))
    #expect(
        parseError { () throws(HTTPParseError) in
            for _ in 0..<100 { parser.append([UInt8](repeating: 0x41, count: 100)); _ = try parser.next() }
        } == .bodyTooLarge(limit: 1000))
}

@Test(arguments: [
    ("GET / HT", "the start line", 8),
    ("GET / HTTP/1.1\r\nHost: a", "the header section", 23),
    ("POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc", "a body of 10 bytes (3 arrived)", 42),
    ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", "a chunk-size line", 47),
    ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel", "a chunk of 5 bytes (3 arrived)", 53),
    ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello", "the CRLF after a chunk", 55),
    ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX: 1\r\n", "the trailer section", 56)
])
func truncatedInput(text: String, expected: String, received: Int) {
    #expect(requestError(text) == .truncated(expected: expected, received: received))
}

@Test func incompleteInputWithoutEndIsNil() throws {
    #expect(
        try HTTPParser<HTTPRequest>.parse(bytes("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\nabc")) == nil)
}

@Test func errorsAreSticky() {
    var parser = HTTPParser<HTTPRequest>()
    parser.append(bytes("GET / HTTP/9.9\r\n\r\n"))
    #expect(parseError { () throws(HTTPParseError) in _ = try parser.next() } == .unsupportedVersion("HTTP/9.9"))
    parser.append(bytes("GET / HTTP/1.1\r\n\r\n"))
    #expect(parseError { () throws(HTTPParseError) in _ = try parser.next() } == .unsupportedVersion("HTTP/9.9"))
}

@Test func everyErrorHasAOneLineDescription() {
    let errors: [HTTPParseError] = [
        .malformedRequestLine("GET /\r\n"), .malformedStatusLine("x"), .unsupportedVersion("HTTP/2"),
        .startLineTooLong(limit: 1), .invalidHeaderName("a b"), .invalidHeaderValue(name: "X"),
        .malformedHeaderLine("x"), .obsoleteLineFolding(" x"), .bareLineFeed(offset: 1),
        .bareCarriageReturn(offset: 2), .tooManyHeaders(limit: 100), .headersTooLarge(limit: 65536),
        .invalidContentLength("x"), .conflictingContentLength("1", "2"), .contentLengthAndChunked,
        .missingHost, .multipleHosts("a", "b"), .unsupportedTransferEncoding("gzip"), .invalidChunkSize("x"),
        .chunkSizeOverflow("fff"),
        .chunkLineTooLong(limit: 1024), .missingChunkTerminator(offset: 3), .bodyTooLarge(limit: 10),
        .truncated(expected: "the header section", received: 5), .invalidURL("x", reason: "y")
    ]
    for error in errors {
        #expect(!error.description.isEmpty && !error.description.contains("\n"))
    }
    #expect(HTTPParseError.malformedRequestLine("GET /\r\n").description == #"malformed request line: "GET /\r\n""#)
    #expect(HTTPParseError.bodyTooLarge(limit: 10).description == "body larger than 10 bytes")
}

@Test func randomGarbageNeverCrashes() {
    var generator = SeededGenerator(seed: 20_261_126)
    let alphabet = bytes("GETPOSTHTTP/1.01 :\r\n\r\n\t;0123456789abcdefXContent-LengthTransfer-Encodingchunked\u{0}")
    let valid =
        (try? HTTPRequest(.post, url: "http://h/x", json: #"{"a":1}"#, framing: .chunked(chunkSize: 3)))?
        .serialize() ?? []
    var messages = 0
    for round in 0..<3000 {
        var input: [UInt8]
        switch round % 3 {
        case 0:
            input = (0..<Int.random(in: 0...200, using: &generator)).map { _ in
                UInt8.random(in: 0...255, using: &generator)
            }
        case 1:
            input = (0..<Int.random(in: 0...200, using: &generator)).map { _ in
                alphabet.randomElement(using: &generator) ?? 0
            }
        default:
            input = valid
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                input[Int.random(in: 0..<input.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
        }
        let pieces = (0..<8).map { _ in Int.random(in: 1...20, using: &generator) }
        if let parsed = try? parseAll(input, pieces: pieces, parser: HTTPParser<HTTPRequest>(), finish: true) {
            messages += parsed.count
        }
        _ = try? parseAll(input, pieces: pieces, parser: HTTPParser<HTTPResponse>(), finish: true)
    }
    #expect(messages > 0)
}

@Test func extremeLimitsNeverTrap() throws {
    let huge = HTTPParserLimits(
        maxStartLineLength: .max, maxHeaderCount: .max, maxHeaderBytes: .max,
        maxBodySize: .max, maxChunkLineLength: .max)
    let head = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
    #expect(try HTTPParser<HTTPRequest>.parse(bytes(head + "ffffffffffff\r\nabc"), limits: huge) == nil)
    #expect(
        parseError { () throws(HTTPParseError) in
            _ = try HTTPParser<HTTPRequest>.parse(bytes(head + "7fffffffffffffff\r\nabc"), limits: huge)
        } == .bodyTooLarge(limit: .max))
    let tiny = HTTPParserLimits(
        maxStartLineLength: -1, maxHeaderCount: -1, maxHeaderBytes: -1,
        maxBodySize: -1, maxChunkLineLength: -1)
    #expect(requestError("GET / HTTP/1.1\r\n\r\n", limits: tiny) == .startLineTooLong(limit: -1))
    let request = try HTTPRequest(.post, url: "http://h/", data: [1, 2, 3])
    #expect(request.pretty(maxBodyBytes: -5).contains("(3 bytes of binary data)"))
}
