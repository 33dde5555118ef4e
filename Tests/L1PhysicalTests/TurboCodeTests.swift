import Foundation
import SignalBasics
import Testing

@testable import L1Physical

/// The turbo code: exact on clean input, a true permutation with its spread, and a coding gain
/// on AWGN well past the K = 7 convolutional code's at the same rate.
@Suite struct TurboCodeTests {
    @Test func cleanBlocksComeBackAtEveryRate() {
        var rng = SeededGenerator(seed: 5)
        for rate in TurboCode.Rate.allCases {
            for n in [1, 2, 40, 777] {
                let bits = ViterbiDecoderTests.randomBits(n, &rng)
                let turbo = TurboCode(rate: rate, dataBits: n)
                let sent = turbo.encode(bits)
                #expect(sent.count == turbo.encodedLength)
                #expect(sent.count == (rate == .third ? 3 : 2) * n + 12)
                let decoded = turbo.decode(sent.map { $0 == 0 ? Float(4) : -4 })
                #expect(decoded?.bits == bits, "\(rate) \(n)")
                #expect(decoded?.iterations ?? 99 <= 2)
            }
        }
        #expect(TurboCode(rate: .half, dataBits: 10).decode([1, 2, 3]) == nil)
    }

    @Test func tailsReturnBothEncodersToZero() {
        var rng = SeededGenerator(seed: 9)
        let bits = ViterbiDecoderTests.randomBits(100, &rng)
        for input in [bits, TurboCode.sRandomPermutation(count: 100).map { bits[$0] }] {
            var state = 0
            for b in input { state = TurboCode.step(state, Int(b)).next }
            let (_, tail) = TurboCode.constituent(input)
            for i in 0..<TurboCode.tailSteps { state = TurboCode.step(state, Int(tail[2 * i])).next }
            #expect(state == 0)
        }
    }

    @Test func interleaverIsASpreadPermutation() {
        for n in [2, 17, 1000, 4416] {
            let p = TurboCode.sRandomPermutation(count: n)
            #expect(p.sorted() == Array(0..<n))
            #expect(p == TurboCode.sRandomPermutation(count: n), "the same for every block of a length")
        }
        // Neighbours within 10 places of each other land more than 10 apart, but for a few of the
        // last places, where few candidates are left.
        let p = TurboCode.sRandomPermutation(count: 1000)
        var close = 0
        for i in 0..<1000 { for j in (i + 1)..<min(1000, i + 11) where abs(p[i] - p[j]) <= 10 { close += 1 } }
        #expect(close <= 20)
    }

    /// BPSK at 1.5 dB per data bit, 20 blocks of 1000 bits at rate 1/2: the K = 7 Viterbi
    /// decoder leaves errors in most blocks, the turbo decoder in almost none.
    @Test func beatsTheConvolutionalCodeOnAWGN() throws {
        var rng = SeededGenerator(seed: 21)
        var turboBad = 0, viterbiBad = 0
        let n = 1000
        let code = ConvolutionalCode(rate: .half)
        let turbo = TurboCode(rate: .half, dataBits: n)
        for _ in 0..<20 {
            let bits = ViterbiDecoderTests.randomBits(n, &rng)
            let t = ViterbiDecoderTests.channel(turbo.encode(bits), ebN0dB: 1.5, rate: 0.5, &rng)
            if turbo.decode(t)?.bits != bits { turboBad += 1 }
            let v = ViterbiDecoderTests.channel(code.encode(bits), ebN0dB: 1.5, rate: 0.5, &rng)
            if try ViterbiDecoder(code: code).decode(v, dataBits: n) != bits { viterbiBad += 1 }
        }
        #expect(turboBad <= 1)
        #expect(viterbiBad >= 10)
    }
}
