import CVectorKernels
import SignalBasics
import Testing

@testable import Framings

/// The FX.25 tag hunt's methods (portable, popcount, AVX2 four bits at a time, AVX-512) stop at
/// the same bits with the same state, on noise with tags planted in it, however the stream is cut.
@Suite struct TagHuntTests {
    /// Soft line levels of random bits with tags planted, `flips` of their bits wrong; the line
    /// bit after which each planted tag is complete.
    static func stream(seed: UInt64) -> (soft: [Float], planted: [(end: Int, flips: Int)]) {
        var rng = SeededGenerator(seed: seed)
        var bits: [Bool] = (0..<300).map { _ in Bool.random(using: &rng) }
        var planted: [(Int, Int)] = []
        for (k, flips) in [0, 3, 8, 9, 20, 8, 1].enumerated() {
            var word = FX25.Tag.all[k % FX25.Tag.all.count].value
            var wrong = Set<Int>()
            while wrong.count < flips { wrong.insert(Int.random(in: 0..<64, using: &rng)) }
            for b in wrong { word ^= 1 << UInt64(b) }
            bits += (0..<64).map { word >> UInt64($0) & 1 == 1 }  // LSB first
            planted.append((bits.count - 1, flips))
            bits += (0..<Int.random(in: 1..<200, using: &rng)).map { _ in Bool.random(using: &rng) }
        }
        // NRZI: a 1 keeps the level, a 0 changes it; soft values of random size.
        var level = true
        let soft = bits.map { bit -> Float in
            if !bit { level.toggle() }
            return (level ? 1 : -1) * Float.random(in: 0.01...2, using: &rng)
        }
        return (soft, planted)
    }

    /// Every hit (the bit it stopped after) and the final state, feeding the stream in pieces
    /// of `piece` bits; `nil` when this build or CPU lacks the method.
    static func hunt(_ soft: [Float], method: Int32, piece: Int) -> (hits: [Int], word: UInt64, last: Int32)? {
        let tags = FX25.Tag.values
        var last: Int32 = 1, word: UInt64 = 0, hits: [Int] = []
        var start = 0
        while start < soft.count {
            let end = min(soft.count, start + piece)
            var i = start
            while i < end {
                var found: Int32 = 0
                let consumed = soft.withUnsafeBufferPointer { s in
                    tags.withUnsafeBufferPointer { t in
                        cvk_tag_hunt_using(
                            method, s.baseAddress! + i, end - i, &last, &word, t.baseAddress!, t.count,
                            Int32(FX25.tagTolerance), &found)
                    }
                }
                guard consumed >= 0 else { return nil }
                i += consumed
                if found != 0 { hits.append(i - 1) }
            }
            start = end
        }
        return (hits, word, last)
    }

    @Test(arguments: [1, 3, 4, 7, 64, 1000, 100_000])
    func methodsAgree(piece: Int) throws {
        let (soft, planted) = Self.stream(seed: 20)
        let reference = try #require(Self.hunt(soft, method: 0, piece: piece))
        // Every tag planted within the tolerance is found, where it ends; the others are not.
        for (end, flips) in planted {
            #expect(reference.hits.contains(end) == (flips <= FX25.tagTolerance), "tag ending at \(end)")
        }
        let available = cvk_tag_hunt_method()
        #expect(available >= 0 && available <= 3)
        for method: Int32 in 1...3 where method <= available {
            let got = try #require(Self.hunt(soft, method: method, piece: piece), "method \(method)")
            #expect(got.hits == reference.hits, "method \(method)")
            #expect(got.word == reference.word && got.last == reference.last, "method \(method)")
        }
    }
}
