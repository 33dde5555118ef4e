import Testing

@testable import Framings

/// Two slicers' copies of one frame, each with a received bit wrong, combine into the frame;
/// copies that cannot be two slicers' copies of one frame are not tried.
struct SlicerCombinerTests {
    static let frame: [UInt8] = Array("WB2OSZ-15>TEST:,The quick brown fox jumps over the lazy dog!".utf8)

    /// The line levels (soft, ±0.5) from after the opening flag through the closing flag, and
    /// the level the opening flag ended on.
    static func line() -> (line: [Float], startLevel: Bool) {
        let levels = HDLCEncoder.lineBits([frame], preambleFlags: 1, postambleFlags: 1)
        return (levels[8...].map { $0 ? 0.5 : -0.5 }, levels[7])
    }

    /// `line` with received bit `i` wrong: the levels it decides (`spread` after it) inverted.
    static func damaged(_ line: [Float], at i: Int, spread: [Int]) -> [Float] {
        var line = line
        for o in spread where i + o < line.count { line[i + o] = -line[i + o] * 0.2 }
        return line
    }

    @Test(arguments: [[0, 12, 17], [0]]) func twoCopiesWrongInDifferentBitsCombine(spread: [Int]) {
        let (clean, startLevel) = Self.line()
        #expect(HDLCDecoder.decode(line: clean.map { $0 > 0 }, startLevel: startLevel) == Self.frame)
        var combiner = SlicerCombiner(spread: spread, window: 15)
        let a = Self.damaged(clean, at: 100, spread: spread), b = Self.damaged(clean, at: 300, spread: spread)
        #expect(HDLCDecoder.decode(line: a.map { $0 > 0 }, startLevel: startLevel) == nil)
        #expect(HDLCDecoder.decode(line: b.map { $0 > 0 }, startLevel: startLevel) == nil)
        #expect(combiner.offer(.init(slicer: 0, sample: 1000, line: a, startLevel: startLevel)) == nil)
        #expect(combiner.offer(.init(slicer: 1, sample: 1010, line: b, startLevel: startLevel)) == Self.frame)
        // Only received bits the pattern fits, at most two of each copy: not one per line bit.
        #expect(combiner.tries >= 1 && combiner.tries <= 4)
        // The frame found, its copies are dropped: a third copy has nothing to combine with.
        let c = Self.damaged(clean, at: 200, spread: spread)
        #expect(combiner.offer(.init(slicer: 2, sample: 1005, line: c, startLevel: startLevel)) == nil)
    }

    @Test func copiesThatAreNotOfOneFrameAreNotCombined() {
        let (clean, startLevel) = Self.line()
        let spread = [0, 12, 17]
        let a = Self.damaged(clean, at: 100, spread: spread), b = Self.damaged(clean, at: 300, spread: spread)
        func combines(_ second: SlicerCombiner.Copy, window: Int = 15) -> Bool {
            var combiner = SlicerCombiner(spread: spread, window: window)
            _ = combiner.offer(.init(slicer: 0, sample: 1000, line: a, startLevel: startLevel))
            return combiner.offer(second) != nil
        }
        #expect(combines(.init(slicer: 1, sample: 1000, line: b, startLevel: startLevel)))
        // The same slicer (two frames of its own), too far apart, or of another length.
        #expect(!combines(.init(slicer: 0, sample: 1000, line: b, startLevel: startLevel)))
        #expect(!combines(.init(slicer: 1, sample: 1016, line: b, startLevel: startLevel)))
        #expect(!combines(.init(slicer: 1, sample: 1000, line: b + [0.5], startLevel: startLevel)))
        // Wrong in the same bit as the first: nothing to take from it.
        #expect(!combines(.init(slicer: 1, sample: 1000, line: a, startLevel: startLevel)))
        // Disagreeing in more line bits than two damaged copies of one frame would.
        var many = b
        for i in stride(from: 20, to: 500, by: 19) { many[i] = -many[i] }
        #expect(!combines(.init(slicer: 1, sample: 1000, line: many, startLevel: startLevel)))
        // A level wrong alone, not as a wrong received bit leaves it behind the descrambler:
        // not tried, though taking it would pass.
        var lone = clean
        lone[300] = -lone[300]
        var combiner = SlicerCombiner(spread: spread, window: 15)
        _ = combiner.offer(.init(slicer: 0, sample: 1000, line: lone, startLevel: startLevel))
        #expect(combiner.offer(.init(slicer: 1, sample: 1000, line: clean, startLevel: startLevel)) == nil)
        #expect(combiner.tries == 0)
    }
}
