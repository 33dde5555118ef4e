import Foundation
@testable import L1Physical

/// Deterministic test noise: SplitMix64 + Box–Muller.
struct TestRNG {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }
    mutating func gaussian() -> Double {
        let u1 = max(uniform(), 1e-300), u2 = uniform()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
    mutating func bytes(_ n: Int) -> [UInt8] { (0..<n).map { _ in UInt8(truncatingIfNeeded: next()) } }
}

/// Modulated frames with silence around and between them.
func transmit(_ payloads: [[UInt8]], mode: Mode, lineCode: LineCode? = nil, scramble: Bool? = nil,
              rate: Double = 48000, lead: Double = 0.1, gap: Double = 0.05) throws -> [Float] {
    let enc = FrameEncoder(mode: mode, lineCode: lineCode, scramble: scramble)
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
    var rng = TestRNG(seed: seed)
    return x.map { $0 + Float(sigma * rng.gaussian()) }
}

func receive(_ x: [Float], mode: Mode, lineCode: LineCode? = nil, rate: Double = 48000, block: Int = 4096) throws -> [DecodedFrame] {
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
