import Testing

@testable import L1Physical

/// The K = 7 (171, 133) encoder: its impulse response, linearity, termination and puncturing.
@Suite struct ConvolutionalCodeTests {
    /// A single 1 gives the generators' taps, X and Y interleaved: 171 = 1111001, 133 = 1011011,
    /// as `convenc([1 0 0 0 0 0 0], poly2trellis(7, [171 133]))` gives in MATLAB.
    @Test func impulseResponseIsTheGenerators() {
        let out = ConvolutionalCode(rate: .half).encode([1])
        #expect(out == [1, 1, 1, 0, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1])
    }

    /// The code is linear: the encoding of a XOR b is the XOR of the encodings.
    @Test func isLinear() {
        let code = ConvolutionalCode()
        let a: [UInt8] = [1, 0, 1, 1, 0, 0, 1, 0, 1, 1, 1, 0]
        let b: [UInt8] = [0, 1, 1, 0, 1, 0, 0, 0, 1, 0, 1, 1]
        let sum = zip(a, b).map { $0 ^ $1 }
        #expect(code.encode(sum) == zip(code.encode(a), code.encode(b)).map { $0 ^ $1 })
    }

    /// Zeros in, zeros out; the tail makes every block 2 (n + 6) bits at rate 1/2.
    @Test func zerosAndTail() {
        let out = ConvolutionalCode().encode([UInt8](repeating: 0, count: 10))
        #expect(out.count == 32)
        #expect(out.allSatisfy { $0 == 0 })
    }

    /// A known input, shifted by hand through the register: 1011 then the six-zero tail.
    @Test func knownVector() {
        // Superposition of the impulse response at t = 0, 2, 3.
        let expected: [UInt8] = [1, 1, 1, 0, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0, 0, 1, 1, 0, 1, 1]
        #expect(ConvolutionalCode().encode([1, 0, 1, 1]) == expected)
    }

    /// Puncturing keeps X1 Y1 Y2 (2/3) and X1 Y1 Y2 X3 (3/4) of the mother code.
    @Test(arguments: ConvolutionalCode.Rate.allCases) func puncturing(rate: ConvolutionalCode.Rate) throws {
        let bits: [UInt8] = [1, 1, 0, 1, 0, 0, 1, 0, 1, 1, 0, 1]
        let mother = ConvolutionalCode(rate: .half).encode(bits)
        let punctured = ConvolutionalCode(rate: rate).encode(bits)
        let keep: [Int]
        switch rate {
        case .half: keep = [0, 1]
        case .twoThirds: keep = [0, 1, 3]
        case .threeQuarters: keep = [0, 1, 3, 4]
        }
        let period = rate == .half ? 2 : rate == .twoThirds ? 4 : 6
        let expected = mother.indices.filter { keep.contains($0 % period) }.map { mother[$0] }
        #expect(punctured == expected)
        #expect(punctured.count == ConvolutionalCode(rate: rate).encodedLength(dataBits: bits.count))
        // Depuncturing puts the kept values back and zeros (erasures) elsewhere.
        let soft = punctured.map { $0 == 0 ? Float(1) : -1 }
        let back = try ConvolutionalCode(rate: rate).depuncture(soft, dataBits: bits.count)
        #expect(back.count == mother.count)
        for (i, v) in back.enumerated() {
            if keep.contains(i % period) { #expect(v == (mother[i] == 0 ? 1 : -1)) } else { #expect(v == 0) }
        }
    }

    @Test func depunctureRefusesWrongLength() {
        #expect(throws: FECError.lengthMismatch(expected: 20, actual: 19)) {
            try ConvolutionalCode().depuncture([Float](repeating: 1, count: 19), dataBits: 4)
        }
    }
}
