import Foundation
import Framings
import Testing

@testable import TNC

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A client that does not read loses frames once `clientBufferLimit` bytes wait for it (logged);
/// it is not disconnected, and the others are not held up.
@Suite struct KISSHubTests {
    @Test func aClientThatDoesNotReadLosesFramesButStaysConnected() throws {
        var c = SoftwareTNCTests.configuration()
        c.clientBufferLimit = 16 * 1024
        let lines = LogLines()
        let tnc = try SoftwareTNC.start(c, log: lines.log)
        defer { try? tnc.stop() }
        let slow = try KISSTestClient(port: tnc.kissPort)
        var small: Int32 = 4096
        setsockopt(slow.descriptor, SOL_SOCKET, SO_RCVBUF, &small, socklen_t(MemoryLayout<Int32>.size))
        #expect(eventually { tnc.clientCount == 1 })
        let frame = KISSFrame(command: .data, payload: [UInt8](repeating: 0x41, count: 250))
        // Offered faster than they are written (and the client does not read): once 16 KiB wait
        // for it, further frames are dropped for it.
        var dropped = false
        for _ in 0..<100_000 where !dropped {
            tnc.hub.broadcast(frame)
            dropped = lines.contains("buffer full")
        }
        #expect(dropped, "no frame was dropped for the slow client")
        #expect(slow.isOpen)
        #expect(tnc.clientCount == 1)
        // It can still read what was queued for it: whole frames.
        #expect(slow.frames(3, timeLimit: 10).allSatisfy { $0 == frame })
    }

    @Test func aFakePeerWithAFullBufferIsLoggedByName() {
        final class Full: KISSPeer, @unchecked Sendable {
            let name = "fake"
            func send(_ bytes: [UInt8]) -> Bool { false }
        }
        let lines = LogLines()
        let hub = KISSHub(maximumClients: 1, log: lines.log) { _, _ in }
        let peer = Full()
        #expect(hub.add(peer))
        #expect(!hub.add(Full()), "one over the maximum")
        hub.broadcast(KISSFrame(command: .data, payload: [1, 2, 3]))
        #expect(lines.contains("fake: buffer full"))
        hub.remove(peer)
        #expect(hub.clientCount == 0)
    }
}
