extension HTTPParser where Message == HTTPResponse {
    /// The request method whose response this parser reads: after HEAD (or a 2xx to CONNECT)
    /// a response has no body whatever its fields say.
    ///
    /// ```swift
    /// var parser = HTTPParser<HTTPResponse>(respondingTo: .head)
    /// ```
    public init(
        respondingTo method: HTTPMethod, limits: HTTPParserLimits = HTTPParserLimits(),
        allowsBareLineFeed: Bool = false
    ) {
        self.init(limits: limits, allowsBareLineFeed: allowsBareLineFeed)
        responseToMethod = method
    }

    /// The request method whose response comes next; set it before each response when
    /// pipelining requests of different methods.
    public var respondingTo: HTTPMethod {
        get { responseToMethod }
        set { responseToMethod = newValue }
    }
}

/// The parts of the parser that read field lines, body framing and chunk sizes.
extension HTTPParser {
    /// Parses `field-name ":" OWS field-value OWS`; whitespace before the colon and obsolete
    /// line folding are rejected (RFC 9112 §5.1, §5.2).
    func parseField(_ line: ArraySlice<UInt8>) throws(HTTPParseError) -> HTTPField {
        if let first = line.first, HTTPSyntax.isWhitespace(first) {
            throw .obsoleteLineFolding(HTTPSyntax.text(line))
        }
        guard let colon = line.firstIndex(of: HTTPSyntax.colon) else {
            throw .malformedHeaderLine(HTTPSyntax.text(line))
        }
        let nameBytes = line[..<colon]
        let name = HTTPSyntax.text(nameBytes)
        guard HTTPSyntax.isToken(nameBytes) else { throw .invalidHeaderName(name) }
        let value = HTTPSyntax.trimmed(line[(colon + 1)...])
        guard value.allSatisfy(HTTPSyntax.isFieldValueByte) else { throw .invalidHeaderValue(name: name) }
        return HTTPField(unchecked: name, value: HTTPSyntax.text(value))
    }

    /// How the body of `head` is delimited (RFC 9112 §6.3), as the state that reads it.
    func bodyFraming(of head: Message) throws(HTTPParseError) -> BodyFraming {
        let isResponse = head is HTTPResponse
        if let response = head as? HTTPResponse {
            if responseToMethod == .head || response.status.forbidsBody { return .none }
            if responseToMethod == .connect, response.status.codeClass == 2 { return .none }
        }
        let lengths = head.headers.values(for: "Content-Length")
        if head.headers.contains("Transfer-Encoding") {
            guard lengths.isEmpty else { throw .contentLengthAndChunked }
            if head.version == .http1_0 {  // RFC 9112 §6.1: faulty framing
                throw .unsupportedTransferEncoding(
                    head.headers.values(for: "Transfer-Encoding").joined(separator: ", "))
            }
            if head.isChunked { return .chunked }
            if isResponse { return .untilEnd }
            throw .unsupportedTransferEncoding(head.headers.values(for: "Transfer-Encoding").joined(separator: ", "))
        }
        guard !lengths.isEmpty else { return isResponse ? .untilEnd : .none }
        var length: Int?
        var first = ""
        for value in lengths {
            let members = value.utf8.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
            for member in members {
                let text = HTTPSyntax.text(HTTPSyntax.trimmed(ArraySlice(member)))
                guard let number = HTTPSyntax.decimal(text.utf8) else { throw .invalidContentLength(value) }
                if let length, length != number { throw .conflictingContentLength(first, text) }
                if length == nil { first = text }
                length = number
            }
        }
        guard let length else { return .none }
        if length > limits.maxBodySize { throw .bodyTooLarge(limit: limits.maxBodySize) }
        return .length(length)
    }

    enum BodyFraming { case none, length(Int), chunked, untilEnd }

    /// Throws unless a request has exactly one Host field (none allowed in HTTP/1.0).
    func checkHost(of head: Message) throws(HTTPParseError) {
        guard head is HTTPRequest else { return }
        let hosts = head.headers.values(for: "Host")
        if hosts.count > 1 { throw .multipleHosts(hosts[0], hosts[1]) }
        if hosts.isEmpty, head.version == .http1_1 { throw .missingHost }
    }

    /// Parses `chunk-size [ chunk-ext ]`: hex digits, then nothing or `;` extensions.
    func parseChunkSize(_ line: ArraySlice<UInt8>) throws(HTTPParseError) -> Int {
        let digits = line.prefix { HTTPSyntax.hexValue($0) != nil }
        guard !digits.isEmpty else { throw .invalidChunkSize(HTTPSyntax.text(line)) }
        var size = 0
        for digit in digits {
            let (shifted, overflow) = size.multipliedReportingOverflow(by: 16)
            guard !overflow else { throw .chunkSizeOverflow(HTTPSyntax.text(digits)) }
            size = shifted + (HTTPSyntax.hexValue(digit) ?? 0)
        }
        var rest = line[digits.endIndex...]
        while let first = rest.first, HTTPSyntax.isWhitespace(first) { rest = rest.dropFirst() }
        if let first = rest.first {
            guard first == UInt8(ascii: ";"), rest.allSatisfy(HTTPSyntax.isFieldValueByte) else {
                throw .invalidChunkSize(HTTPSyntax.text(line))
            }
        }
        return size
    }
}
