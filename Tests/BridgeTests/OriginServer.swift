import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// A small origin server for the tests, on 127.0.0.1 and a free port:
/// - `GET /page`: a fixed HTML page with `X-Origin: page` (`HEAD /page`: its head);
/// - `/echo` (any method): the request as JSON (method, target, fields sorted by name, body);
/// - `GET /slow`: the page after `slowSeconds`;
/// - `GET /cut`: a head promising 10,000 bytes, 1,000 of them, and the connection closed (an
///   origin that goes away mid-response);
/// - anything else: 404.
/// It counts the connections and requests it has received, so a test can tell that nothing was forwarded.
final class OriginServer: Sendable {
    let port: Int
    private let channel: any Channel
    private let group: MultiThreadedEventLoopGroup
    let counter: Counter

    static let page =
        "<!doctype html><title>origin</title><p>" + String(repeating: "sound stack ", count: 150) + "</p>\n"

    struct Echo: Codable, Equatable {
        var method: String
        var target: String
        var fields: [[String]]
        var bodyBytes: Int
        var body: String
    }

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var seen: [String] = []
        private var accepted = 0
        func add(_ target: String) { lock.withLock { seen.append(target) } }
        var requests: [String] { lock.withLock { seen } }
        func connected() { lock.withLock { accepted += 1 } }
        /// TCP connections accepted so far.
        var connections: Int { lock.withLock { accepted } }
    }

    private init(port: Int, channel: any Channel, group: MultiThreadedEventLoopGroup, counter: Counter) {
        self.port = port; self.channel = channel; self.group = group; self.counter = counter
    }

    static func start(slowSeconds: Int64 = 3) async throws -> OriginServer {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let counter = Counter()
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(Handler(counter: counter, slowSeconds: slowSeconds))
                }
            }
        let channel = try await bootstrap.bind(host: "127.0.0.1", port: 0).get()
        return OriginServer(port: channel.localAddress?.port ?? 0, channel: channel, group: group, counter: counter)
    }

    func stop() async {
        try? await channel.close()
        try? await group.shutdownGracefully()
    }

    final class Handler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let counter: Counter
        let slowSeconds: Int64
        var head: HTTPRequestHead?
        var body: [UInt8] = []

        init(counter: Counter, slowSeconds: Int64) { self.counter = counter; self.slowSeconds = slowSeconds }

        func channelActive(context: ChannelHandlerContext) {
            counter.connected()
            context.fireChannelActive()
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let h): head = h; body = []
            case .body(let chunk): body += chunk.readableBytesView
            case .end:
                guard let head else { return }
                counter.add(head.uri)
                route(context: context, head: head)
            }
        }

        private func route(context: ChannelHandlerContext, head: HTTPRequestHead) {
            let path = head.uri.split(separator: "?").first.map(String.init) ?? head.uri
            switch path {
            case "/page" where head.method == .HEAD:
                respond(context, head, .ok, "text/html; charset=utf-8", Array(OriginServer.page.utf8), headOnly: true)
            case "/page" where head.method == .GET:
                respond(
                    context, head, .ok, "text/html; charset=utf-8", Array(OriginServer.page.utf8),
                    extra: [("X-Origin", "page")])
            case "/slow":
                context.eventLoop.assumeIsolated().scheduleTask(in: .seconds(slowSeconds)) {
                    self.respond(context, head, .ok, "text/html; charset=utf-8", Array(OriginServer.page.utf8))
                }
            case "/cut":
                let headers = HTTPHeaders([("Content-Type", "text/plain"), ("Content-Length", "10000")])
                context.write(
                    wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .ok, headers: headers))),
                    promise: nil)
                let part = ByteBuffer(bytes: [UInt8](repeating: UInt8(ascii: "c"), count: 1000))
                let channel = context.channel
                context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(part)))).whenComplete { _ in
                    channel.close(promise: nil)
                }
            case "/echo":
                let fields = head.headers.map { [$0.name.lowercased(), $0.value] }
                    .filter { $0[0] != "connection" }
                    .sorted { $0[0] < $1[0] }
                let echo = Echo(
                    method: head.method.rawValue, target: head.uri, fields: fields, bodyBytes: body.count,
                    body: String(decoding: body, as: UTF8.self))
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                let json = (try? encoder.encode(echo)).map { [UInt8]($0) } ?? []
                respond(context, head, .ok, "application/json", json)
            default:
                respond(context, head, .notFound, "text/plain", Array("not here\n".utf8))
            }
        }

        private func respond(
            _ context: ChannelHandlerContext, _ head: HTTPRequestHead, _ status: HTTPResponseStatus,
            _ type: String, _ body: [UInt8], extra: [(String, String)] = [], headOnly: Bool = false
        ) {
            var headers = HTTPHeaders([("Content-Type", type), ("Content-Length", String(body.count))])
            for (name, value) in extra { headers.add(name: name, value: value) }
            context.write(
                wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))),
                promise: nil)
            if !headOnly { context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil) }
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }
}
