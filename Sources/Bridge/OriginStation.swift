import AsyncHTTPClient
import Foundation
import L7Application
import NIOCore
import NIOHTTP1
import NIOPosix

/// The origin's station: takes a request as the link delivered it, parses it strictly, sends it
/// to the real origin server with an HTTP client, and turns what comes back (or why nothing
/// did) into the response that crosses the link the other way.
///
/// ```swift
/// let station = OriginStation(client: HTTPClient(eventLoopGroup: group), timeoutSeconds: 30,
///                             maxBodyBytes: 10 << 20)
/// let answer = await station.answer(deliveredBytes)
/// answer.response.status   // the origin's, or 502/504 when it could not be had
/// ```
public struct OriginStation: Sendable {
    let client: HTTPClient
    let timeoutSeconds: Double
    let maxBodyBytes: Int

    /// A station using `client` with a per-request timeout in seconds and a body limit in bytes.
    public init(client: HTTPClient, timeoutSeconds: Double, maxBodyBytes: Int) {
        self.client = client; self.timeoutSeconds = timeoutSeconds; self.maxBodyBytes = maxBodyBytes
    }

    /// What the station answers, and why when it answered for the origin.
    public struct Answer: Sendable {
        /// The response to send back across the link: the origin's, or 502/504 made by the station.
        public var response: L7Application.HTTPResponse
        /// `nil` when the origin answered; else what went wrong (502/504 cases).
        public var failure: String?
    }

    /// The response to `delivered`, the bytes of one HTTP request.
    public func answer(_ delivered: [UInt8]) async -> Answer {
        var limits = HTTPParserLimits()
        limits.maxBodySize = maxBodyBytes
        let request: L7Application.HTTPRequest
        do throws(HTTPParseError) {
            guard
                let parsed = try HTTPParser<L7Application.HTTPRequest>.parse(
                    delivered, endOfInput: true, limits: limits),
                parsed.consumed == delivered.count
            else {
                return refuse(
                    .badRequest, "the request arrived incomplete or with extra bytes (\(delivered.count) bytes)")
            }
            request = parsed.message
        } catch {
            return refuse(.badRequest, "the request arrived damaged: \(error)")
        }
        guard let host = request.headers["Host"] else { return refuse(.badRequest, "the request names no Host") }
        let url = "http://\(host)\(request.target)"
        var outgoing = HTTPClientRequest(url: url)
        outgoing.method = NIOHTTP1.HTTPMethod(rawValue: request.method.rawValue)
        let framing: Set<String> = ["host", "content-length", "transfer-encoding"]
        for field in request.headers where !framing.contains(field.name.lowercased()) {
            outgoing.headers.add(name: field.name, value: field.value)
        }
        if request.headers.contains("Content-Length") || !request.body.isEmpty {
            outgoing.body = .bytes(ByteBuffer(bytes: request.body))
        }
        do {
            let response = try await client.execute(outgoing, timeout: .nanoseconds(Int64(timeoutSeconds * 1e9)))
            let body = try await response.body.collect(upTo: maxBodyBytes)
            return Answer(
                response: Self.response(response, body: Array(body.readableBytesView), to: request.method),
                failure: nil)
        } catch let error as NIOTooManyBytesError {
            _ = error
            return refuse(.badGateway, "the response from \(url) is larger than the \(maxBodyBytes)-byte limit")
        } catch let error as HTTPClientError where Self.isTimeout(error) {
            return refuse(
                .gatewayTimeout, "the origin \(url) did not answer within \(Self.seconds(timeoutSeconds)) s (\(error))")
        } catch {
            return refuse(.badGateway, "the origin \(url) could not be reached: \(Self.describe(error))")
        }
    }

    private func refuse(_ status: HTTPStatus, _ reason: String) -> Answer {
        Answer(response: BridgeRefusal(status, reason).response, failure: "\(status.code) \(reason)")
    }

    static func isTimeout(_ error: HTTPClientError) -> Bool {
        [.deadlineExceeded, .readTimeout, .connectTimeout, .writeTimeout].contains(error)
    }

    /// The origin's response as it crosses the link: status, fields minus hop-by-hop ones, and
    /// the body framed by Content-Length (kept as sent after HEAD, absent for 1xx/204/304).
    static func response(
        _ response: HTTPClientResponse, body: [UInt8],
        to method: L7Application.HTTPMethod
    ) -> L7Application.HTTPResponse {
        let status = HTTPStatus(code: Int(response.status.code)) ?? .badGateway
        var out = L7Application.HTTPResponse(status: status, reason: Self.reasonPhrase(response.status.reasonPhrase))
        let fields = response.headers.map { (name: $0.name, value: $0.value) }
        let drop = HopByHop.dropped(from: fields)
        let bodyless = method == .head || status.forbidsBody
        for field in fields where !drop.contains(field.name.lowercased()) {
            try? out.headers.add(name: field.name, value: field.value)
        }
        if !bodyless {
            // Content-Length where the origin put it (appended after a chunked body).
            out.body = body
            try? out.headers.replaceOrAdd(name: "Content-Length", value: String(body.count))
        }
        return out
    }

    /// A reason phrase that survives the status line's rules (no controls).
    static func reasonPhrase(_ text: String) -> String {
        String(text.unicodeScalars.filter { $0 == "\t" || ($0.value >= 0x20 && $0.value != 0x7F) })
    }

    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }

    /// A one-line account of a connection error.
    static func describe(_ error: any Error) -> String {
        if let connection = error as? NIOConnectionError, let first = connection.connectionErrors.first {
            return "\(first.error)"
        }
        return "\(error)".replacingOccurrences(of: "\n", with: " ")
    }
}
