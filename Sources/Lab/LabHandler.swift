import Foundation
import NIOCore
import NIOHTTP1

/// One client connection: collects each request (refusing a body over its route's limit as soon
/// as it is known), answers the page and its assets at once, and runs API work on the lab's
/// workers, never on the event loop.
///
/// ```
/// idle ──head──▶ receiving ──end──▶ working ──answer──▶ idle
///                   │ over the limit, unknown route, late
///                   ▼
///               answered with 4xx, then closed
/// ```
final class LabHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private enum State {
        case idle
        case receiving(HTTPRequestHead, [UInt8], limit: Int)
        case discarding
        case working
    }

    private let shared: LabShared
    private var state = State.idle
    private var timer: Scheduled<Void>?

    init(shared: LabShared) { self.shared = shared }

    func handlerAdded(context: ChannelHandlerContext) { arm(context) }
    func handlerRemoved(context: ChannelHandlerContext) { timer?.cancel() }

    /// The client must send its next whole request within the configured seconds.
    private func arm(_ context: ChannelHandlerContext) {
        timer?.cancel()
        let seconds = shared.configuration.requestSeconds
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(in: .nanoseconds(Int64(seconds * 1e9))) {
            let context = loopBound.value
            context.close(promise: nil)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            guard case .idle = state else { return }
            let path = head.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? "/"
            let limits = shared.configuration.limits
            let limit: Int
            switch (head.method, path) {
            case (.POST, "/api/send"): limit = limits.jsonBytes
            case (.POST, "/api/decode"): limit = limits.uploadBytes
            default: limit = 0
            }
            if let declared = head.headers.first(name: "Content-Length").flatMap({ Int($0) }), declared > limit,
                limit > 0
            {
                refuse(
                    context, head, .payloadTooLarge, "the body is \(declared) bytes; this route takes at most \(limit)")
                return
            }
            state = .receiving(head, [], limit: limit)
        case .body(let chunk):
            guard case .receiving(let head, var body, let limit) = state else { return }
            if body.count + chunk.readableBytes > max(limit, 0) {
                refuse(
                    context, head, limit == 0 ? .badRequest : .payloadTooLarge,
                    limit == 0 ? "this route takes no body" : "the body is over the \(limit)-byte limit")
                return
            }
            state = .idle  // drop the reference while appending (no copy of the body)
            body.append(contentsOf: chunk.readableBytesView)
            state = .receiving(head, body, limit: limit)
        case .end:
            guard case .receiving(let head, let body, _) = state else {
                if case .discarding = state { context.close(promise: nil) }
                return
            }
            timer?.cancel()
            state = .working
            answer(context, head, body)
        }
    }

    /// Routes one whole request.
    private func answer(_ context: ChannelHandlerContext, _ head: HTTPRequestHead, _ body: [UInt8]) {
        let parts = head.uri.split(separator: "?", maxSplits: 1).map(String.init)
        let path = parts.first ?? "/"
        let query = parts.count > 1 ? Self.query(parts[1]) : [:]
        if let asset = LabPage.asset(path) {
            guard head.method == .GET || head.method == .HEAD else {
                return send(context, head, .methodNotAllowed, Self.error("use GET"), type: "application/json")
            }
            return send(context, head, .ok, Array(asset.body.utf8), type: asset.contentType)
        }
        let runner = shared.runner
        let job: (@Sendable () -> (HTTPResponseStatus, [UInt8]))
        switch (head.method, path) {
        case (.GET, "/api/options"):
            return send(context, head, .ok, Self.json(runner.options()), type: "application/json")
        case (.GET, "/api/example"):
            job = { Self.outcome { () throws(LabError) in try runner.send(.example) } }
        case (.POST, "/api/send"):
            job = {
                let request: LabRequest
                do { request = try JSONDecoder().decode(LabRequest.self, from: Data(body)) } catch {
                    return (.badRequest, Self.error("the request is not a lab request: \(Self.describe(error))"))
                }
                return Self.outcome { () throws(LabError) in try runner.send(request) }
            }
        case (.POST, "/api/decode"):
            let mode = query["mode"].flatMap { $0.isEmpty ? nil : $0 }
            let code = query["lineCode"].flatMap { $0.isEmpty ? nil : $0 }
            job = {
                Self.outcome { () throws(LabError) in try runner.decode(recording: body, mode: mode, lineCode: code) }
            }
        case (_, "/api/options"), (_, "/api/example"), (_, "/api/send"), (_, "/api/decode"):
            return send(context, head, .methodNotAllowed, Self.error("\(head.method) is not allowed on \(path)"))
        default:
            return send(context, head, .notFound, Self.error("nothing at \(path)"))
        }
        guard shared.enqueue() else {
            return send(context, head, .serviceUnavailable, Self.error("the lab is busy; try again in a moment"))
        }
        let shared = self.shared
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        shared.threads.submit { _ in
            let (status, bytes) = job()
            shared.done()
            loopBound.eventLoop.execute {
                let (handler, context) = loopBound.value
                handler.send(context, head, status, bytes)
            }
        }
    }

    /// A runner's result as a status and JSON.
    private static func outcome(_ work: () throws(LabError) -> LabResult) -> (HTTPResponseStatus, [UInt8]) {
        do { return (.ok, json(try work())) } catch {
            switch error {
            case .tooLarge: return (.payloadTooLarge, Self.error(error.description))
            case .failed: return (.internalServerError, Self.error(error.description))
            case .badField, .notAudio: return (.unprocessableEntity, Self.error(error.description))
            }
        }
    }

    /// A decoding error in one line.
    private static func describe(_ error: any Error) -> String {
        switch error as? DecodingError {
        case .dataCorrupted(let c): return c.debugDescription
        case .keyNotFound(let key, _): return "\"\(key.stringValue)\" is missing"
        case .typeMismatch(_, let c), .valueNotFound(_, let c):
            return "\(c.codingPath.map(\.stringValue).joined(separator: ".")): \(c.debugDescription)"
        default: return "\(error)"
        }
    }

    static func json<T: Encodable>(_ value: T) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? Array(encoder.encode(value))) ?? Array(#"{"error":"the answer could not be encoded"}"#.utf8)
    }

    static func error(_ text: String) -> [UInt8] { json(["error": text]) }

    /// `a=1&b=x` as a dictionary (percent-decoded; the last of a repeated name wins).
    static func query(_ text: String) -> [String: String] {
        var out: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1).map {
                String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0)
            }
            if let k = kv.first { out[k] = kv.count > 1 ? kv[1] : "" }
        }
        return out
    }

    /// Answers, then either waits for the next request or, after an error, closes.
    private func send(
        _ context: ChannelHandlerContext, _ head: HTTPRequestHead, _ status: HTTPResponseStatus, _ body: [UInt8],
        type: String = "application/json"
    ) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: type)
        headers.add(name: "Content-Length", value: "\(body.count)")
        headers.add(name: "Cache-Control", value: "no-store")
        headers.add(name: "X-Content-Type-Options", value: "nosniff")
        headers.add(
            name: "Content-Security-Policy",
            value:
                "default-src 'self'; img-src 'self' data:; media-src 'self' data: blob:; style-src 'self' 'unsafe-inline'"
        )
        let keep = head.isKeepAlive && status.code < 400
        headers.add(name: "Connection", value: keep ? "keep-alive" : "close")
        context.write(
            wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))),
            promise: nil)
        if head.method != .HEAD {
            context.write(
                wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
        }
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if keep {
            state = .idle
            arm(context)
        } else {
            let channel = context.channel
            done.whenComplete { _ in channel.close(promise: nil) }
        }
    }

    /// Refuses a request before its body is in: answers, then reads and drops the rest.
    private func refuse(
        _ context: ChannelHandlerContext, _ head: HTTPRequestHead, _ status: HTTPResponseStatus, _ why: String
    ) {
        state = .discarding
        var headers = HTTPHeaders()
        let body = Self.error(why)
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Content-Length", value: "\(body.count)")
        headers.add(name: "Connection", value: "close")
        context.write(
            wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))),
            promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
    }
}
