import ARQLink
import AsyncHTTPClient
import Foundation
import L7Application
import NIOCore
import NIOPosix

/// The client's end of a bridge whose origin station is another process on a live link: each
/// request goes out on the `LiveLinkStation`, and the far station's response comes back on it.
/// Exchanges cross one at a time (the medium is one).
///
/// ```swift
/// let station = try LiveLinkStation(configuration: config, side: .client, port: soundCard)
/// station.start()
/// let link = LiveClientLink(station: station, responseTimeout: 120)
/// let bridge = try await BridgeServer.start(configuration, carrier: simulated, remote: link)
/// ```
public final class LiveClientLink: @unchecked Sendable {
    /// The client's station.
    public let station: LiveLinkStation
    /// Seconds, after the request has been acknowledged, that the response may take to arrive
    /// (the far station's origin time included).
    public let responseTimeout: Double
    private let turn = NSLock()
    /// Exchange numbers on the link start at a random point, so a restarted client does not
    /// reuse the ports of the far station's recent exchanges.
    private let base = Int.random(in: 0..<16384)

    /// What one exchange cost.
    public struct Crossing: Sendable {
        /// The response's bytes as the client's station delivered them.
        public var delivered: [UInt8]
        /// The request's crossing (the sender's own account).
        public var request: LinkTransferReport
        /// The response's: its bytes, the seconds from the request's acknowledgement to the
        /// response's arrival (the origin's time included), goodput over those seconds.
        public var response: LinkTransferReport?
    }

    /// A client end on `station` (started), waiting up to `responseTimeout` seconds for each response.
    public init(station: LiveLinkStation, responseTimeout: Double) {
        self.station = station; self.responseTimeout = responseTimeout
    }

    /// Sends `request` (the bytes of an HTTP request of `method`) as exchange `number` and
    /// waits for its response.
    /// - Throws: `AcousticLinkError.gaveUp` when the request is not acknowledged within the
    ///   link's budget or the response does not arrive within ``responseTimeout``.
    public func exchange(_ request: [UInt8], method: HTTPMethod, number: Int) throws(AcousticLinkError) -> Crossing {
        turn.lock()
        defer { turn.unlock() }
        station.respondingTo = method
        let exchange = (base + number) & 0x3FFF
        var sent = try station.send(request, exchange: exchange)
        sent.exchange = number
        let acknowledged = Date()
        while true {
            let left = responseTimeout - Date().timeIntervalSince(acknowledged)
            let arrived: (exchange: Int, message: [UInt8])
            do { arrived = try station.receive(timeout: max(0, left)) } catch {
                var report = LinkTransferReport(exchange: number, direction: .response, messageBytes: 0)
                report.audioSeconds = Date().timeIntervalSince(acknowledged)
                throw .gaveUp(report, reason: "no response from the far station: \(error)")
            }
            // A late copy of an earlier exchange's response is dropped.
            guard arrived.exchange == exchange else { continue }
            let seconds = Date().timeIntervalSince(acknowledged)
            let response = LinkTransferReport(
                exchange: number, direction: .response, messageBytes: arrived.message.count, audioSeconds: seconds,
                delivered: true)
            return Crossing(delivered: arrived.message, request: sent, response: response)
        }
    }
}

/// The origin's end of a bridge over a live link, in its own process: every request the
/// `LiveLinkStation` receives is checked against the allow-list, fetched from the origin
/// server, and the response sent back on the link.
///
/// It trusts nothing that arrives: a request must parse strictly, name a Host on the
/// allow-list (else 403, and nothing is fetched), and keep under the body limit; the origin
/// has ``BridgeConfiguration/originTimeoutSeconds`` to answer.
public final class LiveOriginService: Sendable {
    private let station: LiveLinkStation
    private let configuration: BridgeConfiguration
    private let log: BridgeLog
    private let group: MultiThreadedEventLoopGroup
    private let client: HTTPClient
    private let threads: NIOThreadPool
    private let origin: OriginStation

