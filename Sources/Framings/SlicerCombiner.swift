/// Combines copies of one HDLC frame that several slicers received, each failing its FCS:
/// where two copies disagree in the pattern one wrong received bit leaves (the bit itself and,
/// behind a G3RUH descrambler, the two line bits it also decides), one copy takes the other's
/// decision for that bit, and the frame is checked again.
///
/// Slicers that listen through different filters, thresholds or clocks tend to get different
/// bits of a noisy frame wrong. Each try is one FCS check, and only bits where two copies
/// disagree are tried, a few per pair of copies: so a wrong frame passes about as rarely as
/// on a single slicer.
///
///     var combiner = SlicerCombiner(spread: [0, 12, 17], window: 15)
///     if let bytes = combiner.offer(.init(slicer: k, sample: s, line: bits, startLevel: level)) { … }
///
/// - Complexity: per copy offered, O(copies held · line bits); copies are held for a few bits.
struct SlicerCombiner: Sendable {
    /// One slicer's copy of a frame that failed: its line bits from after the opening flag up to
    /// and including the closing flag, as soft values.
    struct Copy: Sendable {
        var slicer: Int
        /// Where the closing flag was received (samples).
        var sample: Int
        var line: [Float]
        var startLevel: Bool
    }

    /// The line bits one received bit decides, as offsets from it (``HDLCDecoder/repairSpread``).
    let spread: [Int]
    /// How far apart (samples) two copies of one frame may end.
    let window: Int
    /// Most disagreeing line bits two copies may have to be combined: more, and they are not
    /// copies of one frame, or too damaged to be worth the tries.
    var maximumDisagreements = 24
    /// The copies that may still meet another of their frame.
    private var held: [Copy] = []
    /// FCS checks made so far.
    private(set) var tries = 0

    init(spread: [Int], window: Int) {
        self.spread = spread
        self.window = window
    }

    /// Offers a copy; returns the frame (without its FCS) when it combines with a held copy
    /// from another slicer into one that passes. Held copies of a frame found are dropped.
    mutating func offer(_ copy: Copy) -> [UInt8]? {
        for other in held
        where other.slicer != copy.slicer && other.line.count == copy.line.count
            && abs(other.sample - copy.sample) <= window
        {
            if let bytes = combine(copy, other) ?? combine(other, copy) {
                held.removeAll { abs($0.sample - copy.sample) <= window && $0.line.count == copy.line.count }
                return bytes
            }
        }
        held.append(copy)
        return nil
    }

    /// Drops the copies that ended before `sample`.
    mutating func forget(before sample: Int) {
        held.removeAll { $0.sample < sample }
    }

    /// `a` with, in turn, each received bit where `b` disagrees with it in all the line bits
    /// that bit decides taken from `b`; the first that passes its FCS.
    private mutating func combine(_ a: Copy, _ b: Copy) -> [UInt8]? {
        let n = a.line.count
        var differs = [Bool](repeating: false, count: n)
        var disagreements = 0
        for i in 0..<n where (a.line[i] > 0) != (b.line[i] > 0) {
            differs[i] = true
            disagreements += 1
            if disagreements > maximumDisagreements { return nil }
        }
        guard disagreements > 0 else { return nil }
        var levels = a.line.map { $0 > 0 }
        for i in 0..<n where differs[i] && spread.allSatisfy({ i + $0 >= n || differs[i + $0] }) {
            for offset in spread where i + offset < n { levels[i + offset].toggle() }
            tries += 1
            if let bytes = HDLCDecoder.decode(line: levels, startLevel: a.startLevel) { return bytes }
            for offset in spread where i + offset < n { levels[i + offset].toggle() }
        }
        return nil
    }
}
