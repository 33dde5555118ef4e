/// An incremental HTTP/1.1 message parser (RFC 9112): feed it bytes in any pieces and it hands
/// back each message once all of it has arrived.
///
/// Like a codec's decoder, ``next()`` returns `nil` for "need more bytes" and throws an
/// ``HTTPParseError`` for bad bytes. After an error the stream is out of step, so the parser
/// throws that error again on every later call.
///
/// ```swift
/// var parser = HTTPParser<HTTPRequest>()
/// for piece in pieces {
///     parser.append(piece)
///     while let parsed = try parser.next() {     // pipelined requests come out one by one
///         print(parsed.message.pretty())
///     }
/// }
/// parser.finish()                                // the input ended
/// _ = try parser.next()                          // throws .truncated if mid-message
/// ```
///
/// A response's body depends on the request it answers (none after HEAD): see
/// ``init(respondingTo:limits:allowsBareLineFeed:)``. A response without Content-Length or
/// chunked coding runs to the end of the input, so it comes out only after ``finish()``.
public struct HTTPParser<Message: HTTPMessage>: Sendable {
    /// The bounds that stop hostile or broken input.
    public var limits: HTTPParserLimits
    /// Accept LF alone as a line end (RFC 9112 §2.2 allows this leniency); a bare CR is
    /// always rejected.
    public var allowsBareLineFeed: Bool
    /// Reject an HTTP/1.1 request without a Host field and any request with more than one
    /// (RFC 9112 §3.2: a server answers 400); on by default, no effect on responses.
    public var requiresHost = true

    var responseToMethod: HTTPMethod = .get
    private var buffer: [UInt8] = []
    private var messageStart = 0
    private var cursor = 0
    private var scan = 0
    private var state = State.startLine
    private var head: Message?
    private var sectionStart = 0
    private var fieldCount = 0
    private var bodyStart = 0
    private var body: [UInt8] = []
    private var largestChunk = 0
    private var chunkCount = 0
    private var framing = HTTPReceivedFraming.noBody
    private var skippedLines = 0
    private var inputEnded = false
    private var failure: HTTPParseError?

    private enum State: Equatable {
        case startLine, headers, done, fixedBody(Int), chunkLine, chunkData(Int), chunkDataEnd, trailers, untilEnd
    }

    /// A parser with these limits, strict about line ends unless `allowsBareLineFeed`.
    public init(limits: HTTPParserLimits = HTTPParserLimits(), allowsBareLineFeed: Bool = false) {
        self.limits = limits
        self.allowsBareLineFeed = allowsBareLineFeed
    }

    /// Bytes received and not yet handed back as a message.
    public var bufferedByteCount: Int { buffer.count - messageStart }

    /// Adds received bytes.
    public mutating func append(_ bytes: some Sequence<UInt8>) {
        buffer.append(contentsOf: bytes)
    }

    /// Marks the end of the input: a response read to the end completes, anything else
    /// unfinished throws ``HTTPParseError/truncated(expected:received:)``.
    public mutating func finish() { inputEnded = true }

    /// Adds bytes and returns the next complete message, if any; call ``next()`` for more.
    public mutating func feed(_ bytes: some Sequence<UInt8>) throws(HTTPParseError) -> HTTPParsed<Message>? {
        append(bytes)
        return try next()
    }

    /// The next complete message, or `nil` until more bytes arrive.
    ///
    /// - Complexity: O(*n*) in the bytes added since the last call; bytes are scanned once.
    public mutating func next() throws(HTTPParseError) -> HTTPParsed<Message>? {
        if let failure { throw failure }
        do throws(HTTPParseError) {
            if let parsed = try advance() { return parsed }
            if inputEnded { return try atEndOfInput() }
            return nil
        } catch {
            failure = error
            throw error
        }
    }

    /// Parses one message from the start of `bytes`: `nil` when it is incomplete (or, with
    /// `endOfInput`, ``HTTPParseError/truncated(expected:received:)``).
    ///
    /// ```swift
    /// let parsed = try HTTPParser<HTTPRequest>.parse(Array("GET / HTTP/1.1\r\nHost: a\r\n\r\n".utf8))
    /// parsed?.message.target     // "/"
    /// ```
    public static func parse(
        _ bytes: some Sequence<UInt8>, endOfInput: Bool = false,
        limits: HTTPParserLimits = HTTPParserLimits(), allowsBareLineFeed: Bool = false,
        requiresHost: Bool = true
    ) throws(HTTPParseError) -> HTTPParsed<Message>? {
        var parser = HTTPParser(limits: limits, allowsBareLineFeed: allowsBareLineFeed)
        parser.requiresHost = requiresHost
        parser.append(bytes)
        if endOfInput { parser.finish() }
        return try parser.next()
    }

    // MARK: - The state machine

