import Foundation
import L7Application

/// Why the bridge answers the client itself instead of the origin: the status and a
/// plain-text explanation.
public struct BridgeRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    /// The status the client gets.
    public var status: HTTPStatus
    /// Why, in words; sent as the plain-text body.
    public var reason: String

    /// A refusal with `status` and the reason in words.
    public init(_ status: HTTPStatus, _ reason: String) { self.status = status; self.reason = reason }

    /// `"413 Content Too Large: request body over the 10 MB limit"`.
    public var description: String { "\(status): \(reason)" }

    /// The answer: the status, `text/plain` body naming the reason.
    public var response: HTTPResponse {
        var response = HTTPResponse(status: status)
        try? response.headers.add(name: "X-SoundStack-Bridge", value: "error")
        let text = "soundstack bridge: \(reason)\n"
        try? response.setBody(Array(text.utf8), contentType: "text/plain; charset=utf-8")
        return response
    }
}

/// Fields that belong to one connection (RFC 9110 §7.6.1), or to this proxy, and are never
/// forwarded; plus those named in the `Connection` field.
public enum HopByHop {
    /// The hop-by-hop field names of RFC 9110 §7.6.1 (lower case), plus the proxy ones.
    public static let names: Set<String> = [
        "connection", "proxy-connection", "keep-alive", "te", "trailer", "transfer-encoding", "upgrade",
        "proxy-authorization", "proxy-authenticate"
    ]

    /// The lowercased names to drop from a message whose fields are `fields`.
    public static func dropped(from fields: [(name: String, value: String)]) -> Set<String> {
        var drop = names
        for field in fields where field.name.lowercased() == "connection" {
            for token in field.value.split(separator: ",") {
                drop.insert(token.trimmingCharacters(in: .whitespaces).lowercased())
            }
        }
        return drop
    }
}

/// The client's station: turns what a client sent into the request that crosses the link.
///
/// ```swift
/// let (request, url) = try ClientStation.request(method: "GET", target: "http://127.0.0.1:9000/a?b=1",
///     fields: [("Host", "127.0.0.1:9000"), ("Proxy-Connection", "Keep-Alive")], body: [], origin: nil)
/// request.startLine     // "GET /a?b=1 HTTP/1.1"  (Host kept, Proxy-Connection dropped)
/// url                   // "http://127.0.0.1:9000/a?b=1"
/// ```
public enum ClientStation {
    /// The request to carry, and the absolute URL it is for.
    ///
    /// - Parameters:
    ///   - method: The request method as the client sent it (e.g. `GET`).
    ///   - target: absolute-form (`http://host:port/path`, proxy use) or origin-form (`/path`,
    ///     sent to `origin`).
    ///   - hadLength: whether the client framed a body (Content-Length or chunked), so an empty
    ///     one is still sent as `Content-Length: 0`.
    ///   - fields: The client's header fields in order; hop-by-hop ones are dropped.
    ///   - body: The request body as received.
    ///   - origin: Where origin-form targets go (nil: they are refused with 400).
    /// - Throws: ``BridgeRefusal`` (400, 501) when the request cannot be forwarded.
    public static func request(
        method: String, target: String, fields: [(name: String, value: String)], body: [UInt8],
        hadLength: Bool = false, origin: HTTPURL?
    ) throws(BridgeRefusal) -> (request: HTTPRequest, url: String) {
        guard let verb = HTTPMethod(rawValue: method) else {
            throw BridgeRefusal(.badRequest, "bad method '\(method)'")
        }
        if verb == .connect {
            throw BridgeRefusal(.notImplemented, "CONNECT (HTTPS tunnels) is not carried: use http:// URLs")
        }
        let originForm = target.hasPrefix("/")
        if originForm, origin == nil {
            throw BridgeRefusal(
                .badRequest, "no origin for \(target): use the bridge as a proxy (curl -x) or start it with --origin")
        }
        let url: HTTPURL
        do throws(HTTPParseError) {
            url = try HTTPURL(originForm ? "http://\(origin?.authority ?? "")\(target)" : target)
        } catch {
            throw BridgeRefusal(.badRequest, "cannot forward to '\(target)': \(error)")
        }
        let drop = HopByHop.dropped(from: fields).union(["host", "expect"])
        var request = HTTPRequest(method: verb, target: url.target)
        do throws(HTTPParseError) {
            try request.headers.add(name: "Host", value: url.authority)
            for field in fields where !drop.contains(field.name.lowercased()) {
                try request.headers.add(name: field.name, value: field.value)
            }
        } catch {
            throw BridgeRefusal(.badRequest, "bad header field: \(error)")
        }
        request.body = body
        if hadLength || !body.isEmpty {
            // Content-Length where the client put it (appended after a chunked body).
            try? request.headers.replaceOrAdd(name: "Content-Length", value: String(body.count))
        } else {
            request.headers.remove(name: "Content-Length")
        }
        return (request, "http://\(url.authority)\(url.target)")
    }
}
