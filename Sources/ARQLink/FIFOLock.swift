import Foundation

/// A lock that admits waiters in the order they came (a ticket lock): a thread that asks first
/// is served first, so no exchange waits behind others that asked after it. `NSLock` promises
/// no order. Safe from any thread; not reentrant.
final class FIFOLock: @unchecked Sendable {
    private let condition = NSCondition()
    private var nextTicket = 0
    private var serving = 0

    /// Runs `body` once every caller that came before has finished.
    func withLock<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        condition.lock()
        let ticket = nextTicket
        nextTicket += 1
        while ticket != serving { condition.wait() }
        condition.unlock()
        defer {
            condition.lock()
            serving += 1
            condition.broadcast()
            condition.unlock()
        }
        return try body()
    }
}
