/// An HTTP/1.1 request: method, target, version, header fields, body and trailers.
///
/// ```swift
/// let request = try HTTPRequest(.post, url: "http://10.0.0.2:8080/api?x=1", json: #"{"a":1}"#)
/// request.startLine          // "POST /api?x=1 HTTP/1.1"
/// request.headers["host"]    // "10.0.0.2:8080"
/// let wire = request.serialize()
/// ```
public struct HTTPRequest: HTTPMessage {
    /// The request method (GET, POST, …).
    public var method: HTTPMethod
    /// The request target as sent: origin-form `/path?query` for most requests.
    public var target: String
    /// The protocol version of the request line.
    public var version: HTTPVersion
    /// The header fields in the order sent.
    public var headers: HTTPHeaders
    /// The body bytes, de-chunked when the message was chunked.
    public var body: [UInt8]
    /// The trailer fields after a chunked body (empty otherwise).
    public var trailers: HTTPHeaders
    /// Body bytes per chunk when ``serialize()`` writes a chunked body; the parser sets it to the largest chunk received. Not part of equality.
    public var chunkSize: Int

    /// A request with exactly these parts. The fields are written as given: use a builder or
    /// ``setBody(_:contentType:framing:trailers:)`` to get Content-Length right, and
    /// ``validate()`` to check a hand-made start line.
    public init(
        method: HTTPMethod, target: String, version: HTTPVersion = .http1_1,
        headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = [],
        trailers: HTTPHeaders = HTTPHeaders(), chunkSize: Int = 1024
    ) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
        self.body = body
        self.trailers = trailers
        self.chunkSize = chunkSize
    }

    /// Parses `method SP request-target SP HTTP-version` (without CRLF), exactly one SP apart.
    public init(startLine line: ArraySlice<UInt8>) throws(HTTPParseError) {
        let parts = line.split(separator: HTTPSyntax.sp, omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty }) else {
            throw .malformedRequestLine(HTTPSyntax.text(line))
        }
        guard HTTPSyntax.isToken(parts[0]), parts[1].allSatisfy(HTTPSyntax.isTargetByte) else {
            throw .malformedRequestLine(HTTPSyntax.text(line))
        }
        let versionText = HTTPSyntax.text(parts[2])
        guard let version = HTTPVersion(versionText) else {
            if versionText.hasPrefix("HTTP/") { throw .unsupportedVersion(versionText) }
            throw .malformedRequestLine(HTTPSyntax.text(line))
        }
        self.init(
            method: HTTPMethod(unchecked: HTTPSyntax.text(parts[0])),
            target: HTTPSyntax.text(parts[1]), version: version)
    }

    /// `"GET /index.html HTTP/1.1"`.
    public var startLine: String { "\(method) \(target) \(version)" }

    /// Equal when method, target, version, fields, body and trailers are; ``chunkSize`` is how
    /// the body is cut on the wire, not what the request says.
    public static func == (a: HTTPRequest, b: HTTPRequest) -> Bool {
        a.method == b.method && a.target == b.target && a.version == b.version
            && a.headers == b.headers && a.body == b.body && a.trailers == b.trailers
    }
}

extension HTTPRequest {
    /// A request for a URL without a body: `Host` from the URL, the target in origin-form,
    /// then `headers`.
    ///
    /// ```swift
    /// let get = try HTTPRequest(.get, url: "http://10.0.0.2:8080/status")
    /// // GET /status HTTP/1.1 / Host: 10.0.0.2:8080
    /// ```
    public init(_ method: HTTPMethod, url: String, headers: HTTPHeaders = HTTPHeaders()) throws(HTTPParseError) {
        let parsed = try HTTPURL(url)
        var fields = HTTPHeaders()
        if !headers.contains("Host") { fields.add(HTTPField(unchecked: "Host", value: parsed.authority)) }
        for field in headers { fields.add(field) }
        self.init(method: method, target: parsed.target, headers: fields)
    }

    /// A request carrying JSON text: `Content-Type: application/json` and Content-Length
    /// (or chunked).
    ///
    /// ```swift
    /// let post = try HTTPRequest(.post, url: "http://10.0.0.2:8080/api", json: #"{"a":1}"#)
    /// ```
    public init(
        _ method: HTTPMethod = .post, url: String, json: String, headers: HTTPHeaders = HTTPHeaders(),
        framing: HTTPBodyFraming = .contentLength, trailers: HTTPHeaders = HTTPHeaders()
    ) throws(HTTPParseError) {
        try self.init(
            method, url: url, data: Array(json.utf8), contentType: "application/json",
            headers: headers, framing: framing, trailers: trailers)
    }

