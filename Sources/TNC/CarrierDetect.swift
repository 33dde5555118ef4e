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
    private var watch: ToneWatch?
    private var busyUntil = 0.0
    private let modem: AX25Modem

    /// A detector for `modem`; it listens once ``start(sampleRate:)`` has told it the input's rate.
    init(modem: AX25Modem) { self.modem = modem }

    /// Prepares for input audio at `sampleRate` (the receiver calls it once it has opened the input).
    func start(sampleRate: Double) {
        guard case .afsk(let s) = modem else { return }
        let watch = ToneWatch(modes: [Mode.custom(baud: s.baud, tones: [s.mark, s.space])], sampleRate: sampleRate)
        lock.withLock { self.watch = watch }
    }

    /// Takes the next input samples.
    func analyse(_ block: UnsafeBufferPointer<Float>) {
        lock.withLock {
            if watch?.add(block) == true { busyUntil = Self.clock() + Self.hold }
        }
    }

    /// Whether a carrier was heard within the last ``hold`` seconds.
    var isBusy: Bool { lock.withLock { Self.clock() < busyUntil } }

    private static func clock() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
}
