import L7Application

/// Which origins the bridge may fetch from: the `--origin` and every `--allow-origin`, and
/// nothing else. A pure value, decided before any connection is opened or any audio is made.
///
/// ```swift
/// let policy = try OriginPolicy(allowing: ["127.0.0.1:9000", "example.org"], origin: nil)
/// policy.decide(try OriginPolicy.Origin("http://example.org/a"))      // .allow
/// policy.decide(try OriginPolicy.Origin("http://example.org:8080/"))  // .deny("… is not allowed …")
/// ```
///
/// Hosts are compared as written, case-insensitively: `localhost` and `127.0.0.1` are two
/// different origins, and internal addresses get no special treatment — what is not listed is
/// not fetched. `HOST` without a port means port 80, as in an `http://` URL.
public struct OriginPolicy: Sendable, Equatable {
    /// One origin: a host (lowercased; an IPv6 literal keeps its brackets) and a port.
    public struct Origin: Hashable, Sendable, CustomStringConvertible {
        public var host: String
        public var port: Int

        public init(host: String, port: Int) { self.host = host.lowercased(); self.port = port }

        /// The origin of an `http://` URL.
        public init(_ url: HTTPURL) { self.init(host: url.host, port: url.port) }

        /// Parses `HOST[:PORT]` (port 80 when none) or an `http://HOST[:PORT]` URL.
        /// - Throws: ``OriginPolicyError/badOrigin(_:reason:)`` for anything else.
        public init(_ text: String) throws(OriginPolicyError) {
            let url: HTTPURL
            do throws(HTTPParseError) {
                url = try HTTPURL(text.lowercased().hasPrefix("http://") ? text : "http://" + text)
            } catch {
                throw .badOrigin(text, reason: "\(error)")
            }
            guard url.target == "/" else { throw .badOrigin(text, reason: "an origin has no path") }
            self.init(url)
        }

        /// `host:port`.
        public var description: String { "\(host):\(port)" }
    }

    /// What to do with a request.
    public enum Decision: Sendable, Equatable {
        /// Fetch it.
        case allow
        /// Answer 403 with this one-line reason; open no connection.
        case deny(String)
    }

    /// Every origin that may be fetched.
    public var allowed: Set<Origin>

    /// - Parameters:
    ///   - allowed: the `--allow-origin` values.
    ///   - origin: the `--origin`, always allowed.
    public init(allowed: Set<Origin>, origin: HTTPURL? = nil) {
        self.allowed = allowed
        if let origin { self.allowed.insert(Origin(origin)) }
    }

    /// - Throws: ``OriginPolicyError/badOrigin(_:reason:)`` for a value that is not `HOST[:PORT]`.
    public init(allowing texts: [String], origin: HTTPURL? = nil) throws(OriginPolicyError) {
        var set = Set<Origin>()
        for text in texts { set.insert(try Origin(text)) }
        self.init(allowed: set, origin: origin)
    }

    /// Whether `target` may be fetched.
    /// - Complexity: O(1).
    public func decide(_ target: Origin) -> Decision {
        if allowed.contains(target) { return .allow }
        let hint =
            allowed.isEmpty
            ? "no origin is allowed (start the bridge with --origin or --allow-origin)"
            : "allowed: " + allowed.map(\.description).sorted().joined(separator: ", ")
        return .deny("\(target) is not an allowed origin; \(hint)")
    }

    /// The decision for a request target as the client sent it: absolute-form names its origin,
    /// origin-form (`/path`) goes to `origin`. `nil` when the target names no origin this policy
    /// can judge (no `origin` for `/path`, or a URL that does not parse): the request is refused
    /// later, for that reason.
    public func decide(requestTarget: String, origin: HTTPURL?) -> Decision? {
        if requestTarget.hasPrefix("/") { return origin.map { decide(Origin($0)) } }
        guard let url = try? HTTPURL(requestTarget) else { return nil }
        return decide(Origin(url))
    }
}

/// What was wrong with an allow-list entry.
public enum OriginPolicyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `text` is not `HOST[:PORT]`, for `reason`.
    case badOrigin(String, reason: String)

    public var description: String {
        switch self {
        case .badOrigin(let text, let reason): "'\(text)' is not HOST[:PORT]: \(reason)"
        }
    }
}
