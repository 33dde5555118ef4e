/// An HTTP request method (RFC 9110 §9): an open set of tokens, case-sensitive.
///
/// ```swift
/// let post = HTTPMethod.post            // "POST"
/// let custom = HTTPMethod(rawValue: "PURGE")   // any token is a method
/// HTTPMethod(rawValue: "GE T")          // nil: not a token
/// ```
public struct HTTPMethod: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The method as sent, e.g. `"GET"`.
    public let rawValue: String

    /// A method from a token; `nil` when `rawValue` is empty or holds a non-token character.
    public init?(rawValue: String) {
        guard HTTPSyntax.isToken(rawValue) else { return nil }
        self.rawValue = rawValue
    }

    init(unchecked rawValue: String) { self.rawValue = rawValue }

    public var description: String { rawValue }

    /// Transfer a current representation of the target.
    public static let get = HTTPMethod(unchecked: "GET")
    /// Same as GET, but the response has no body.
    public static let head = HTTPMethod(unchecked: "HEAD")
    /// Process the enclosed representation.
    public static let post = HTTPMethod(unchecked: "POST")
    /// Replace the target's state with the enclosed representation.
    public static let put = HTTPMethod(unchecked: "PUT")
    /// Remove the target's current representation.
    public static let delete = HTTPMethod(unchecked: "DELETE")
    /// Apply a partial modification (RFC 5789).
    public static let patch = HTTPMethod(unchecked: "PATCH")
    /// Describe the communication options for the target.
    public static let options = HTTPMethod(unchecked: "OPTIONS")
    /// Establish a tunnel to the server named by the target.
    public static let connect = HTTPMethod(unchecked: "CONNECT")
    /// Loop the request message back.
    public static let trace = HTTPMethod(unchecked: "TRACE")
}

/// An HTTP/1.x protocol version: `HTTP/1.1` or `HTTP/1.0`.
///
/// ```swift
/// HTTPVersion.http1_1.description   // "HTTP/1.1"
/// ```
public struct HTTPVersion: Hashable, Sendable, CustomStringConvertible {
    /// The major version number (1).
    public let major: Int
    /// The minor version number (0 or 1).
    public let minor: Int

    /// HTTP/1.0.
    public static let http1_0 = HTTPVersion(major: 1, minor: 0)
    /// HTTP/1.1.
    public static let http1_1 = HTTPVersion(major: 1, minor: 1)

    /// A version from its wire form; `nil` for anything but `HTTP/1.1` and `HTTP/1.0`.
    public init?(_ text: String) {
        switch text {
        case "HTTP/1.1": self = .http1_1
        case "HTTP/1.0": self = .http1_0
        default: return nil
        }
    }

    private init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }

    public var description: String { "HTTP/\(major).\(minor)" }
}
