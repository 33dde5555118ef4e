import Foundation
import Testing

@testable import ARQLink

struct FIFOLockTests {
    /// Threads that ask one after another while the lock is held get it in that order.
    @Test func waitersAreServedInTheOrderTheyCame() throws {
        final class Order: @unchecked Sendable {
            let lock = NSLock()
            var served: [Int] = []
        }
        let fifo = FIFOLock()
        let order = Order()
        let holder = Thread { fifo.withLock { Thread.sleep(forTimeInterval: 0.3) } }
        holder.start()
        Thread.sleep(forTimeInterval: 0.05)
        let done = DispatchGroup()
        for index in 0..<6 {
            done.enter()
            Thread {
                fifo.withLock { order.lock.withLock { order.served.append(index) } }
                done.leave()
            }.start()
            Thread.sleep(forTimeInterval: 0.03)  // each asks after the one before
        }
        #expect(done.wait(timeout: .now() + 10) == .success)
        #expect(order.lock.withLock { order.served } == Array(0..<6))
    }

    @Test func aThrowingBodyReleasesTheLock() {
        struct Oops: Error {}
        let fifo = FIFOLock()
        #expect(throws: Oops.self) { try fifo.withLock { () throws(Oops) in throw Oops() } }
        #expect(fifo.withLock { 42 } == 42)
    }
}
