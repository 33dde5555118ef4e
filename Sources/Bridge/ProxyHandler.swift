import Foundation
import L7Application
import NIOCore
import NIOHTTP1

/// What every connection of one bridge shares.
final class BridgeShared: @unchecked Sendable {
    let configuration: BridgeConfiguration
    let runner: ExchangeRunner
    let log: BridgeLog
    /// The configuration's allow-list, built once.
    let policy: OriginPolicy
    private let lock = NSLock()
    private var lastNumber = 0
    private var running = 0

    init(configuration: BridgeConfiguration, runner: ExchangeRunner, log: BridgeLog) {
        self.configuration = configuration; self.runner = runner; self.log = log
        self.policy = configuration.policy
    }

    /// The next exchange number: 1, 2, …
    func nextNumber() -> Int {
        lock.withLock {
            lastNumber += 1; return lastNumber
        }
    }

    /// Client connections open, against ``BridgeConfiguration/maxConnections``.
    private var connections = 0

    /// Counts a new connection in; false (and not counted) when the bridge has its fill.
    func admitConnection() -> Bool {
        lock.withLock {
            guard connections < configuration.maxConnections else { return false }
            connections += 1
            return true
        }
    }

    /// A connection counted in by ``admitConnection()`` has closed.
    func releaseConnection() { lock.withLock { connections -= 1 } }

    /// Exchanges between their whole request and their answer.
    var inFlight: Int { lock.withLock { running } }
    func started() { lock.withLock { running += 1 } }
    func ended() { lock.withLock { running -= 1 } }
}

