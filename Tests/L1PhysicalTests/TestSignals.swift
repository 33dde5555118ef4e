import Foundation
import SignalBasics

@testable import L1Physical

/// Modulated frames with silence around and between them.
func transmit(
    _ payloads: [[UInt8]], mode: Mode, lineCode: LineCode? = nil, scramble: Bool? = nil,
    rate: Double = 48000, lead: Double = 0.1, gap: Double = 0.05, fec: FECScheme = .none
) throws -> [Float] {
    let enc = FrameEncoder(mode: mode, lineCode: lineCode, scramble: scramble, fec: fec)
    let mod = FSKModulator(mode: mode, lineCode: enc.lineCode, sampleRate: rate)
    var out = [Float](repeating: 0, count: Int(lead * rate))
    for p in payloads {
        out += mod.samples(symbols: try enc.symbols(payload: p))
        out += [Float](repeating: 0, count: Int(gap * rate))
    }
    out += [Float](repeating: 0, count: Int(lead * rate))
    return out
}

/// Adds white noise at `ebn0` dB per data bit, calibrated like the bench's channel.py.
func addNoise(_ x: [Float], ebn0: Double, bitRate: Double, rate: Double, seed: UInt64) -> [Float] {
    let active = x.filter { $0 != 0 }
    let ps = active.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(max(1, active.count))
    let n0 = ps / bitRate / pow(10, ebn0 / 10)
    let sigma = (n0 * rate / 2).squareRoot()
    var rng = SeededGenerator(seed: seed)
    return x.map { $0 + Float(sigma * rng.nextGaussian()) }
}

func receive(_ x: [Float], mode: Mode, lineCode: LineCode? = nil, rate: Double = 48000, block: Int = 4096) throws
    -> [DecodedFrame]
{
    var options = Demodulator.Options()
    options.lineCode = lineCode
    let d = try Demodulator(mode: mode, sampleRate: rate, options: options)
    var frames = [DecodedFrame]()
    var i = 0
    while i < x.count {
        let n = min(block, x.count - i)
        frames += d.process(Array(x[i..<(i + n)]))
        i += n
    }
    return frames + d.finish()
}
