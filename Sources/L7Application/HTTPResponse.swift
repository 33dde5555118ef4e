/// An HTTP/1.1 response: version, status, reason phrase, header fields, body and trailers.
///
/// ```swift
/// let response = try HTTPResponse(status: .ok, json: #"{"ok":true}"#)
/// response.startLine    // "HTTP/1.1 200 OK"
/// let wire = response.serialize()
/// ```
public struct HTTPResponse: HTTPMessage {
    /// The protocol version of the status line.
    public var version: HTTPVersion
    /// The status code.
    public var status: HTTPStatus
    /// The reason phrase as sent; the standard phrase unless given.
    public var reason: String
    /// The header fields in the order sent.
    public var headers: HTTPHeaders
    /// The body bytes, de-chunked when the message was chunked.
    public var body: [UInt8]
    /// The trailer fields after a chunked body (empty otherwise).
    public var trailers: HTTPHeaders
    /// Body bytes per chunk when ``serialize()`` writes a chunked body; the parser sets it to the largest chunk received. Not part of equality.
    public var chunkSize: Int

    /// A response with exactly these parts; `reason` defaults to the status's standard phrase.
    /// The fields are written as given: use a builder or
    /// ``setBody(_:contentType:framing:trailers:)`` to get Content-Length right, and
    /// ``validate()`` to check a hand-made start line.
    public init(
        status: HTTPStatus, reason: String? = nil, version: HTTPVersion = .http1_1,
        headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = [],
        trailers: HTTPHeaders = HTTPHeaders(), chunkSize: Int = 1024
    ) {
        self.version = version
        self.status = status
        self.reason = reason ?? status.reasonPhrase
        self.headers = headers
        self.body = body
        self.trailers = trailers
        self.chunkSize = chunkSize
    }

    /// Parses `HTTP-version SP status-code SP reason-phrase` (without CRLF); the reason may be
    /// empty but the second SP must be there.
    public init(startLine line: ArraySlice<UInt8>) throws(HTTPParseError) {
        let text = HTTPSyntax.text(line)
        guard let firstSpace = line.firstIndex(of: HTTPSyntax.sp) else { throw .malformedStatusLine(text) }
        let versionText = HTTPSyntax.text(line[..<firstSpace])
        guard let version = HTTPVersion(versionText) else {
            if versionText.hasPrefix("HTTP/") { throw .unsupportedVersion(versionText) }
            throw .malformedStatusLine(text)
        }
        let afterVersion = line[(firstSpace + 1)...]
        let codeBytes = afterVersion.prefix(3)
        guard codeBytes.count == 3, let code = HTTPSyntax.decimal(codeBytes), let status = HTTPStatus(code: code),
            afterVersion.dropFirst(3).first == HTTPSyntax.sp
        else {
            throw .malformedStatusLine(text)
        }
        let reasonBytes = afterVersion.dropFirst(4)
        guard reasonBytes.allSatisfy(HTTPSyntax.isFieldValueByte) else { throw .malformedStatusLine(text) }
        self.init(status: status, reason: HTTPSyntax.text(reasonBytes), version: version)
    }

    /// `"HTTP/1.1 404 Not Found"`.
    public var startLine: String { "\(version) \(status.code) \(reason)" }

    /// Equal when version, status, reason, fields, body and trailers are; ``chunkSize`` is how
    /// the body is cut on the wire, not what the response says.
    public static func == (a: HTTPResponse, b: HTTPResponse) -> Bool {
        a.version == b.version && a.status == b.status && a.reason == b.reason
            && a.headers == b.headers && a.body == b.body && a.trailers == b.trailers
    }
}

extension HTTPResponse {
    /// A response carrying bytes of `contentType`, framed by Content-Length or chunked.
    ///
    /// ```swift
    /// let image = try HTTPResponse(status: .ok, data: png, contentType: "image/png")
    /// ```
    public init(
        status: HTTPStatus, data: [UInt8], contentType: String = "application/octet-stream",
        headers: HTTPHeaders = HTTPHeaders(), framing: HTTPBodyFraming = .contentLength,
        trailers: HTTPHeaders = HTTPHeaders()
    ) throws(HTTPParseError) {
        self.init(status: status, headers: headers)
        try setBody(
            data, contentType: headers.contains("Content-Type") ? nil : contentType,
            framing: framing, trailers: trailers)
    }

    /// A response carrying JSON text with `Content-Type: application/json`.
    ///
    /// ```swift
    /// let created = try HTTPResponse(status: .created, json: #"{"id":7}"#)
    /// ```
    public init(
        status: HTTPStatus, json: String, headers: HTTPHeaders = HTTPHeaders(),
        framing: HTTPBodyFraming = .contentLength
    ) throws(HTTPParseError) {
        try self.init(
            status: status, data: Array(json.utf8), contentType: "application/json",
            headers: headers, framing: framing)
    }

    /// A response carrying plain text with `Content-Type: text/plain; charset=utf-8`.
    ///
    /// ```swift
    /// let missing = try HTTPResponse(status: .notFound, text: "no such page\n")
    /// ```
    public init(
        status: HTTPStatus, text: String, headers: HTTPHeaders = HTTPHeaders(),
        framing: HTTPBodyFraming = .contentLength
    ) throws(HTTPParseError) {
        try self.init(
            status: status, data: Array(text.utf8), contentType: "text/plain; charset=utf-8",
            headers: headers, framing: framing)
    }
}