/// One client connection: collects each whole request, refuses what cannot be carried, hands
/// the rest to the ``ExchangeRunner`` off the event loop, and writes the answer.
///
/// A request for an origin the ``OriginPolicy`` does not allow is refused (403) at its head,
/// like one over the body limit (413): nothing is forwarded.
///
/// ```
/// idle ──head──▶ receiving ──end──▶ exchanging ──answer──▶ idle
///                   │ over the limit, or not an allowed origin
///                   ▼
///               rejecting (403/413 sent; the rest of the body read and dropped, then close)
/// ```
final class ProxyHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private struct Pending {
        var number: Int
        var head: HTTPRequestHead
        var body: [UInt8]
        var declaredLength: Int?
        var started: Date
        var url: String { head.uri.hasPrefix("/") ? "(origin)\(head.uri)" : head.uri }
    }

    private enum State {
        case idle
        case receiving(Pending)
        case rejecting(drained: Int)
        case exchanging(Pending)
    }

    private let shared: BridgeShared
    private let deadline: RequestDeadline
    private var state = State.idle
    private var context: ChannelHandlerContext?

    /// - Parameter deadline: the same connection's ``RequestDeadline``, told when each request
    ///   is in and when it is answered.
    init(shared: BridgeShared, deadline: RequestDeadline) { self.shared = shared; self.deadline = deadline }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }
    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    private var maxBody: Int { shared.configuration.maxBodyBytes }

    /// The URL for the log: absolute-form as sent, origin-form with the configured origin.
    private func logURL(_ head: HTTPRequestHead) -> String {
        if head.uri.hasPrefix("/"), let origin = shared.configuration.origin {
            return "http://\(origin.authority)\(head.uri)"
        }
        return head.uri
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            let number = shared.nextNumber()
            if case .deny(let reason) = shared.policy.decide(
                requestTarget: head.uri, origin: shared.configuration.origin)
            {
                reject(context: context, number: number, head: head, started: Date(), BridgeRefusal(.forbidden, reason))
                return
            }
            let limit = shared.configuration.maxHeaderFields
            if head.headers.count > limit {
                reject(
                    context: context, number: number, head: head, started: Date(),
                    BridgeRefusal(
                        .requestHeaderFieldsTooLarge,
                        "the request has \(head.headers.count) header fields, over the limit of \(limit)"))
                return
            }
            let declared = head.headers.first(name: "Content-Length").flatMap {
                Int($0.trimmingCharacters(in: .whitespaces))
            }
            if let declared, declared > maxBody {
                reject(
                    context: context, number: number, head: head, started: Date(),
                    BridgeRefusal(
                        .contentTooLarge, "the request body (\(declared) bytes) is over the \(maxBody)-byte limit"))
                return
            }
            if head.headers.first(name: "Expect")?.lowercased() == "100-continue" {
                context.writeAndFlush(
                    wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .continue))),
                    promise: nil)
            }
            state = .receiving(Pending(number: number, head: head, body: [], declaredLength: declared, started: Date()))
        case .body(let chunk):
            switch state {
            case .receiving(var pending):
                if pending.body.count + chunk.readableBytes > maxBody {
                    reject(
                        context: context, number: pending.number, head: pending.head, started: pending.started,
                        BridgeRefusal(.contentTooLarge, "the request body is over the \(maxBody)-byte limit"))
                    return
                }
                pending.body.append(contentsOf: chunk.readableBytesView)
                state = .receiving(pending)
            case .rejecting(let drained):
                let total = drained + chunk.readableBytes
                state = .rejecting(drained: total)
                if total > Self.drainLimit { context.close(promise: nil) }
            case .idle, .exchanging:
                break
            }
        case .end:
            switch state {
            case .receiving(let pending):
                startExchange(context: context, pending)
            case .rejecting:
                state = .idle
                context.close(promise: nil)
            case .idle, .exchanging:
                break
            }
        }
    }

    /// Bytes of a refused body read and dropped before the connection is closed.
    static let drainLimit = 16 << 20

    /// Answers `refusal` before the body has all arrived, then reads and drops the rest.
    private func reject(
        context: ChannelHandlerContext, number: Int, head: HTTPRequestHead, started: Date,
        _ refusal: BridgeRefusal
    ) {
        state = .rejecting(drained: 0)
        deadline.answeredEarly()
        shared.log.emit(
            ExchangeRecord(
                exchange: number, method: head.method.rawValue, url: logURL(head),
                status: refusal.status.code, reasonPhrase: refusal.status.reasonPhrase,
                result: "\(refusal); nothing forwarded",
                wallSeconds: Date().timeIntervalSince(started)))
        // Closed once the rest of the body has been read: closing with unread bytes would reset
        // the connection and could lose the answer.
        write(refusal.response, version: head.version, keepAlive: false, closeWhenWritten: false, context: context)
    }

    private func startExchange(context: ChannelHandlerContext, _ pending: Pending) {
        state = .exchanging(pending)
        deadline.pause()
        let head = pending.head
        let fields = head.headers.map { (name: $0.name, value: $0.value) }
        let hadLength = pending.declaredLength != nil || head.headers.contains(name: "Transfer-Encoding")
        let prepared: (request: HTTPRequest, url: String)
        do throws(BridgeRefusal) {
            prepared = try ClientStation.request(
                method: head.method.rawValue, target: head.uri, fields: fields,
                body: pending.body, hadLength: hadLength,
                origin: shared.configuration.origin)
        } catch {
            shared.log.emit(
                ExchangeRecord(
                    exchange: pending.number, method: head.method.rawValue, url: logURL(head),
                    status: error.status.code, reasonPhrase: error.status.reasonPhrase,
                    result: "\(error); nothing forwarded",
                    wallSeconds: Date().timeIntervalSince(pending.started)))
            state = .idle
            write(error.response, version: head.version, keepAlive: head.isKeepAlive, context: context)
            deadline.answered()
            return
        }
        let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
        let loop = context.eventLoop
        let shared = self.shared
        let number = pending.number
        shared.started()
        Task.detached {
            let outcome = await shared.runner.run(number: number, request: prepared.request, url: prepared.url)
            loop.execute { bound.value.finish(outcome) }
            shared.ended()
        }
    }

    /// The exchange is over: log it and answer, if the client is still there.
    private func finish(_ outcome: ExchangeRunner.Outcome) {
        guard case .exchanging(let pending) = state else { return }
        state = .idle
        var record = outcome.record
        guard let context, context.channel.isActive else {
            record.ok = false
            record.status = nil
            record.result = "the client went away before the answer (\(outcome.record.result))"
            shared.log.emit(record)
            return
        }
        shared.log.emit(record)
        write(outcome.response, version: pending.head.version, keepAlive: pending.head.isKeepAlive, context: context)
        deadline.answered()
    }

    private func write(
        _ response: HTTPResponse, version: NIOHTTP1.HTTPVersion, keepAlive: Bool, closeWhenWritten: Bool = true,
        context: ChannelHandlerContext
    ) {
        var headers = NIOHTTP1.HTTPHeaders()
        for field in response.headers { headers.add(name: field.name, value: field.value) }
        if !keepAlive {
            headers.replaceOrAdd(name: "Connection", value: "close")
        } else if version.minor == 0 {
            headers.replaceOrAdd(name: "Connection", value: "keep-alive")
        }
        let status = HTTPResponseStatus(statusCode: response.status.code, reasonPhrase: response.reason)
        context.write(
            wrapOutboundOut(.head(HTTPResponseHead(version: version, status: status, headers: headers))),
            promise: nil)
        if !response.body.isEmpty {
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: response.body)))), promise: nil)
        }
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
            if !keepAlive, closeWhenWritten { channel.close(promise: nil) }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if case .receiving(let pending) = state {
            let expected = pending.declaredLength.map { " of \($0)" } ?? ""
            shared.log.emit(
                ExchangeRecord(
                    exchange: pending.number, method: pending.head.method.rawValue, url: logURL(pending.head),
                    result:
                        "the client disconnected mid-request (\(pending.body.count)\(expected) body bytes); nothing forwarded",
                    wallSeconds: Date().timeIntervalSince(pending.started)))
            state = .idle
        }
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard let expired = event as? RequestDeadline.Expired else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        // The deadline handler answers (408, when nothing was yet) and closes; this one logs.
        if case .receiving(let pending) = state {
            let refusal = BridgeRefusal(
                .requestTimeout,
                "the request did not arrive within \(OriginStation.seconds(expired.seconds)) s")
            shared.log.emit(
                ExchangeRecord(
                    exchange: pending.number, method: pending.head.method.rawValue,
                    url: logURL(pending.head), status: refusal.status.code,
                    reasonPhrase: refusal.status.reasonPhrase,
                    result: "\(refusal) (\(pending.body.count) body bytes); nothing forwarded",
                    wallSeconds: Date().timeIntervalSince(pending.started)))
            state = .idle
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        shared.log.console("client connection: \(error); closed")
        context.close(promise: nil)
    }
}
