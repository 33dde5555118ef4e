/// What requests and responses share: a start line, header fields, a body and, for a chunked
/// body, trailer fields (RFC 9112 §2.1).
///
/// ```swift
/// let request = try HTTPRequest(.post, url: "http://10.0.0.2:8080/api", json: #"{"a":1}"#)
/// let bytes = request.serialize()       // the exact wire bytes, CRLF line ends
/// print(request.pretty())               // for people
/// ```
public protocol HTTPMessage: Sendable, Equatable, CustomStringConvertible {
    /// `HTTP/1.1` or `HTTP/1.0`.
    var version: HTTPVersion { get set }
    /// The header fields, in order, as sent.
    var headers: HTTPHeaders { get set }
    /// The body: the content after the transfer coding is undone.
    var body: [UInt8] { get set }
    /// The trailer fields after a chunked body.
    var trailers: HTTPHeaders { get set }
    /// How many body bytes each chunk carries when ``serialize()`` writes a chunked body; the
    /// parser sets it to the largest chunk it received. Not part of equality.
    var chunkSize: Int { get set }
    /// The request line or status line, without CRLF.
    var startLine: String { get }
    /// A message with this start line, no fields and no body.
    init(startLine: ArraySlice<UInt8>) throws(HTTPParseError)
}

/// How a body is delimited on the wire.
///
/// ```swift
/// try request.setBody(bytes, contentType: "text/plain", framing: .chunked(chunkSize: 16))
/// ```
public enum HTTPBodyFraming: Hashable, Sendable {
    /// `Content-Length: n` and the body as is (the default).
    case contentLength
    /// `Transfer-Encoding: chunked`, the body cut into chunks of `chunkSize` bytes.
    case chunked(chunkSize: Int = 1024)
}

extension HTTPMessage {
    /// Whether `Transfer-Encoding` ends in `chunked`, so ``serialize()`` writes chunks.
    public var isChunked: Bool {
        headers.listValues(for: "Transfer-Encoding").last.map { HTTPHeaders.same($0, "chunked") } ?? false
    }

    /// The exact wire bytes: start line, field lines, empty line, then the body as is, or in
    /// chunks of ``chunkSize`` with the trailers when ``isChunked``.
    ///
    /// The fields are written as they are: a builder or ``setBody(_:contentType:framing:trailers:)``
    /// keeps Content-Length or Transfer-Encoding right.
    ///
    /// - Complexity: O(*n*) in the size of the message.
    public func serialize() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256 + body.count)
        out.append(contentsOf: startLine.utf8)
        out.append(contentsOf: HTTPSyntax.crlf)
        headers.serialize(into: &out)
        out.append(contentsOf: HTTPSyntax.crlf)
        guard isChunked else {
            out.append(contentsOf: body)
            return out
        }
        let size = max(1, chunkSize)
        var start = 0
        while start < body.count {
            let end = min(start + size, body.count)
            out.append(contentsOf: HTTPSyntax.hex(end - start).utf8)
            out.append(contentsOf: HTTPSyntax.crlf)
            out.append(contentsOf: body[start..<end])
            out.append(contentsOf: HTTPSyntax.crlf)
            start = end
        }
        out.append(UInt8(ascii: "0"))
        out.append(contentsOf: HTTPSyntax.crlf)
        trailers.serialize(into: &out)
        out.append(contentsOf: HTTPSyntax.crlf)
        return out
    }

    /// Checks the start line by parsing it back, so a target or reason phrase set by hand with
    /// spaces, CR, LF or control characters is caught before it is sent (the fields are checked
    /// when added).
    ///
    /// ```swift
    /// var request = HTTPRequest(method: .get, target: "/a b")
    /// try request.validate()   // throws malformedRequestLine("GET /a b HTTP/1.1")
    /// ```
    public func validate() throws(HTTPParseError) {
        _ = try Self(startLine: ArraySlice(startLine.utf8))
    }

    /// Sets the body with the fields that frame it: `Content-Type` (when given), then
    /// `Content-Length`, or `Transfer-Encoding: chunked` with `Trailer` naming the trailers.
    ///
    /// ```swift
    /// var response = HTTPResponse(status: .ok)
    /// try response.setBody(Array("hi".utf8), contentType: "text/plain")
    /// // Content-Type: text/plain, Content-Length: 2
    /// ```
    /// Trailers are kept only for a chunked body: a Content-Length body cannot carry them.
    public mutating func setBody(
        _ body: [UInt8], contentType: String?, framing: HTTPBodyFraming = .contentLength,
        trailers: HTTPHeaders = HTTPHeaders()
    ) throws(HTTPParseError) {
        if let contentType { try headers.replaceOrAdd(name: "Content-Type", value: contentType) }
        headers.remove(name: "Content-Length")
        headers.remove(name: "Transfer-Encoding")
        headers.remove(name: "Trailer")
        self.body = body
        switch framing {
        case .contentLength:
            headers.add(HTTPField(unchecked: "Content-Length", value: String(body.count)))
            self.trailers = HTTPHeaders()
        case .chunked(let size):
            headers.add(HTTPField(unchecked: "Transfer-Encoding", value: "chunked"))
            if !trailers.isEmpty {
                var names: [String] = []
                for field in trailers where !names.contains(where: { HTTPHeaders.same($0, field.name) }) {
                    names.append(field.name)
                }
                headers.add(HTTPField(unchecked: "Trailer", value: names.joined(separator: ", ")))
            }
            self.trailers = trailers
            chunkSize = max(1, size)
        }
    }

    /// The body as text when it is valid UTF-8 without control characters (tabs and line ends
    /// allowed), else `nil`.
    public var bodyText: String? {
        guard let text = String(validating: body, as: UTF8.self) else { return nil }
        let printable = text.unicodeScalars.allSatisfy { scalar in
            scalar == "\n" || scalar == "\r" || scalar == "\t" || (scalar.value >= 0x20 && scalar.value != 0x7F)
        }
        return printable ? text : nil
    }

    /// The message for a learner: start line, fields, an empty line, then the body as text when
    /// it is UTF-8, else a hex dump of its first bytes; trailers last.
    ///
    /// ```
    /// POST /api HTTP/1.1
    /// Host: 10.0.0.2:8080
    /// Content-Type: application/json
    /// Content-Length: 7
    ///
    /// {"a":1}
    /// ```
    /// - Parameter maxBodyBytes: body bytes shown before the rest is summarised.
    public func pretty(maxBodyBytes: Int = 2048) -> String {
        let maxBodyBytes = max(0, maxBodyBytes)
        var out = startLine + "\n"
        for field in headers { out += field.description + "\n" }
        out += "\n"
        if body.isEmpty {
            out += "(no body)"
        } else if let text = bodyText {
            let shown = text.utf8.count <= maxBodyBytes ? text : HTTPDump.text(body.prefix(maxBodyBytes))
            out += shown
            if body.count > maxBodyBytes { out += "… (\(body.count - maxBodyBytes) more bytes)" }
        } else {
            out += "(\(body.count) bytes of binary data)\n" + HTTPDump.hex(body, maxBytes: min(maxBodyBytes, 256))
        }
        if !trailers.isEmpty {
            out += "\n-- trailers --\n" + trailers.description
        }
        return out
    }

    public var description: String { pretty() }
}
