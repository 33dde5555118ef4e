import L7Application

/// How `soundstack bridge` listens, where it forwards, and the bounds it keeps.
///
/// ```swift
/// var configuration = BridgeConfiguration(host: "127.0.0.1", port: 0)
/// configuration.origin = try HTTPURL("http://127.0.0.1:9000")
/// configuration.maxBodyBytes = 64 * 1024
/// ```
public struct BridgeConfiguration: Sendable {
    /// Address to listen on.
    public var host: String
    /// Port to listen on; 0 picks a free one (``BridgeServer/port`` tells which).
    public var port: Int
    /// Where origin-form requests (`GET /path`) go; absolute-form requests (proxy use) name
    /// their own origin. `nil`: origin-form requests are answered 400.
    public var origin: HTTPURL?
    /// Largest request or response body carried; a larger request is answered 413 without
    /// touching the link, a larger response 502.
    public var maxBodyBytes: Int
    /// Seconds the origin has to answer before the client gets 504.
    public var originTimeoutSeconds: Double
    /// Seconds the origin has to accept the connection.
    public var connectTimeoutSeconds: Double
    /// Seconds a client may stay silent mid-request (408) or idle between requests (closed).
    public var clientIdleSeconds: Double

    /// A configuration; listens on 127.0.0.1:8080 with a 10 MiB body limit, a 30 s origin timeout,
    /// a 5 s connect timeout and 60 s client idle time unless given.
    public init(host: String = "127.0.0.1", port: Int = 8080, origin: HTTPURL? = nil,
                maxBodyBytes: Int = 10 * 1024 * 1024, originTimeoutSeconds: Double = 30,
                connectTimeoutSeconds: Double = 5, clientIdleSeconds: Double = 60) {
        self.host = host; self.port = port; self.origin = origin; self.maxBodyBytes = maxBodyBytes
        self.originTimeoutSeconds = originTimeoutSeconds; self.connectTimeoutSeconds = connectTimeoutSeconds
        self.clientIdleSeconds = clientIdleSeconds
    }
}

/// Where the bridge writes what it did: one block of text per exchange, and optionally one
/// JSON line per exchange.
public struct BridgeLog: Sendable {
    /// Receives each console block (several lines, no trailing newline).
    public var console: @Sendable (String) -> Void
    /// Receives each exchange as one JSON line, when set.
    public var json: (@Sendable (String) -> Void)?

    /// A log writing console blocks to `console` and, when given, JSON lines to `json`.
    public init(console: @escaping @Sendable (String) -> Void, json: (@Sendable (String) -> Void)? = nil) {
        self.console = console; self.json = json
    }

    /// Says nothing.
    public static let silent = BridgeLog(console: { _ in })
}
