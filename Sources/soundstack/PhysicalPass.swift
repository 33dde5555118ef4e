import Dispatch
import Foundation
import L1Physical
import SoundStack

/// Layer 1 over several files at once: each file is demodulated on its own worker, results
/// come back in input order.
enum PhysicalPass {
    /// What layer 1 found in one file.
    struct File: @unchecked Sendable {
        var input: String
        var frames: [ReceivedFrame]
        var channelNote: String?
        var cutShort: String?
        var nonFinite: Int
        var seconds: Double
        var rate: Double
        var modes: [String]
        var lockedMode: Mode?
    }

    /// Results in a box that workers fill slot by slot.
    final class Slots: @unchecked Sendable {
        var items: [Result<File, Error>?]
        let lock = NSLock()
        init(_ n: Int) { items = Array(repeating: nil, count: n) }
        func put(_ r: Result<File, Error>, at i: Int) { lock.lock(); items[i] = r; lock.unlock() }
    }

    /// Runs `work` for each input, at most `jobs` at a time; results in input order.
    static func run(_ inputs: [String], jobs: Int, _ work: @escaping @Sendable (String) throws -> File) -> [Result<File, Error>] {
        let slots = Slots(inputs.count)
        let gate = DispatchSemaphore(value: jobs)
        DispatchQueue.concurrentPerform(iterations: inputs.count) { i in
            gate.wait()
            defer { gate.signal() }
            slots.put(Result { try work(inputs[i]) }, at: i)
        }
        return slots.items.map { $0 ?? .failure(CLIError("\(inputs) was not decoded")) }
    }
}
