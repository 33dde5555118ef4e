import ARQLink
import Foundation
import L7Application
import NIOPosix

/// One exchange end to end: the request down the link, the origin station's answer, the
/// response back up, and the client station's strict parse of it.
///
/// ```
///  client ─▶ ClientStation ─▶ carry(.request) ─▶ OriginStation ─▶ origin server
///  client ◀─ parse strictly ◀─ carry(.response) ◀─ serialize ◀───────┘
/// ```
public struct ExchangeRunner: Sendable {
    /// What carries the messages across the link (the acoustic link, or a fake in tests).
    public let carrier: any MessageCarrier
    /// The station that talks to the origin server.
    public let origin: OriginStation
    /// Largest request or response body carried, in bytes.
    public let maxBodyBytes: Int
    /// The threads the carrier runs on (it is CPU work and must not hold an event loop).
    public let threads: NIOThreadPool
    /// When set, the origin's station is another process at the far end of a live link: the
    /// request goes out on it and the response comes back from it (``carrier`` and ``origin``
    /// are not used).
    public let remote: LiveClientLink?

    /// A runner carrying messages with `carrier` and answering with `origin`.
    /// - Parameters:
    ///   - carrier: what carries each message across the link.
    ///   - origin: the station that talks to the origin server.
    ///   - maxBodyBytes: largest request or response body carried, in bytes.
    ///   - threads: the threads that run `carrier` (started; the caller shuts it down): as many
    ///     messages cross at once as it has threads, the rest wait in the order they came.
    ///   - remote: the live link to an origin station in another process, or `nil` to carry
    ///     each message with `carrier` and answer it with `origin` here.
    public init(
        carrier: any MessageCarrier, origin: OriginStation, maxBodyBytes: Int,
        threads: NIOThreadPool = .singleton, remote: LiveClientLink? = nil
    ) {
        self.carrier = carrier; self.origin = origin; self.maxBodyBytes = maxBodyBytes; self.threads = threads
        self.remote = remote
    }

    /// What the client gets, and the record of how.
    public struct Outcome: Sendable {
        /// The response the client gets.
        public var response: HTTPResponse
        /// How the exchange went, for the log.
        public var record: ExchangeRecord
    }

    /// Runs exchange `number`: `request` for `url`.
    public func run(number: Int, request: HTTPRequest, url: String) async -> Outcome {
        let started = Date()
        var record = ExchangeRecord(exchange: number, method: request.method.rawValue, url: url, result: "")
        func finish(_ response: HTTPResponse, ok: Bool, _ result: String) -> Outcome {
            record.status = response.status.code
            record.reasonPhrase = response.reason
            record.ok = ok
            record.result = result
            record.wallSeconds = Date().timeIntervalSince(started)
            return Outcome(response: response, record: record)
        }

        if let remote {
            // Both crossings and the origin's answer happen at the far station.
            let bytes = request.serialize()
            let method = request.method
            let crossed: LiveClientLink.Crossing
            do {
                crossed = try await threads.runIfActive { try remote.exchange(bytes, method: method, number: number) }
            } catch {
                let linkError =
                    error as? AcousticLinkError
                    ?? .gaveUp(
                        LinkTransferReport(exchange: number, direction: .request, messageBytes: bytes.count),
                        reason: "the link could not run: \(error)")
                record.request = Self.report(of: linkError)
                let refusal = BridgeRefusal(.gatewayTimeout, "\(linkError)")
                return finish(refusal.response, ok: false, "\(refusal)")
            }
            record.request = crossed.request
            record.response = crossed.response
            switch parse(crossed.delivered, respondingTo: method) {
            case .failure(let refusal): return finish(refusal.response, ok: false, "\(refusal)")
            case .success(let response):
                if response.headers["X-SoundStack-Bridge"] == "error" {
                    return finish(response, ok: false, "\(response.status) from the far station")
                }
                return finish(response, ok: true, "ok")
            }
        }

        // The request crosses.
        let outbound: [UInt8]
        switch await carry(request.serialize(), .request, number) {
        case .success(let (delivered, report)):
            record.request = report
            outbound = delivered
        case .failure(let error):
            record.request = Self.report(of: error)
            let refusal = BridgeRefusal(.gatewayTimeout, "\(error)")
            return finish(refusal.response, ok: false, "\(refusal)")
        }

        // The origin's station answers (the origin's response, or 502/504 on its behalf).
        let answer = await origin.answer(outbound)

        // The response crosses back.
        let inbound: [UInt8]
        switch await carry(answer.response.serialize(), .response, number) {
        case .success(let (delivered, report)):
            record.response = report
            inbound = delivered
        case .failure(let error):
            record.response = Self.report(of: error)
            let refusal = BridgeRefusal(.gatewayTimeout, "\(error)")
            return finish(refusal.response, ok: false, "\(refusal)")
        }

        // The client's station parses what arrived, strictly.
        switch parse(inbound, respondingTo: request.method) {
        case .failure(let refusal): return finish(refusal.response, ok: false, "\(refusal)")
        case .success(let response):
            if let failure = answer.failure { return finish(response, ok: false, failure) }
            return finish(response, ok: true, "ok")
        }
    }

    /// The client station's strict parse of the response bytes that arrived.
    private func parse(_ inbound: [UInt8], respondingTo method: HTTPMethod) -> Result<HTTPResponse, BridgeRefusal> {
        var limits = HTTPParserLimits()
        limits.maxBodySize = maxBodyBytes
        var parser = HTTPParser<HTTPResponse>(respondingTo: method, limits: limits)
        parser.append(inbound)
        parser.finish()
        do throws(HTTPParseError) {
            guard let parsed = try parser.next(), parsed.consumed == inbound.count else {
                return .failure(BridgeRefusal(.badGateway, "the response arrived incomplete or with extra bytes"))
            }
            return .success(parsed.message)
        } catch {
            return .failure(BridgeRefusal(.badGateway, "the response arrived damaged: \(error)"))
        }
    }

    /// `carrier.carry` on ``threads``: it is CPU work and must not hold an event loop.
    private func carry(
        _ message: [UInt8], _ direction: LinkDirection,
        _ exchange: Int
    ) async -> Result<([UInt8], LinkTransferReport), AcousticLinkError> {
        let carrier = self.carrier
        do {
            let (delivered, report) = try await threads.runIfActive {
                try carrier.carry(message, direction: direction, exchange: exchange)
            }
            return .success((delivered, report))
        } catch let error as AcousticLinkError {
            return .failure(error)
        } catch {
            let report = LinkTransferReport(exchange: exchange, direction: direction, messageBytes: message.count)
            return .failure(.gaveUp(report, reason: "the link could not run: \(error)"))
        }
    }

    private static func report(of error: AcousticLinkError) -> LinkTransferReport? {
        if case .gaveUp(let report, _) = error { return report }
        return nil
    }
}
