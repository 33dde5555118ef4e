@testable import L7Application

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

/// Feeds `input` in the given piece sizes and collects every message that comes out.
func parseAll<M: HTTPMessage>(
    _ input: [UInt8], pieces: [Int], parser start: HTTPParser<M> = HTTPParser<M>(), finish: Bool = false
) throws -> [HTTPParsed<M>] {
    var parser = start
    var out: [HTTPParsed<M>] = []
    var offset = 0
    var index = 0
    while offset < input.count {
        let size = max(1, pieces.isEmpty ? input.count : pieces[index % pieces.count])
        index += 1
        let end = min(input.count, offset + size)
        parser.append(input[offset..<end])
        offset = end
        while let parsed = try parser.next() { out.append(parsed) }
    }
    if finish {
        parser.finish()
        while let parsed = try parser.next() { out.append(parsed) }
    }
    return out
}

/// The error a throwing closure throws, as an `HTTPParseError`.
func parseError(_ body: () throws(HTTPParseError) -> Void) -> HTTPParseError? {
    do { try body() } catch { return error }
    return nil
}

/// The error parsing `text` as a request throws (the input ended after it). The Host check is
/// off unless asked for, so each test looks at one fault alone.
func requestError(
    _ text: String, limits: HTTPParserLimits = HTTPParserLimits(), requiresHost: Bool = false
) -> HTTPParseError? {
    parseError { () throws(HTTPParseError) in
        _ = try HTTPParser<HTTPRequest>.parse(bytes(text), endOfInput: true, limits: limits, requiresHost: requiresHost)
    }
}

/// The error parsing `text` as a response throws (the input ended after it).
func responseError(_ text: String) -> HTTPParseError? {
    parseError { () throws(HTTPParseError) in
        _ = try HTTPParser<HTTPResponse>.parse(bytes(text), endOfInput: true)
    }
}
