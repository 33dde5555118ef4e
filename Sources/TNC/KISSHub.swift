import Foundation
import Framings

/// A host connected to the TNC (a TCP client or the pseudo-terminal) that frames are sent to.
///
/// ``send(_:)`` is called from any thread and must not block.
protocol KISSPeer: AnyObject, Sendable {
    /// How log lines name the peer, e.g. `tcp 127.0.0.1:50312` or `pty /dev/pts/3`.
    var name: String { get }
    /// Queues `bytes` for the host; false when its buffer is full and they were dropped.
    func send(_ bytes: [UInt8]) -> Bool
}

/// The hosts connected to the TNC: every frame received on the air goes to each of them, and
/// what each of them sends goes to one handler.
///
/// Thread-safe: peers come and go on the network's event loop and the pty's reader, frames are
/// broadcast from the receiver's thread.
final class KISSHub: @unchecked Sendable {
    private let condition = NSCondition()
    private var peers: [ObjectIdentifier: any KISSPeer] = [:]
    /// The peers counted by ``maximumClients`` (TCP clients; the pty is always admitted).
    private var counted: Set<ObjectIdentifier> = []
    /// Frames dropped for each peer since its buffer became full (logged once when it starts
    /// and once when it ends, not per frame).
    private var dropping: [ObjectIdentifier: Int] = [:]
    /// TCP clients at once; one more is refused.
    let maximumClients: Int
    let log: TNCLog
    /// Whole frames from the hosts, in the order each host sent them.
    let handler: @Sendable (KISSFrame, String) -> Void

    init(maximumClients: Int, log: TNCLog, handler: @escaping @Sendable (KISSFrame, String) -> Void) {
        self.maximumClients = maximumClients
        self.log = log
        self.handler = handler
    }

    /// Admits `peer`; false (and nothing added) when it is counted and ``maximumClients`` are
    /// already connected.
    func add(_ peer: any KISSPeer, counted isCounted: Bool = true) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        if isCounted {
            guard counted.count < maximumClients else { return false }
            counted.insert(ObjectIdentifier(peer))
        }
        peers[ObjectIdentifier(peer)] = peer
        condition.broadcast()
        return true
    }

    func remove(_ peer: any KISSPeer) {
        condition.lock()
        peers[ObjectIdentifier(peer)] = nil
        counted.remove(ObjectIdentifier(peer))
        dropping[ObjectIdentifier(peer)] = nil
        condition.unlock()
    }

    /// The TCP clients connected now.
    var clientCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return counted.count
    }

    /// Waits until `count` TCP clients are connected, or `stop()` says to give up.
    func waitForClients(_ count: Int, stop: @Sendable () -> Bool) {
        condition.lock()
        defer { condition.unlock() }
        while counted.count < count, !stop() {
            _ = condition.wait(until: Date().addingTimeInterval(0.05))
        }
    }

    /// Sends `frame` to every peer; a peer whose buffer is full loses it. The first frame lost
    /// is logged, and the count when the peer takes frames again.
    func broadcast(_ frame: KISSFrame) {
        let bytes = frame.bytes
        condition.lock()
        let all = Array(peers.values)
        condition.unlock()
        for peer in all {
            let sent = peer.send(bytes)
            let id = ObjectIdentifier(peer)
            let (started, recovered): (Bool, Int?) = condition.withLock {
                if !sent {
                    let count = dropping[id, default: 0]
                    dropping[id] = count + 1
                    return (count == 0, nil)
                }
                guard let count = dropping.removeValue(forKey: id) else { return (false, nil) }
                return (false, count)
            }
            if started { log("\(peer.name): buffer full: received frames are dropped for it until it reads") }
            if let recovered { log("\(peer.name): reading again; \(recovered) received frame(s) were dropped for it") }
        }
    }

    /// Hands a host's frames to the handler and logs the problems of its stream.
    func received(frames: [KISSFrame], problems: [KISSProblem], from peer: String) {
        for problem in problems { log("\(peer): \(problem)") }
        for frame in frames { handler(frame, peer) }
    }
}
