import AsyncHTTPClient
import Foundation
import L7Application
import NIOCore
import NIOHTTP1
import NIOPosix

/// `soundstack bridge`: an HTTP/1.1 proxy whose every request and response crosses a
/// ``MessageCarrier`` (the acoustic link) between the client's station and the origin's.
///
/// ```swift
/// let link = try AcousticLink(AcousticLinkConfiguration())
/// let bridge = try await BridgeServer.start(BridgeConfiguration(port: 0), carrier: link)
/// print("listening on http://127.0.0.1:\(bridge.port)")
/// // curl -x http://127.0.0.1:PORT http://127.0.0.1:9000/
/// await bridge.shutdown()
/// ```
public final class BridgeServer: Sendable {
    /// The port listened on (the one picked when the configuration said 0).
    public let port: Int
    private let channel: any Channel
    private let group: MultiThreadedEventLoopGroup
    private let client: HTTPClient
    private let shared: BridgeShared
    private let threads: NIOThreadPool

    private init(
        port: Int, channel: any Channel, group: MultiThreadedEventLoopGroup, client: HTTPClient,
        shared: BridgeShared, threads: NIOThreadPool
    ) {
        self.port = port; self.channel = channel; self.group = group; self.client = client; self.shared = shared
        self.threads = threads
    }

    /// Starts listening. With `remote`, the origin's station is another process at the far end
    /// of a live link and `carrier` is not used.
    /// - Throws: when the address cannot be bound (in use, not local, bad host).
    public static func start(
        _ configuration: BridgeConfiguration, carrier: any MessageCarrier,
        log: BridgeLog = .silent, remote: LiveClientLink? = nil
    ) async throws -> BridgeServer {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        var clientConfiguration = HTTPClient.Configuration()
        clientConfiguration.redirectConfiguration = .disallow
        clientConfiguration.httpVersion = .http1Only
        clientConfiguration.connectionPool.retryConnectionEstablishment = false
        clientConfiguration.timeout = .init(connect: .nanoseconds(Int64(configuration.connectTimeoutSeconds * 1e9)))
        let client = HTTPClient(eventLoopGroup: group, configuration: clientConfiguration)
        let origin = OriginStation(
            client: client, timeoutSeconds: configuration.originTimeoutSeconds,
            maxBodyBytes: configuration.maxBodyBytes)
        let threads = NIOThreadPool(numberOfThreads: max(1, configuration.linkThreads))
        threads.start()
        let shared = BridgeShared(
            configuration: configuration,
            runner: ExchangeRunner(
                carrier: carrier, origin: origin,
                maxBodyBytes: configuration.maxBodyBytes, threads: threads, remote: remote),
            log: log)
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    guard shared.admitConnection() else {
                        try pipeline.addHandler(ConnectionRefuser())
                        return
                    }
                    channel.closeFuture.whenComplete { _ in shared.releaseConnection() }
                    let deadline = RequestDeadline(allowanceSeconds: configuration.headerTimeoutSeconds)
                    try pipeline.addHandler(deadline)
                    try pipeline.configureHTTPServerPipeline(withErrorHandling: true)
                    try pipeline.addHandler(ProxyHandler(shared: shared, deadline: deadline))
                }
            }
        do {
            let channel = try await bootstrap.bind(host: configuration.host, port: configuration.port).get()
            let port = channel.localAddress?.port ?? configuration.port
            return BridgeServer(
                port: port, channel: channel, group: group, client: client, shared: shared, threads: threads)
        } catch {
            try? await threads.shutdownGracefully()
            try? await client.shutdown()
            try? await group.shutdownGracefully()
            throw error
        }
    }

    /// Stops listening, lets exchanges under way finish (up to `grace` seconds), and closes
    /// everything.
    public func shutdown(grace: Double = 5) async {
        try? await channel.close()
        let deadline = Date().addingTimeInterval(grace)
        while shared.inFlight > 0, Date() < deadline {
            try? await Task.sleep(nanoseconds: 20_000_000)
        }
        try? await client.shutdown()
        try? await group.shutdownGracefully()
        try? await threads.shutdownGracefully()
    }
}
