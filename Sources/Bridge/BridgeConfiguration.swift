import Foundation
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
    /// Origins that may be fetched besides ``origin`` (which always may): anything else is
    /// answered 403 before a connection is opened or the link is used.
    public var allowedOrigins: Set<OriginPolicy.Origin>
    /// Seconds a client has for each whole request: headers and body must have arrived within
    /// `headerTimeoutSeconds + bytes / 1000` of the connection opening (or of the previous
    /// answer), else the connection is closed, with 408 when that request had no answer yet. It
    /// does not restart with each byte: a client dripping one byte a second is cut off in time.
    public var headerTimeoutSeconds: Double
    /// Client connections open at once; one more is answered 503 with `Retry-After: 1` and closed.
    public var maxConnections: Int
    /// Header fields a request may have; more are answered 431 and nothing is forwarded. (The
    /// HTTP decoder separately refuses a head over 80 KiB with 400.)
    public var maxHeaderFields = 100
    /// Messages that cross the link at once, each on its own thread, when the link lets them
    /// cross side by side (the simulated channel does): a long upload then never stalls a short
    /// request. Others wait their turn in the order they came.
    public var linkThreads = max(4, 2 * ProcessInfo.processInfo.activeProcessorCount)

    /// A configuration; listens on 127.0.0.1:8080 with a 10 MiB body limit, a 30 s origin timeout,
    /// a 5 s connect timeout and 60 s client idle time unless given.
    public init(
        host: String = "127.0.0.1", port: Int = 8080, origin: HTTPURL? = nil,
        allowedOrigins: Set<OriginPolicy.Origin> = [],
        maxBodyBytes: Int = 10 * 1024 * 1024, originTimeoutSeconds: Double = 30,
        connectTimeoutSeconds: Double = 5, headerTimeoutSeconds: Double = 30, maxConnections: Int = 64
    ) {
        self.host = host; self.port = port; self.origin = origin; self.allowedOrigins = allowedOrigins
        self.maxBodyBytes = maxBodyBytes
        self.originTimeoutSeconds = originTimeoutSeconds; self.connectTimeoutSeconds = connectTimeoutSeconds
        self.headerTimeoutSeconds = headerTimeoutSeconds; self.maxConnections = maxConnections
    }

    /// The body limit that fits the link: what crosses in half the link's budget of audio at
    /// its clean-channel goodput, so the handshakes, the headers and resends have the other
    /// half. In KiB, at least 16 KiB and at most 10 MiB.
    ///
    ///     defaultMaxBodyBytes(goodput: 1140, linkBudgetSeconds: 600)   // 334 KiB
    ///
    /// - Parameters:
    ///   - goodput: bytes per second of audio (`AcousticLinkConfiguration/estimatedGoodput`).
    ///   - linkBudgetSeconds: audio the link may spend on one message before it gives up.
    public static func defaultMaxBodyBytes(goodput: Double, linkBudgetSeconds: Double) -> Int {
        let bytes = goodput * linkBudgetSeconds / 2
        guard bytes.isFinite else { return 10 << 20 }
        return min(10 << 20, max(16 << 10, Int(bytes) / 1024 * 1024))
    }

    /// ``origin`` and ``allowedOrigins`` as the decision they make.
    public var policy: OriginPolicy { OriginPolicy(allowed: allowedOrigins, origin: origin) }
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
