import SignalBasics
import Testing

@testable import L1Physical

/// RS over GF(2^8): a published codeword, then errors, erasures, mixes and refusals.
@Suite struct ReedSolomonTests {
    /// The QR code "HELLO WORLD" 1-M block (field 0x11D, roots α^0 … α^9): 16 data codewords
    /// and their 10 error-correction codewords, as the QR specification's worked example gives.
    @Test func knownQRCodeword() throws {
        let rs = try ReedSolomon(parityCount: 10)
        let data: [UInt8] = [32, 91, 11, 120, 209, 114, 220, 77, 67, 64, 236, 17, 236, 17, 236, 17]
        #expect(try rs.parity(for: data) == [196, 35, 39, 119, 235, 215, 231, 226, 93, 23])
    }

    static func block(_ rs: ReedSolomon, k: Int, _ rng: inout SeededGenerator) throws -> [UInt8] {
        try rs.encode((0..<k).map { _ in UInt8(truncatingIfNeeded: rng.next()) })
    }

    /// `count` distinct positions in 0..<n.
    static func positions(_ count: Int, in n: Int, _ rng: inout SeededGenerator) -> [Int] {
        var all = Array(0..<n)
        all.shuffle(using: &rng)
        return Array(all.prefix(count))
    }

    static func corrupt(_ word: [UInt8], at positions: [Int], _ rng: inout SeededGenerator) -> [UInt8] {
        var w = word
        for p in positions { w[p] ^= UInt8(truncatingIfNeeded: rng.next() % 255 + 1) }
        return w
    }

    /// The codes FX.25 uses and a few more, full length and shortened, both root conventions.
    static let codes: [(parity: Int, n: Int, fcr: Int)] = [
        (16, 255, 0), (32, 255, 0), (64, 255, 1), (16, 48, 1), (32, 100, 1), (2, 10, 0), (32, 255, 112)
    ]

    @Test(arguments: codes) func correctsHalfTheParityInErrors(code: (parity: Int, n: Int, fcr: Int)) throws {
        var rng = SeededGenerator(seed: UInt64(code.parity * 1000 + code.n))
        let rs = try ReedSolomon(parityCount: code.parity, firstConsecutiveRoot: code.fcr)
        for _ in 0..<10 {
            let word = try Self.block(rs, k: code.n - code.parity, &rng)
            let errors = Self.positions(code.parity / 2, in: code.n, &rng)
            let decoded = try rs.decode(Self.corrupt(word, at: errors, &rng))
            #expect(decoded.codeword == word)
            #expect(Set(decoded.corrected) == Set(errors))
            #expect(decoded.data == Array(word.prefix(code.n - code.parity)))
        }
    }

    @Test(arguments: codes) func correctsAsManyErasuresAsParity(code: (parity: Int, n: Int, fcr: Int)) throws {
        var rng = SeededGenerator(seed: UInt64(code.parity * 77 + code.n))
        let rs = try ReedSolomon(parityCount: code.parity, firstConsecutiveRoot: code.fcr)
        for _ in 0..<10 {
            let word = try Self.block(rs, k: code.n - code.parity, &rng)
            let erased = Self.positions(code.parity, in: code.n, &rng)
            #expect(try rs.decode(Self.corrupt(word, at: erased, &rng), erasures: erased).codeword == word)
        }
    }

    /// Every split of the parity between errors (2 each) and erasures (1 each).
    @Test func correctsMixes() throws {
        var rng = SeededGenerator(seed: 99)
        let rs = try ReedSolomon.fx25(parityCount: 32)
        for errors in 0...16 {
            let erasures = 32 - 2 * errors
            let word = try Self.block(rs, k: 223, &rng)
            let hit = Self.positions(errors + erasures, in: 255, &rng)
            let erased = Array(hit.prefix(erasures))
            let received = Self.corrupt(word, at: hit, &rng)
            #expect(
                try rs.decode(received, erasures: erased).codeword == word, "\(errors) errors, \(erasures) erasures")
        }
    }

    /// An erasure whose byte happens to be right costs nothing extra.
    @Test func erasuresOfCorrectBytes() throws {
        let rs = try ReedSolomon(parityCount: 8)
        let word = try rs.encode(Array(1...40))
        let decoded = try rs.decode(word, erasures: [0, 5, 9])
        #expect(decoded.codeword == word)
        #expect(decoded.corrected.isEmpty)
    }

    /// Beyond the code's power the decoder refuses rather than returning a wrong block.
    @Test(arguments: [(16, 255), (32, 255), (64, 255), (16, 80)])
    func refusesBeyondItsPower(parity: Int, n: Int) throws {
        var rng = SeededGenerator(seed: UInt64(parity + n))
        let rs = try ReedSolomon.fx25(parityCount: parity)
        for extra in 1...3 {
            let word = try Self.block(rs, k: n - parity, &rng)
            let received = Self.corrupt(word, at: Self.positions(parity / 2 + extra, in: n, &rng), &rng)
            #expect(throws: FECError.self) { try rs.decode(received) }
        }
        let word = try Self.block(rs, k: n - parity, &rng)
        let erased = Self.positions(parity + 1, in: n, &rng)
        #expect(throws: FECError.uncorrectable(erasures: parity + 1, parity: parity)) {
            try rs.decode(Self.corrupt(word, at: erased, &rng), erasures: erased)
        }
    }

    @Test func refusesBadParameters() {
        #expect(throws: FECError.self) { try ReedSolomon(parityCount: 0) }
        // AES's field polynomial is irreducible but not primitive.
        #expect(throws: FECError.self) { try ReedSolomon(parityCount: 16, fieldPolynomial: 0x11B) }
        #expect(throws: FECError.self) { try ReedSolomon(parityCount: 16, primitiveElement: 5) }
        #expect(throws: FECError.self) { try ReedSolomon(parityCount: 16).encode([UInt8](repeating: 0, count: 240)) }
        #expect(throws: FECError.self) { try ReedSolomon(parityCount: 16).decode([UInt8](repeating: 0, count: 16)) }
    }

    /// A primitive element other than α (as CCSDS uses, 11) gives a working code too.
    @Test func otherPrimitiveElement() throws {
        var rng = SeededGenerator(seed: 5)
        let rs = try ReedSolomon(parityCount: 32, firstConsecutiveRoot: 112, primitiveElement: 11)
        let word = try Self.block(rs, k: 223, &rng)
        let hit = Self.positions(16, in: 255, &rng)
        #expect(try rs.decode(Self.corrupt(word, at: hit, &rng)).codeword == word)
    }
}
