/// Everything that can be wrong with HTTP/1.1 bytes or values, one case per fault.
///
/// The parser throws these for bad bytes (and returns `nil` for "need more bytes");
/// the builders throw them for values that could not be sent.
///
/// ```swift
/// do { _ = try HTTPParser<HTTPRequest>.parse(Array("GET /\r\n\r\n".utf8)) }
/// catch { print(error) }   // malformed request line: "GET /"
/// ```
public enum HTTPParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The request line is not `method SP request-target SP HTTP-version`.
    case malformedRequestLine(String)
    /// The status line is not `HTTP-version SP status-code SP reason-phrase`.
    case malformedStatusLine(String)
    /// The version is well placed but not `HTTP/1.1` or `HTTP/1.0`.
    case unsupportedVersion(String)
    /// The request line or status line is longer than the limit.
    case startLineTooLong(limit: Int)
    /// A field name is empty or holds a character that is not a token character.
    case invalidHeaderName(String)
    /// The value of the named field holds CR, LF, NUL or another control character.
    case invalidHeaderValue(name: String)
    /// A field line has no colon.
    case malformedHeaderLine(String)
    /// A field line starts with whitespace: obsolete line folding (RFC 9112 §5.2).
    case obsoleteLineFolding(String)
    /// A line ended in LF without CR, at this offset of the message.
    case bareLineFeed(offset: Int)
    /// A CR not followed by LF, at this offset of the message.
    case bareCarriageReturn(offset: Int)
    /// The header section has more fields than the limit.
    case tooManyHeaders(limit: Int)
    /// The header section (start line included) or trailer section is larger than the limit.
    case headersTooLarge(limit: Int)
    /// A Content-Length value is not a decimal number that fits the parser.
    case invalidContentLength(String)
    /// Two Content-Length values disagree.
    case conflictingContentLength(String, String)
    /// Both Content-Length and Transfer-Encoding are present (RFC 9112 §6.3).
    case contentLengthAndChunked
    /// An HTTP/1.1 request without a Host field (RFC 9112 §3.2).
    case missingHost
    /// A request with two Host fields, these the first two values (RFC 9112 §3.2).
    case multipleHosts(String, String)
    /// A request's Transfer-Encoding does not end in `chunked` (its length is unknown), or an
    /// HTTP/1.0 message has one (RFC 9112 §6.1).
    case unsupportedTransferEncoding(String)
    /// A chunk-size line does not start with hex digits or has a bad extension.
    case invalidChunkSize(String)
    /// A chunk size has more hex digits than fit in an `Int`.
    case chunkSizeOverflow(String)
    /// A chunk-size line is longer than the limit.
    case chunkLineTooLong(limit: Int)
    /// The chunk's data is not followed by CRLF, at this offset of the message.
    case missingChunkTerminator(offset: Int)
    /// The body is larger than the limit (answer 413 Content Too Large).
    case bodyTooLarge(limit: Int)
    /// The input ended while reading `expected`, after `received` bytes of the message.
    case truncated(expected: String, received: Int)
    /// A URL that cannot be sent as an HTTP/1.1 request, and why.
    case invalidURL(String, reason: String)

    /// One line saying what was wrong with which value.
    public var description: String {
        switch self {
        case .malformedRequestLine(let line): "malformed request line: \(quoted(line))"
        case .malformedStatusLine(let line): "malformed status line: \(quoted(line))"
        case .unsupportedVersion(let version): "unsupported HTTP version \(quoted(version)) (HTTP/1.1 or HTTP/1.0 only)"
        case .startLineTooLong(let limit): "start line longer than \(limit) bytes"
        case .invalidHeaderName(let name): "invalid header field name \(quoted(name))"
        case .invalidHeaderValue(let name):
            "invalid value for header field \(quoted(name)): CR, LF, NUL or control character"
        case .malformedHeaderLine(let line): "header line without colon: \(quoted(line))"
        case .obsoleteLineFolding(let line): "obsolete line folding (line starts with whitespace): \(quoted(line))"
        case .bareLineFeed(let offset): "bare LF without CR at byte \(offset)"
        case .bareCarriageReturn(let offset): "bare CR without LF at byte \(offset)"
        case .tooManyHeaders(let limit): "more than \(limit) header fields"
        case .headersTooLarge(let limit): "header section larger than \(limit) bytes"
        case .invalidContentLength(let value): "invalid Content-Length \(quoted(value))"
        case .conflictingContentLength(let a, let b): "conflicting Content-Length values \(quoted(a)) and \(quoted(b))"
        case .contentLengthAndChunked: "both Content-Length and Transfer-Encoding present"
        case .missingHost: "HTTP/1.1 request without a Host field"
        case .multipleHosts(let a, let b): "more than one Host field: \(quoted(a)) and \(quoted(b))"
        case .unsupportedTransferEncoding(let value):
            "unsupported Transfer-Encoding \(quoted(value)): a request's must end in chunked, HTTP/1.0 has none"
        case .invalidChunkSize(let line): "invalid chunk size line \(quoted(line))"
        case .chunkSizeOverflow(let digits): "chunk size \(quoted(digits)) overflows"
        case .chunkLineTooLong(let limit): "chunk size line longer than \(limit) bytes"
        case .missingChunkTerminator(let offset): "chunk data not followed by CRLF at byte \(offset)"
        case .bodyTooLarge(let limit): "body larger than \(limit) bytes"
        case .truncated(let expected, let received): "input ended after \(received) bytes while reading \(expected)"
        case .invalidURL(let url, let reason): "invalid URL \(quoted(url)): \(reason)"
        }
    }
}

/// Quotes a value for an error line, escaping controls and cutting it at 80 characters.
func quoted(_ text: String) -> String {
    var out = "\""
    var count = 0
    for scalar in text.unicodeScalars {
        if count == 80 { out += "…"; break }
        count += 1
        switch scalar {
        case "\r": out += "\\r"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        default:
            if scalar.value < 0x20 || scalar.value == 0x7F {
                out += "\\x" + hex2(UInt8(truncatingIfNeeded: scalar.value))
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out + "\""
}
