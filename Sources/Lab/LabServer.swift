import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// How `soundstack lab` serves.
public struct LabConfiguration: Sendable {
    /// Address to listen on.
    public var host: String
    /// Port (0: any free one).
    public var port: Int
    /// The bounds every request is held to.
    public var limits: LabLimits
    /// Requests worked on at once (each is CPU work: modulation, channel, decoding, pictures).
    public var workers: Int
    /// Requests that may wait for a worker; beyond them the lab answers 503.
    public var queue: Int
    /// Clients connected at once; beyond them a connection is closed at once.
    public var maxConnections: Int
    /// Seconds a client has to send each whole request (and to send the next on a kept-alive
    /// connection).
    public var requestSeconds: Double

    /// The defaults: 127.0.0.1:8088, two workers, eight waiting, 32 connections, 30 s.
    public init(
        host: String = "127.0.0.1", port: Int = 8088, limits: LabLimits = LabLimits(), workers: Int = 2,
        queue: Int = 8, maxConnections: Int = 32, requestSeconds: Double = 30
    ) {
        self.host = host; self.port = port; self.limits = limits; self.workers = workers; self.queue = queue
        self.maxConnections = maxConnections; self.requestSeconds = requestSeconds
    }
}

/// The lab's web server: the page, its assets and the JSON API (see ``LabRunner``).
///
/// ```swift
/// let lab = try await LabServer.start(LabConfiguration(port: 0))
/// print("http://127.0.0.1:\(lab.port)/")
/// await lab.shutdown()
/// ```
public final class LabServer: Sendable {
    /// The port it listens on.
    public let port: Int
    private let channel: any Channel
    private let group: MultiThreadedEventLoopGroup
    private let threads: NIOThreadPool

    private init(port: Int, channel: any Channel, group: MultiThreadedEventLoopGroup, threads: NIOThreadPool) {
        self.port = port; self.channel = channel; self.group = group; self.threads = threads
    }

    /// Starts listening.
    /// - Throws: when the address cannot be bound.
    public static func start(_ configuration: LabConfiguration) async throws -> LabServer {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let threads = NIOThreadPool(numberOfThreads: max(1, configuration.workers))
        threads.start()
        let shared = LabShared(configuration: configuration, threads: threads)
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    guard shared.admit() else {
                        channel.close(promise: nil)
                        return
                    }
                    channel.closeFuture.whenComplete { _ in shared.release() }
                    try pipeline.configureHTTPServerPipeline(withErrorHandling: true)
                    try pipeline.addHandler(LabHandler(shared: shared))
                }
            }
        do {
            let channel = try await bootstrap.bind(host: configuration.host, port: configuration.port).get()
            return LabServer(
                port: channel.localAddress?.port ?? configuration.port, channel: channel, group: group, threads: threads
            )
        } catch {
            try? await threads.shutdownGracefully()
            try? await group.shutdownGracefully()
            throw error
        }
    }

    /// Stops listening and closes everything.
    public func shutdown() async {
        try? await channel.close()
        try? await group.shutdownGracefully()
        try? await threads.shutdownGracefully()
    }
}

/// What every connection shares: the configuration, the workers and the counts.
final class LabShared: @unchecked Sendable {
    let configuration: LabConfiguration
    let runner: LabRunner
    let threads: NIOThreadPool
    private let lock = NSLock()
    private var connections = 0
    private var pending = 0

    init(configuration: LabConfiguration, threads: NIOThreadPool) {
        self.configuration = configuration; self.threads = threads
        self.runner = LabRunner(limits: configuration.limits)
    }

    func admit() -> Bool {
        lock.withLock {
            guard connections < configuration.maxConnections else { return false }
            connections += 1
            return true
        }
    }

    func release() { lock.withLock { connections -= 1 } }

    /// Counts a job in; false when the workers and the queue are full.
    func enqueue() -> Bool {
        lock.withLock {
            guard pending < configuration.workers + configuration.queue else { return false }
            pending += 1
            return true
        }
    }

    func done() { lock.withLock { pending -= 1 } }
}
