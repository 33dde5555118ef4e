import SignalBasics
import Testing

@testable import L7Application

// Property-based round trips at layer 7, deterministic seeds: random requests and responses,
// serialized, pipelined and fed to the parser in random pieces, come back equal.

private let tokenChars = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")
private let targetChars = Array("abcdefghijklmnopqrstuvwxyz0123456789/._~-%=&")
private let valueChars = Array(
    "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789;,=/:\"'()[]{}<>@?!#$%&*+.^_`|~-")

private func word(_ chars: [Character], _ range: ClosedRange<Int>, _ rng: inout SeededGenerator) -> String {
    String((0..<Int.random(in: range, using: &rng)).map { _ in chars[Int.random(in: 0..<chars.count, using: &rng)] })
}

/// Field values without leading or trailing spaces (the parser trims them, as RFC 9110 says).
private func value(_ rng: inout SeededGenerator) -> String {
    word(valueChars, 0...30, &rng).trimmedSpaces()
}

extension String {
    fileprivate func trimmedSpaces() -> String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}

private func randomFields(_ rng: inout SeededGenerator, prefix: String) throws -> HTTPHeaders {
    var fields = HTTPHeaders()
    for i in 0..<Int.random(in: 0...5, using: &rng) {
        try fields.add(name: "\(prefix)\(i)-" + word(tokenChars, 1...10, &rng), value: value(&rng))
    }
    return fields
}

private func randomBody<M: HTTPMessage>(_ message: inout M, _ rng: inout SeededGenerator) throws {
    let body = (0..<Int.random(in: 0...300, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
    if Bool.random(using: &rng) {
        try message.setBody(body, contentType: "application/octet-stream", framing: .contentLength)
    } else {
        try message.setBody(
            body, contentType: "application/octet-stream",
            framing: .chunked(chunkSize: Int.random(in: 1...64, using: &rng)),
            trailers: try randomFields(&rng, prefix: "X-Trailer"))
    }
}

private func randomRequest(_ rng: inout SeededGenerator) throws -> HTTPRequest {
    let methods: [HTTPMethod] = [.get, .post, .put, .delete, .patch, .options]
    let target =
        "/" + word(targetChars, 0...40, &rng) + (Bool.random(using: &rng) ? "?q=" + word(tokenChars, 0...8, &rng) : "")
    var request = try HTTPRequest(
        methods[Int.random(in: 0..<methods.count, using: &rng)],
        url: "http://10.0.0.\(Int.random(in: 1...254, using: &rng)):8080\(target)",
        headers: try randomFields(&rng, prefix: "X-H"))
    if Bool.random(using: &rng) { try randomBody(&request, &rng) }
    return request
}

private func randomResponse(_ rng: inout SeededGenerator) throws -> HTTPResponse {
    let codes = [200, 201, 202, 206, 400, 403, 404, 500, 503]
    let status = try #require(HTTPStatus(code: codes[Int.random(in: 0..<codes.count, using: &rng)]))
    var response = HTTPResponse(status: status, headers: try randomFields(&rng, prefix: "X-R"))
    try randomBody(&response, &rng)
    return response
}

/// Feeds `wire` in random pieces and collects every message.
private func parseInPieces<M: HTTPMessage>(_ wire: [UInt8], _ rng: inout SeededGenerator) throws -> [HTTPParsed<M>] {
    let pieces = (0..<Int.random(in: 1...6, using: &rng)).map { _ in Int.random(in: 1...97, using: &rng) }
    return try parseAll(wire, pieces: pieces, parser: HTTPParser<M>(), finish: true)
}

@Test func httpRequestRoundTripProperty() throws {
    var rng = SeededGenerator(seed: 0x4775)
    for _ in 0..<150 {
        let requests = try (0..<Int.random(in: 1...4, using: &rng)).map { _ in try randomRequest(&rng) }
        let wire = requests.flatMap { $0.serialize() }
        let parsed: [HTTPParsed<HTTPRequest>] = try parseInPieces(wire, &rng)
        #expect(parsed.map(\.message) == requests)
        #expect(parsed.reduce(0) { $0 + $1.consumed } == wire.count)
        #expect(parsed.flatMap(\.rawBytes) == wire)
    }
}

@Test func httpResponseRoundTripProperty() throws {
    var rng = SeededGenerator(seed: 0x4776)
    for _ in 0..<150 {
        let responses = try (0..<Int.random(in: 1...4, using: &rng)).map { _ in try randomResponse(&rng) }
        let wire = responses.flatMap { $0.serialize() }
        let parsed: [HTTPParsed<HTTPResponse>] = try parseInPieces(wire, &rng)
        #expect(parsed.map(\.message) == responses)
        #expect(parsed.flatMap(\.rawBytes) == wire)
    }
}

/// A stream cut anywhere inside its last message gives every message before the cut, then
/// `truncated` at the end of input — never a shortened message.
@Test func httpCutStreamGivesWholeMessagesOnly() throws {
    var rng = SeededGenerator(seed: 0x4777)
    for _ in 0..<150 {
        let requests = try (0..<Int.random(in: 1...3, using: &rng)).map { _ in try randomRequest(&rng) }
        let wire = requests.flatMap { $0.serialize() }
        let lastLength = requests.last?.serialize().count ?? 0
        let cut = Array(wire.prefix(wire.count - Int.random(in: 1...(lastLength - 1), using: &rng)))
        var parser = HTTPParser<HTTPRequest>()
        parser.append(cut)
        parser.finish()
        var got: [HTTPRequest] = []
        var threw = false
        do { while let p = try parser.next() { got.append(p.message) } } catch {
            threw = true
            #expect({ if case .truncated = error { return true } else { return false } }(), "\(error)")
        }
        #expect(got == Array(requests.dropLast()))
        #expect(threw)
    }
}