    private mutating func advance() throws(HTTPParseError) -> HTTPParsed<Message>? {
        while true {
            switch state {
            case .startLine:
                guard
                    let line = try nextLine(
                        limit: limits.maxStartLineLength,
                        tooLong: .startLineTooLong(limit: limits.maxStartLineLength))
                else { return nil }
                if line.isEmpty {  // RFC 9112 §2.2: ignore empty lines before a message
                    skippedLines += cursor - messageStart
                    messageStart = cursor
                    compact()
                    continue
                }
                head = try Message(startLine: buffer[line])
                sectionStart = messageStart
                fieldCount = 0
                state = .headers
            case .headers, .trailers:
                let remaining = max(0, limits.maxHeaderBytes - (cursor - sectionStart))
                guard let line = try nextLine(limit: remaining, tooLong: .headersTooLarge(limit: limits.maxHeaderBytes))
                else { return nil }
                if cursor - sectionStart > limits.maxHeaderBytes {
                    throw .headersTooLarge(limit: limits.maxHeaderBytes)
                }
                if line.isEmpty {
                    if state == .trailers { return complete() }
                    guard let head else { return nil }
                    switch try bodyFraming(of: head) {
                    case .none: state = .done; framing = .noBody
                    case .length(let length): state = .fixedBody(length); framing = .contentLength(length)
                    case .chunked: state = .chunkLine
                    case .untilEnd: state = .untilEnd
                    }
                    if requiresHost { try checkHost(of: head) }
                    bodyStart = cursor
                    continue
                }
                let field = try parseField(buffer[line])
                fieldCount += 1
                if fieldCount > limits.maxHeaderCount { throw .tooManyHeaders(limit: limits.maxHeaderCount) }
                if state == .trailers { head?.trailers.add(field) } else { head?.headers.add(field) }
            case .done:
                return complete()
            case .fixedBody(let length):
                guard buffer.count - cursor >= length else { return nil }
                body = Array(buffer[cursor..<(cursor + length)])
                cursor += length
                return complete()
            case .chunkLine:
                guard
                    let line = try nextLine(
                        limit: limits.maxChunkLineLength,
                        tooLong: .chunkLineTooLong(limit: limits.maxChunkLineLength))
                else { return nil }
                let size = try parseChunkSize(buffer[line])
                let (wireSize, overflow) = (cursor - bodyStart + 2).addingReportingOverflow(size)
                if size > 0, overflow || wireSize > limits.maxBodySize {
                    throw .bodyTooLarge(limit: limits.maxBodySize)
                }
                if size == 0 {
                    state = .trailers
                    sectionStart = cursor
                    fieldCount = 0
                } else {
                    largestChunk = max(largestChunk, size)
                    chunkCount += 1
                    state = .chunkData(size)
                }
            case .chunkData(let size):
                guard buffer.count - cursor >= size else { return nil }
                body.append(contentsOf: buffer[cursor..<(cursor + size)])
                cursor += size
                scan = cursor
                state = .chunkDataEnd
            case .chunkDataEnd:
                let offset = cursor - messageStart
                guard let line = try nextLine(limit: 0, tooLong: .missingChunkTerminator(offset: offset))
                else { return nil }
                guard line.isEmpty else { throw .missingChunkTerminator(offset: offset) }
                state = .chunkLine
            case .untilEnd:
                cursor = buffer.count
                scan = cursor
                if cursor - bodyStart > limits.maxBodySize { throw .bodyTooLarge(limit: limits.maxBodySize) }
                return nil
            }
        }
    }

    /// The end of input in the middle of a message: complete a read-to-end body, or say what
    /// was cut short.
    private mutating func atEndOfInput() throws(HTTPParseError) -> HTTPParsed<Message>? {
        let received = buffer.count - messageStart
        let expected: String
        switch state {
        case .untilEnd:
            body = Array(buffer[bodyStart..<buffer.count])
            return complete()
        case .startLine:
            if received == 0 { return nil }
            expected = "the start line"
        case .headers: expected = "the header section"
        case .done: return complete()
        case .fixedBody(let length): expected = "a body of \(length) bytes (\(buffer.count - cursor) arrived)"
        case .chunkLine: expected = "a chunk-size line"
        case .chunkData(let size): expected = "a chunk of \(size) bytes (\(buffer.count - cursor) arrived)"
        case .chunkDataEnd: expected = "the CRLF after a chunk"
        case .trailers: expected = "the trailer section"
        }
        throw .truncated(expected: expected, received: received)
    }

    /// Hands back the finished message and gets ready for the next.
    private mutating func complete() -> HTTPParsed<Message>? {
        guard var message = head else { return nil }
        message.body = body
        if largestChunk > 0 { message.chunkSize = largestChunk }
        switch state {
        case .trailers: framing = .chunked(chunks: chunkCount, largestChunk: largestChunk)
        case .untilEnd: framing = .untilEndOfInput(body.count)
        default: break
        }
        let raw = Array(buffer[messageStart..<cursor])
        let consumed = skippedLines + raw.count
        skippedLines = 0
        head = nil
        body = []
        largestChunk = 0
        chunkCount = 0
        state = .startLine
        messageStart = cursor
        scan = cursor
        compact()
        return HTTPParsed(message: message, rawBytes: raw, consumed: consumed, framing: framing)
    }

    /// Drops handed-back bytes when that frees enough to be worth the copy.
    private mutating func compact() {
        guard messageStart > 0,
            messageStart == buffer.count || (messageStart >= 4096 && messageStart * 2 >= buffer.count)
        else { return }
        buffer.removeFirst(messageStart)
        cursor -= messageStart
        scan -= messageStart
        messageStart = 0
    }

    /// The next line's content (CRLF excluded), moving past it; `nil` while its end has not
    /// arrived. A line longer than `limit` throws `tooLong` as soon as that is clear.
    private mutating func nextLine(limit: Int, tooLong: HTTPParseError) throws(HTTPParseError) -> Range<Int>? {
        var index = scan
        while index < buffer.count, buffer[index] != HTTPSyntax.lf { index += 1 }
        guard index < buffer.count else {
            scan = index
            if scan - cursor - 1 > limit { throw tooLong }  // - 1: a CR may still be followed by LF
            return nil
        }
        var end = index
        if end > cursor, buffer[end - 1] == HTTPSyntax.cr {
            end -= 1
        } else if !allowsBareLineFeed {
            throw .bareLineFeed(offset: index - messageStart)
        }
        if end - cursor > limit { throw tooLong }
        if let cr = buffer[cursor..<end].firstIndex(of: HTTPSyntax.cr) {
            throw .bareCarriageReturn(offset: cr - messageStart)
        }
        let line = cursor..<end
        cursor = index + 1
        scan = cursor
        return line
    }
}