    /// A service answering on `station` (started) for the origins `configuration` allows.
    public init(station: LiveLinkStation, configuration: BridgeConfiguration, log: BridgeLog = .silent) {
        self.station = station; self.configuration = configuration; self.log = log
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        var clientConfiguration = HTTPClient.Configuration()
        clientConfiguration.redirectConfiguration = .disallow
        clientConfiguration.httpVersion = .http1Only
        clientConfiguration.connectionPool.retryConnectionEstablishment = false
        clientConfiguration.timeout = .init(connect: .nanoseconds(Int64(configuration.connectTimeoutSeconds * 1e9)))
        client = HTTPClient(eventLoopGroup: group, configuration: clientConfiguration)
        threads = NIOThreadPool(numberOfThreads: 1)
        threads.start()
        origin = OriginStation(
            client: client, timeoutSeconds: configuration.originTimeoutSeconds,
            maxBodyBytes: configuration.maxBodyBytes)
    }

    /// Serves requests until `stopped()` says so (checked at least every half second).
    /// - Throws: when the station fails (the audio device went away).
    public func run(until stopped: @escaping @Sendable () -> Bool) async throws {
        var served = 0
        while !stopped() {
            let station = self.station
            let arrived: (exchange: Int, message: [UInt8])
            do {
                arrived = try await threads.runIfActive { try station.receive(timeout: 0.5) }
            } catch let error as AcousticLinkError {
                if case .gaveUp(_, let reason) = error, reason.hasPrefix("no message arrived") { continue }
                throw error
            }
            served += 1
            let started = Date()
            let (response, record) = await answer(arrived.message, number: served)
            var logged = record
            let bytes = response.serialize()
            do {
                logged.response = try await threads.runIfActive {
                    try station.send(bytes, exchange: arrived.exchange)
                }
            } catch {
                logged.ok = false
                logged.result = "the response did not get across: \(error)"
                if let e = error as? AcousticLinkError, case .gaveUp(let r, _) = e { logged.response = r }
            }
            logged.wallSeconds = Date().timeIntervalSince(started)
            log.console(logged.consoleText)
            log.json?(logged.jsonLine)
        }
    }

    /// The response to one request as it arrived, and the record for the log.
    func answer(_ delivered: [UInt8], number: Int) async -> (HTTPResponse, ExchangeRecord) {
        var record = ExchangeRecord(exchange: number, method: "?", url: "?", result: "")
        func refuse(_ refusal: BridgeRefusal) -> (HTTPResponse, ExchangeRecord) {
            record.status = refusal.status.code
            record.ok = false
            record.result = "\(refusal)"
            return (refusal.response, record)
        }
        var limits = HTTPParserLimits()
        limits.maxBodySize = configuration.maxBodyBytes
        let request: HTTPRequest
        do throws(HTTPParseError) {
            guard let parsed = try HTTPParser<HTTPRequest>.parse(delivered, endOfInput: true, limits: limits),
                parsed.consumed == delivered.count
            else { return refuse(BridgeRefusal(.badRequest, "the request arrived incomplete or with extra bytes")) }
            request = parsed.message
        } catch {
            return refuse(BridgeRefusal(.badRequest, "the request arrived damaged: \(error)"))
        }
        record.method = request.method.rawValue
        guard let host = request.headers["Host"], let target = try? OriginPolicy.Origin(host) else {
            return refuse(BridgeRefusal(.badRequest, "the request names no usable Host"))
        }
        record.url = "http://\(host)\(request.target)"
        if case .deny(let reason) = configuration.policy.decide(target) {
            return refuse(BridgeRefusal(.forbidden, reason))
        }
        let answer = await origin.answer(delivered)
        record.status = answer.response.status.code
        record.reasonPhrase = answer.response.reason
        record.ok = answer.failure == nil
        record.result = answer.failure ?? "ok"
        return (answer.response, record)
    }

    /// Closes the HTTP client and its threads.
    public func shutdown() async {
        try? await client.shutdown()
        try? await group.shutdownGracefully()
        try? await threads.shutdownGracefully()
    }
}
