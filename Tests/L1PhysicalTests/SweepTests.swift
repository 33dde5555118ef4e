import Foundation
import SignalBasics
import TestSupport
import Testing

@testable import L1Physical

/// Bit error rate against Eb/N0, measured before any check. Slow: runs only with
/// SOUNDSTACK_SWEEP=1, in a release build (`swift test -c release --filter sweep`).
@Test(.enabled(if: ProcessInfo.processInfo.environment["SOUNDSTACK_SWEEP"] != nil, "opt-in sweep"))
func sweepBER() throws {
    let env = ProcessInfo.processInfo.environment
    let modes = (env["SWEEP_MODES"] ?? "fsk1200").split(separator: ",").map(String.init)
    let points = (env["SWEEP_EBN0"] ?? "9,10,11,12").split(separator: ",").compactMap { Double($0) }
    let runs = Int(env["SWEEP_RUNS"] ?? "4") ?? 4
    let drift = Double(env["SWEEP_DRIFT_PPM"] ?? "0") ?? 0
    for name in modes {
        let mode = try #require(Mode.named(name))
        for ebn0 in points {
            var errors = 0, bits = 0, lost = 0
            for run in 0..<runs {
                var rng = SeededGenerator(seed: UInt64(run) + 100)
                let payload = rng.bytes(2000)
                var x = try transmit([payload], mode: mode)
                if drift != 0 { x = resampleLinear(x, factor: 1 + drift * 1e-6) }
                x = addNoise(x, ebn0: ebn0, bitRate: mode.bitRate, rate: 48000, seed: UInt64(run) * 7 + 1)
                let frames = try receive(x, mode: mode)
                bits += payload.count * 8
                if let f = frames.first(where: { $0.payload.count == payload.count }) {
                    for (a, b) in zip(f.payload, payload) { errors += (a ^ b).nonzeroBitCount }
                } else {
                    errors += payload.count * 4; lost += 1
                }
            }
            let ber = Double(errors) / Double(bits)
            let theory = 0.5 * exp(-pow(10, ebn0 / 10) / 2)
            print("SWEEP \(name) Eb/N0 \(ebn0) dB: BER \(ber) (theory NC-BFSK \(theory)) lost \(lost)/\(runs)")
            // The README's claim: the binary modes sit on the non-coherent curve (a few errors
            // per point at these sizes, so the band is wide), and from 11 dB up no frame is lost.
            if mode.tones.count == 2 && drift == 0 && theory * Double(bits) >= 5 {
                #expect(ber <= theory * 2.5, "\(name) at \(ebn0) dB: BER \(ber), theory \(theory)")
                #expect(ber >= theory * 0.3, "\(name) at \(ebn0) dB: BER \(ber), theory \(theory)")
            }
            #expect(ebn0 < 11 || lost == 0, "\(name) at \(ebn0) dB: \(lost) of \(runs) frames lost")
        }
    }
}

/// Crude time-scaling for drift tests (linear interpolation).
func resampleLinear(_ x: [Float], factor: Double) -> [Float] {
    let n = Int(Double(x.count - 1) / factor)
    return (0..<n).map { i in
        let t = Double(i) * factor
        let j = Int(t), f = Float(t - Double(j))
        return x[j] * (1 - f) + x[min(j + 1, x.count - 1)] * f
    }
}
