/// Combines copies of one HDLC frame that several slicers received, each failing its FCS:
/// where two copies disagree in the pattern one wrong received bit leaves (the bit itself and,
/// behind a G3RUH descrambler, the two line bits it also decides), one copy takes the other's
/// decision for that bit, and the frame is checked again.
///
/// Slicers that listen through different filters, thresholds or clocks tend to get different
/// bits of a noisy frame wrong. Each try is one FCS check, and only bits where two copies
/// disagree are tried, at most ``triesPerPair`` of one copy's from the other, and none from a
/// copy that repeats one held: on gen_packets' 9600 Bd ramp about two checks per failed
/// copy, so the chance that noise passes for a frame stays near a single slicer's.
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
    /// Most bits of one copy tried from another (its least confident where they disagree).
    var triesPerPair = 2
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
        var pairs: [(other: Copy, differs: [Int])] = []
        for other in held
        where other.slicer != copy.slicer && other.line.count == copy.line.count
            && abs(other.sample - copy.sample) <= window
        {
            guard let differs = disagreements(copy.line, other.line) else { continue }
            // A copy that another slicer got the same (most are) has nothing new to offer.
            if differs.isEmpty { return nil }
            pairs.append((other, differs))
        }
        for (other, differs) in pairs {
            if let bytes = combine(copy, other, differs) ?? combine(other, copy, differs) {
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

    /// The line bits where `a` and `b` (of one length) have different levels, in order; `nil`
    /// for more than ``maximumDisagreements``.
    private func disagreements(_ a: [Float], _ b: [Float]) -> [Int]? {
        var differs: [Int] = []
        for i in a.indices where (a[i] > 0) != (b[i] > 0) {
            if differs.count == maximumDisagreements { return nil }
            differs.append(i)
        }
        return differs
    }

    /// `a` with, in turn, a received bit where `b` disagrees with it in all the line bits that
    /// bit decides (`differs`) taken from `b`, `a`'s least confident first; the first that
    /// passes its FCS.
    private mutating func combine(_ a: Copy, _ b: Copy, _ differs: [Int]) -> [UInt8]? {
        let n = a.line.count
        // The bits the pattern fits, least confident first: the one `a` got wrong is about
        // always among the first two.
        var candidates = differs.filter { i in spread.allSatisfy { i + $0 >= n || differs.contains(i + $0) } }
        guard !candidates.isEmpty else { return nil }
        candidates.sort { abs(a.line[$0]) < abs(a.line[$1]) }
        var levels = [Bool](unsafeUninitializedCapacity: n) { levels, count in
            for i in 0..<n { levels[i] = a.line[i] > 0 }
            count = n
        }
        for i in candidates.prefix(triesPerPair) {
            for offset in spread where i + offset < n { levels[i + offset].toggle() }
            tries += 1
            if let bytes = HDLCDecoder.decode(line: levels, startLevel: a.startLevel) { return bytes }
            for offset in spread where i + offset < n { levels[i + offset].toggle() }
        }
        return nil
    }
}

/// What a receiver with several slicers needs for a ``SlicerCombiner``: per slicer, the line bits
/// of the frame it is receiving (none between frames), so that a frame its HDLC decoder reports
/// as failed (``HDLCDecoder/reportsRejects``) can be offered with its line bits.
struct SlicerCopies: Sendable {
    private(set) var combiner: SlicerCombiner
    /// Per slicer: the line bits (soft) of the frame it is receiving, as far as earlier runs
    /// brought them, from line bit `kept[k].start` (counted from its first) on.
    private var kept: [(start: Int, line: [Float])]

    init(slicers: Int, spread: [Int], window: Int) {
        combiner = SlicerCombiner(spread: spread, window: window)
        kept = Array(repeating: (0, []), count: slicers)
    }

    /// Drops the failed copies that ended before `sample`: too old to meet another of their frame.
    mutating func forget(before sample: Int) {
        combiner.forget(before: sample)
    }

    /// After slicer `k`'s `decoder` took `softs` (sampled at `samples`): offers the frames that
    /// failed in them to the combiner, calling `found(bytes, sample)` for each it combines, and
    /// keeps the line bits of the frame in progress.
    mutating func take(
        _ k: Int, _ decoder: inout HDLCDecoder, softs: UnsafeBufferPointer<Float>, samples: UnsafeBufferPointer<Int>,
        _ found: ([UInt8], Int) -> Void
    ) {
        // This run's line bits are the slicer's from `first` on.
        let first = kept[k].start + kept[k].line.count
        for r in decoder.takeRejects() where r.start >= kept[k].start {
            var line: [Float] = []
            line.reserveCapacity(r.end - r.start + 1)
            if r.start < first { line += kept[k].line[(r.start - kept[k].start)...] }
            line += softs[max(0, r.start - first)...(r.end - first)]
            let copy = SlicerCombiner.Copy(
                slicer: k, sample: samples[r.end - first], line: line, startLevel: r.startLevel)
            if let bytes = combiner.offer(copy) { found(bytes, copy.sample) }
        }
        // Up to the longest frame's line bits.
        let end = first + softs.count
        let from = max(decoder.frameInProgress ?? end, end - HDLCDecoder.lineCapacity)
        if from >= first {
            kept[k].line.removeAll(keepingCapacity: true)
            kept[k].line += softs[(from - first)...]
        } else {
            kept[k].line.removeFirst(from - kept[k].start)
            kept[k].line += softs
        }
        kept[k].start = from
    }
}