    /// A request carrying bytes of `contentType` (kept if `headers` names one), framed by
    /// Content-Length or chunked.
    ///
    /// ```swift
    /// let put = try HTTPRequest(.put, url: "http://h/f.bin", data: [1, 2, 3],
    ///                           framing: .chunked(chunkSize: 2))
    /// ```
    public init(
        _ method: HTTPMethod = .post, url: String, data: [UInt8],
        contentType: String = "application/octet-stream", headers: HTTPHeaders = HTTPHeaders(),
        framing: HTTPBodyFraming = .contentLength, trailers: HTTPHeaders = HTTPHeaders()
    ) throws(HTTPParseError) {
        try self.init(method, url: url, headers: headers)
        try setBody(
            data, contentType: headers.contains("Content-Type") ? nil : contentType,
            framing: framing, trailers: trailers)
    }
}

/// The parts of an `http://` URL that an HTTP/1.1 request needs.
///
/// ```swift
/// let url = try HTTPURL("http://10.0.0.2:8080/api?x=1#top")
/// url.host        // "10.0.0.2"
/// url.port        // 8080
/// url.authority   // "10.0.0.2:8080"  (the Host field)
/// url.target      // "/api?x=1"       (origin-form; the fragment is not sent)
/// ```
public struct HTTPURL: Hashable, Sendable {
    /// The host: a name, an IPv4 address, or an IPv6 address in brackets.
    public let host: String
    /// The port, 80 when the URL names none.
    public let port: Int
    /// `host[:port]` as written in the URL: the value of the Host field.
    public let authority: String
    /// The origin-form target: path (at least `/`) and `?query`.
    public let target: String

    /// Splits an `http://` URL; throws ``HTTPParseError/invalidURL(_:reason:)`` for anything else.
    public init(_ url: String) throws(HTTPParseError) {
        func fail(_ reason: String) -> HTTPParseError { .invalidURL(url, reason: reason) }
        let bytes = Array(url.utf8)
        guard bytes.allSatisfy(HTTPSyntax.isTargetByte) else { throw fail("spaces or control characters") }
        let lower = String(decoding: bytes.prefix(8).map { $0 | 0x20 }, as: UTF8.self)
        guard lower.hasPrefix("http://") else {
            throw fail(lower.hasPrefix("https://") ? "https needs TLS, which this stack lacks" : "not an http:// URL")
        }
        var rest = bytes[7...]
        if let hash = rest.firstIndex(of: UInt8(ascii: "#")) { rest = rest[..<hash] }
        let authorityEnd = rest.firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        guard !authority.contains(UInt8(ascii: "@")) else { throw fail("user information is not sent") }
        var hostPart = authority
        var port = 80
        let bracketEnd = authority.lastIndex(of: UInt8(ascii: "]"))
        if let colon = authority.lastIndex(of: UInt8(ascii: ":")), colon > (bracketEnd ?? authority.startIndex) {
            let digits = authority[(colon + 1)...]
            guard let number = HTTPSyntax.decimal(digits), number <= 65535 else { throw fail("bad port") }
            port = number
            hostPart = authority[..<colon]
        }
        guard !hostPart.isEmpty else { throw fail("no host") }
        if hostPart.first == UInt8(ascii: "[") {
            guard hostPart.last == UInt8(ascii: "]"), hostPart.count > 2 else { throw fail("bad IPv6 literal") }
        } else {
            let hostOK = hostPart.allSatisfy { byte in
                HTTPSyntax.isTokenChar(byte) && byte != UInt8(ascii: "|") && byte != UInt8(ascii: "^")
            }
            guard hostOK else { throw fail("bad host") }
        }
        var target = Array(rest[authorityEnd...])
        if target.first != UInt8(ascii: "/") { target.insert(UInt8(ascii: "/"), at: 0) }
        self.host = HTTPSyntax.text(hostPart)
        self.port = port
        self.authority = HTTPSyntax.text(authority)
        self.target = HTTPSyntax.text(target)
    }
}
