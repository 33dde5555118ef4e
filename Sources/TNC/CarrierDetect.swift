import Foundation
import Framings
import L1Physical

/// Data carrier detect: whether the input audio holds the AX.25 modem's tones now, so that
/// channel access waits while someone else is transmitting.
///
/// The receive thread feeds it the input (``analyse(_:)``), the transmit thread asks
/// ``isBusy``. For AFSK it is the decoder's ``ToneGate`` on the mark and space tones, held for
/// 0.1 s after the tones go; G3RUH baseband has no tones to watch, so the channel never reads
/// busy at 9600 Bd.
final class CarrierDetect: @unchecked Sendable {
    /// Seconds the channel stays busy after the carrier was last heard.
    static let hold = 0.1
    private let lock = NSLock()
    private var gate: ToneGate?
    private var pending: [Float] = []
    private var busyUntil = 0.0
    private let modem: AX25Modem

    /// A detector for `modem`; it listens once ``start(sampleRate:)`` has told it the input's rate.
    init(modem: AX25Modem) { self.modem = modem }

    /// Prepares for input audio at `sampleRate` (the receiver calls it once it has opened the input).
    func start(sampleRate: Double) {
        lock.lock()
        defer { lock.unlock() }
        if case .afsk(let s) = modem {
            gate = ToneGate(modes: [Mode.custom(baud: s.baud, tones: [s.mark, s.space])], sampleRate: sampleRate)
        }
        pending = []
    }

    /// Takes the next input samples.
    func analyse(_ block: UnsafeBufferPointer<Float>) {
        lock.lock()
        defer { lock.unlock() }
        guard var g = gate else { return }
        pending += block
        let n = g.blockLength
        var start = 0
        pending.withUnsafeBufferPointer { p in
            while start + n <= p.count {
                g.analyse(UnsafeBufferPointer(rebasing: p[start..<(start + n)]))
                if g.anyPresent { busyUntil = Self.clock() + Self.hold }
                start += n
            }
        }
        pending.removeFirst(start)
        gate = g
    }

    /// Whether a carrier was heard within the last ``hold`` seconds.
    var isBusy: Bool { lock.withLock { Self.clock() < busyUntil } }

    private static func clock() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
}
