import ARQLink
import Bridge
import Foundation
import L7Application
import TestSupport

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Collects what a bridge logs.
final class LogBox: @unchecked Sendable {
    private let lock = NSLock()
    private var blocks: [String] = []
    private var lines: [String] = []
    var log: BridgeLog {
        BridgeLog(
            console: { text in self.lock.withLock { self.blocks.append(text) } },
            json: { line in self.lock.withLock { self.lines.append(line) } })
    }
    var text: String { lock.withLock { blocks.joined(separator: "\n") } }
    var records: [ExchangeRecord] {
        lock.withLock { lines }.compactMap { try? JSONDecoder().decode(ExchangeRecord.self, from: Data($0.utf8)) }
    }
}

/// Runs `body` with a bridge on a free port, then shuts the bridge down.
/// Without a `carrier`, the acoustic link as it is built by default (a clean channel); a link
/// that cannot be built fails the test (there is no stand-in).
func withBridge<T>(
    _ configuration: BridgeConfiguration = BridgeConfiguration(port: 0),
    carrier: (any MessageCarrier)? = nil, logs: LogBox = LogBox(),
    _ body: (BridgeServer) async throws -> T
) async throws -> T {
    var configuration = configuration
    configuration.host = "127.0.0.1"
    configuration.port = 0
    let carrier = try carrier ?? AcousticLink(AcousticLinkConfiguration())
    let bridge = try await BridgeServer.start(configuration, carrier: carrier, log: logs.log)
    do {
        let result = try await body(bridge)
        await bridge.shutdown()
        return result
    } catch {
        await bridge.shutdown()
        throw error
    }
}

extension BridgeConfiguration {
    /// The default configuration, allowed to fetch from 127.0.0.1:`port`.
    static func allowing(_ port: Int) -> BridgeConfiguration { BridgeConfiguration().allowing(port) }
    static func allowing(_ origin: OriginServer) -> BridgeConfiguration { allowing(origin.port) }

    /// This configuration, also allowed to fetch from 127.0.0.1:`port`.
    func allowing(_ port: Int) -> BridgeConfiguration {
        var copy = self
        copy.allowedOrigins.insert(OriginPolicy.Origin(host: "127.0.0.1", port: port))
        return copy
    }
    func allowing(_ origin: OriginServer) -> BridgeConfiguration { allowing(origin.port) }
}

/// Runs `body` with an origin server, then stops it.
func withOrigin<T>(slowSeconds: Int64 = 3, _ body: (OriginServer) async throws -> T) async throws -> T {
    let origin = try await OriginServer.start(slowSeconds: slowSeconds)
    do {
        let result = try await body(origin)
        await origin.stop()
        return result
    } catch {
        await origin.stop()
        throw error
    }
}

/// Hands every message over untouched, with a report of one frame.
struct PassCarrier: MessageCarrier {
    func carry(
        _ message: [UInt8], direction: LinkDirection,
        exchange: Int
    ) throws(AcousticLinkError) -> (delivered: [UInt8], report: LinkTransferReport) {
        (
            message,
            LinkTransferReport(
                exchange: exchange, direction: direction, messageBytes: message.count,
                framesSent: 1, audioSeconds: 1, delivered: true)
        )
    }
}

/// Gives up in one direction, after counting what it was given.
final class FailingCarrier: MessageCarrier, @unchecked Sendable {
    let failing: LinkDirection
    private let lock = NSLock()
    private var carried: [LinkDirection] = []
    init(failing: LinkDirection) { self.failing = failing }
    var directions: [LinkDirection] { lock.withLock { carried } }

    func carry(
        _ message: [UInt8], direction: LinkDirection,
        exchange: Int
    ) throws(AcousticLinkError) -> (delivered: [UInt8], report: LinkTransferReport) {
        lock.withLock { carried.append(direction) }
        let report = LinkTransferReport(
            exchange: exchange, direction: direction, messageBytes: message.count,
            framesSent: 4, framesLost: 4, framesResent: 12, audioSeconds: 30)
        if direction == failing { throw .gaveUp(report, reason: "no acknowledgement after 12 resends") }
        var delivered = report
        delivered.delivered = true
        delivered.framesLost = 0
        delivered.framesResent = 0
        return (message, delivered)
    }
}

/// A raw TCP connection to 127.0.0.1:`port` that writes `bytes` and closes.
func sendAndClose(port: Int, _ bytes: [UInt8]) throws {
    let fd = try connectLoopback(port: port)
    defer { close(fd) }
    var sent = 0
    while sent < bytes.count {
        let n = bytes[sent...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard n > 0 else { throw POSIXError(.EPIPE) }
        sent += n
    }
}

/// Waits until `condition` holds, at most `limit` seconds.
func eventually(_ limit: Double = 10, _ condition: () -> Bool) async -> Bool {
    let start = Date()
    while !condition() {
        if Date().timeIntervalSince(start) > limit { return false }
        try? await Task.sleep(nanoseconds: 20_000_000)
    }
    return true
}

/// A JSON document of about `size` bytes, the same every run.
func jsonDocument(bytes size: Int) -> String {
    var items: [String] = []
    var total = 2
    var index = 0
    while total < size - 64 {
        let item = #"{"id":\#(index),"name":"item \#(index)","tones":[1200,2200],"ok":\#(index % 3 == 0)}"#
        items.append(item)
        total += item.utf8.count + 1
        index += 1
    }
    return "[" + items.joined(separator: ",") + "]"
}

/// Passes every message after holding its thread for `seconds`, like a long modulation.
final class SlowCarrier: MessageCarrier, @unchecked Sendable {
    let seconds: Double
    private let lock = NSLock()
    private var begun = 0
    init(seconds: Double) { self.seconds = seconds }
    var started: Int { lock.withLock { begun } }

    func carry(
        _ message: [UInt8], direction: LinkDirection,
        exchange: Int
    ) throws(AcousticLinkError) -> (delivered: [UInt8], report: LinkTransferReport) {
        lock.withLock { begun += 1 }
        Thread.sleep(forTimeInterval: seconds)
        return (
            message,
            LinkTransferReport(
                exchange: exchange, direction: direction, messageBytes: message.count,
                framesSent: 1, audioSeconds: seconds, delivered: true)
        )
    }
}

/// A raw TCP connection to 127.0.0.1:`port` that stays open: writes what it is told, reads
/// what comes, and tells when the other end has closed.
final class RawClient: @unchecked Sendable {
    private var fd: Int32
    private var received: [UInt8] = []
    private(set) var closedByPeer = false

    init(port: Int) throws {
        fd = try connectLoopback(port: port)
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
    }

    deinit { hangUp() }

    /// Closes this end.
    func hangUp() {
        if fd >= 0 { close(fd) }
        fd = -1
    }

    /// Writes `bytes`; false when the connection is gone.
    @discardableResult
    func transmit(_ bytes: [UInt8]) -> Bool {
        let n = bytes.withUnsafeBytes { Int(send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))) }
        return n == bytes.count
    }

    /// Reads whatever has arrived; notes a close (or reset) by the other end.
    func poll() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 { received += buffer[0..<n]; continue }
            if n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK) { closedByPeer = true }
            return
        }
    }

    /// Everything read so far, as text.
    var text: String { String(decoding: received, as: UTF8.self) }
}
