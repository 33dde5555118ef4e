import Foundation
import Framings
import NIOCore
import NIOPosix

/// KISS over TCP (as Dire Wolf serves it on port 8001): each connection is a host; the bytes
/// it sends are decoded as a KISS stream, and every frame the TNC receives is written to it.
///
/// A malformed stream (a bad escape, a frame too long, bytes outside a frame) is logged and the
/// decoder resynchronises at the next FEND: the client stays connected. A client that does not
/// read loses frames once `clientBufferLimit` bytes are waiting for it (logged), and is never
/// waited for. One connection over the maximum is closed at once (logged).
final class KISSServer: Sendable {
    /// The port listened on (the one picked when 0 was asked for).
    let port: Int
    private let channel: any Channel
    private let group: MultiThreadedEventLoopGroup

    private init(port: Int, channel: any Channel, group: MultiThreadedEventLoopGroup) {
        self.port = port
        self.channel = channel
        self.group = group
    }

    /// Listens on `host:port` and serves every client through `hub`.
    /// - Throws: ``TNCError/cannotListen(host:port:reason:)``.
    static func start(host: String, port: Int, hub: KISSHub, clientBufferLimit: Int) throws(TNCError) -> KISSServer {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        KISSConnectionHandler(hub: hub, limit: clientBufferLimit))
                }
            }
        do {
            let channel = try bootstrap.bind(host: host, port: port).wait()
            return KISSServer(port: channel.localAddress?.port ?? port, channel: channel, group: group)
        } catch {
            try? group.syncShutdownGracefully()
            throw .cannotListen(host: host, port: port, reason: "\(error)")
        }
    }

    /// Closes the listening socket and every connection.
    func shutdown() {
        try? channel.close().wait()
        try? group.syncShutdownGracefully()
    }
}

/// One TCP client as a ``KISSPeer``: frames are written with `writeAndFlush`; the bytes not yet
/// handed to the kernel are counted, and a frame that would take them over the limit is dropped.
final class TCPPeer: KISSPeer, @unchecked Sendable {
    let name: String
    private let channel: any Channel
    private let limit: Int
    private let lock = NSLock()
    private var pending = 0

    init(channel: any Channel, limit: Int) {
        self.channel = channel
        self.limit = limit
        name = "tcp " + (channel.remoteAddress.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "client")
    }

    func send(_ bytes: [UInt8]) -> Bool {
        let admitted = lock.withLock {
            guard pending + bytes.count <= limit else { return false }
            pending += bytes.count
            return true
        }
        guard admitted else { return false }
        let count = bytes.count
        channel.writeAndFlush(channel.allocator.buffer(bytes: bytes)).whenComplete { [self] _ in
            lock.withLock { pending -= count }
        }
        return true
    }
}

/// Reads one client's KISS stream.
final class KISSConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let hub: KISSHub
    private let limit: Int
    private var decoder = KISSDecoder()
    private var peer: TCPPeer?

    init(hub: KISSHub, limit: Int) {
        self.hub = hub
        self.limit = limit
    }

    func channelActive(context: ChannelHandlerContext) {
        let peer = TCPPeer(channel: context.channel, limit: limit)
        guard hub.add(peer) else {
            hub.log("\(peer.name): refused, \(hub.maximumClients) client(s) already connected")
            context.close(promise: nil)
            return
        }
        self.peer = peer
        hub.log("\(peer.name): connected (\(hub.clientCount) client(s))")
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let peer else { return }
        var buffer = unwrapInboundIn(data)
        let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
        let (frames, problems) = decoder.push(bytes)
        hub.received(frames: frames, problems: problems, from: peer.name)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let peer {
            hub.remove(peer)
            hub.log("\(peer.name): disconnected")
        }
        peer = nil
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        hub.log("\(peer?.name ?? "tcp client"): \(error); closing the connection")
        context.close(promise: nil)
    }
}
