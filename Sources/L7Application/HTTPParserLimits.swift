/// The bounds an ``HTTPParser`` keeps so that no input, however long or hostile, grows it
/// without bound; each exceeded bound throws its own ``HTTPParseError``.
///
/// ```swift
/// var limits = HTTPParserLimits()
/// limits.maxBodySize = 64 * 1024            // answer 413 above 64 KiB
/// var parser = HTTPParser<HTTPRequest>(limits: limits)
/// ```
public struct HTTPParserLimits: Hashable, Sendable {
    /// Longest request line or status line, CRLF excluded: 8,192 bytes
    /// (``HTTPParseError/startLineTooLong(limit:)``).
    public var maxStartLineLength: Int
    /// Most header fields, and separately most trailer fields: 100
    /// (``HTTPParseError/tooManyHeaders(limit:)``).
    public var maxHeaderCount: Int
    /// Largest header section, start line and CRLFs included, and separately largest trailer
    /// section: 65,536 bytes (``HTTPParseError/headersTooLarge(limit:)``).
    public var maxHeaderBytes: Int
    /// Largest body: 1 MiB (``HTTPParseError/bodyTooLarge(limit:)``). A chunked body counts as
    /// received, chunk-size lines and CRLFs included, so framing cannot grow memory either.
    public var maxBodySize: Int
    /// Longest chunk-size line with its extensions, CRLF excluded: 1,024 bytes
    /// (``HTTPParseError/chunkLineTooLong(limit:)``).
    public var maxChunkLineLength: Int

    /// Limits with defaults: 8 KiB start line, 100 fields, 64 KiB of fields, 1 MiB body, 1 KiB chunk-size line.
    public init(
        maxStartLineLength: Int = 8192, maxHeaderCount: Int = 100, maxHeaderBytes: Int = 65536,
        maxBodySize: Int = 1 << 20, maxChunkLineLength: Int = 1024
    ) {
        self.maxStartLineLength = maxStartLineLength
        self.maxHeaderCount = maxHeaderCount
        self.maxHeaderBytes = maxHeaderBytes
        self.maxBodySize = maxBodySize
        self.maxChunkLineLength = maxChunkLineLength
    }
}

/// A message the parser completed, with the exact bytes it came from.
///
/// ```swift
/// if let parsed = try HTTPParser<HTTPRequest>.parse(input) {
///     print(HTTPDump.wire(parsed.rawBytes))     // exactly as sent
///     let rest = input.dropFirst(parsed.consumed) // the next pipelined message
/// }
/// ```
public struct HTTPParsed<Message: HTTPMessage>: Sendable, Equatable {
    /// The message.
    public let message: Message
    /// The bytes of the message exactly as received: print them to show it as sent.
    public let rawBytes: [UInt8]
    /// How many input bytes the message used: ``rawBytes`` plus any empty lines before it.
    public let consumed: Int
    /// How the body was delimited on the wire.
    public let framing: HTTPReceivedFraming
}

/// How the body of a received message was delimited, for showing the parser's work.
///
/// ```swift
/// print(parsed.framing)    // "chunked: 3 chunks, the largest 8 bytes"
/// ```
public enum HTTPReceivedFraming: Hashable, Sendable, CustomStringConvertible {
    /// No body: a request without length, or a response to HEAD, 1xx, 204 or 304.
    case noBody
    /// `Content-Length` bytes followed the header section.
    case contentLength(Int)
    /// Chunked transfer coding: this many data chunks before the last, empty one.
    case chunked(chunks: Int, largestChunk: Int)
    /// A response without length, read until the input ended: this many bytes.
    case untilEndOfInput(Int)

    public var description: String {
        switch self {
        case .noBody: "no body"
        case .contentLength(let length): "Content-Length: \(length) bytes"
        case .chunked(let chunks, let largest): "chunked: \(chunks) chunks, the largest \(largest) bytes"
        case .untilEndOfInput(let length): "read to the end of input: \(length) bytes"
        }
    }
}
