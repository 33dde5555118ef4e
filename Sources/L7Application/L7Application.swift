/// The `L7Application` module: HTTP/1.1 messages (RFC 9110 semantics, RFC 9112 syntax).
///
/// Build a message, turn it into wire bytes, and read wire bytes back, in any pieces:
///
/// ```swift
/// let request = try HTTPRequest(.post, url: "http://10.0.0.2:8080/api", json: #"{"a":1}"#)
/// var parser = HTTPParser<HTTPRequest>()
/// parser.append(request.serialize())
/// let parsed = try parser.next()    // parsed?.message == request
/// ```
public enum L7ApplicationModule {
    /// The module's name, "L7Application".
    public static let name = "L7Application"
}
