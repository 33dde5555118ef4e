import Foundation
import SignalBasics
import Testing

@testable import L1Physical

/// Soft Viterbi decoding of the K = 7 code: exact on clean input, and the coding gain on AWGN.
@Suite struct ViterbiDecoderTests {
    static func randomBits(_ n: Int, _ rng: inout SeededGenerator) -> [UInt8] {
        (0..<n).map { _ in UInt8(rng.next() & 1) }
    }

    /// BPSK (0 → +1) through AWGN at `ebN0dB` per data bit; LLR = 2y/σ².
    static func channel(_ coded: [UInt8], ebN0dB: Double, rate: Double, _ rng: inout SeededGenerator) -> [Float] {
        let esN0 = pow(10, ebN0dB / 10) * rate
        let sigma = (1 / (2 * esN0)).squareRoot()
        return coded.map { bit in
            let y = (bit == 0 ? 1.0 : -1.0) + sigma * rng.nextGaussian()
            return Float(2 * y / (sigma * sigma))
        }
    }

    static func rateValue(_ r: ConvolutionalCode.Rate) -> Double {
        switch r {
        case .half: return 1.0 / 2
        case .twoThirds: return 2.0 / 3
        case .threeQuarters: return 3.0 / 4
        }
    }

    /// Bit errors after decoding `blocks` blocks of `n` bits, and before (hard decisions on the coded bits).
    static func errors(
        rate: ConvolutionalCode.Rate, ebN0dB: Double, blocks: Int, n: Int, seed: UInt64
    ) throws -> (decoded: Int, raw: Int, rawBits: Int) {
        var rng = SeededGenerator(seed: seed)
        let code = ConvolutionalCode(rate: rate)
        let decoder = ViterbiDecoder(code: code)
        var decodedErrors = 0, rawErrors = 0, rawBits = 0
        for _ in 0..<blocks {
            let bits = randomBits(n, &rng)
            let coded = code.encode(bits)
            let llrs = channel(coded, ebN0dB: ebN0dB, rate: rateValue(rate), &rng)
            rawErrors += zip(coded, llrs).filter { ($0 == 0) != ($1 > 0) }.count
            rawBits += coded.count
            let out = try decoder.decode(llrs, dataBits: n)
            decodedErrors += zip(bits, out).filter { $0 != $1 }.count
        }
        return (decodedErrors, rawErrors, rawBits)
    }

    @Test(arguments: ConvolutionalCode.Rate.allCases) func decodesCleanInput(rate: ConvolutionalCode.Rate) throws {
        var rng = SeededGenerator(seed: 1)
        let code = ConvolutionalCode(rate: rate)
        for n in [0, 1, 5, 100, 1001] {
            let bits = Self.randomBits(n, &rng)
            let llrs = code.encode(bits).map { $0 == 0 ? Float(4) : -4 }
            #expect(try ViterbiDecoder(code: code).decode(llrs, dataBits: n) == bits)
        }
    }

    /// Rate 1/2 at Eb/N0 = 4 dB: the coded BER is below 1e-4 while the channel's is about 1e-1.
    @Test func correctsAWGNAtRateHalf() throws {
        let r = try Self.errors(rate: .half, ebN0dB: 4, blocks: 100, n: 2000, seed: 7)
        let coded = Double(r.decoded) / 200_000, raw = Double(r.raw) / Double(r.rawBits)
        #expect(raw > 0.03)
        #expect(coded < 1e-4)
    }

    /// The punctured rates still decode far below the channel's BER.
    @Test(arguments: [(ConvolutionalCode.Rate.twoThirds, 5.0), (.threeQuarters, 5.5)])
    func correctsAWGNPunctured(rate: ConvolutionalCode.Rate, ebN0dB: Double) throws {
        let r = try Self.errors(rate: rate, ebN0dB: ebN0dB, blocks: 25, n: 2000, seed: 11)
        let coded = Double(r.decoded) / 50_000, raw = Double(r.raw) / Double(r.rawBits)
        #expect(raw > 0.005)
        #expect(coded < 1e-3)
    }

    /// A run of erased (punctured-like) coded bits in the middle is bridged.
    @Test func bridgesErasures() throws {
        var rng = SeededGenerator(seed: 3)
        let bits = Self.randomBits(300, &rng)
        var llrs = ConvolutionalCode().encode(bits).map { $0 == 0 ? Float(2) : -2 }
        for i in 200..<206 { llrs[i] = 0 }
        #expect(try ViterbiDecoder().decode(llrs, dataBits: 300) == bits)
    }

    /// Coded BER against Eb/N0 for the report (opt-in: `SOUNDSTACK_FEC_CURVE=1`). Measured here,
    /// 200,000 bits per point (uncoded BPSK for comparison: 3.75e-2, 2.3e-2, 1.25e-2, 6e-3 at 2, 3, 4, 5 dB):
    ///
    /// | Eb/N0 | rate 1/2 | rate 2/3 | rate 3/4 |
    /// |-------|----------|----------|----------|
    /// | 2 dB  | 5.0e-3   | 2.2e-2   | 5.8e-2   |
    /// | 3 dB  | 4.2e-4   | 1.7e-3   | 6.6e-3   |
    /// | 4 dB  | 0        | 8e-5     | 2.3e-4   |
    /// | 5 dB  | 0        | 0        | 0        |
    @Test(.enabled(if: ProcessInfo.processInfo.environment["SOUNDSTACK_FEC_CURVE"] != nil, "opt-in curve"))
    func curve() throws {
        for rate in ConvolutionalCode.Rate.allCases {
            for db in stride(from: 2.0, through: 6.0, by: 1.0) {
                let r = try Self.errors(rate: rate, ebN0dB: db, blocks: 100, n: 2000, seed: 5)
                print(
                    "viterbi rate \(rate.rawValue) Eb/N0 \(db) dB: channel BER \(Double(r.raw) / Double(r.rawBits)), "
                        + "decoded BER \(Double(r.decoded) / 200_000) (\(r.decoded) errors)")
            }
        }
    }
}
