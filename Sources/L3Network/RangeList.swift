import Checksums

/// A sorted list of disjoint, non-adjacent byte ranges: what has arrived so far.
struct RangeList: Sendable, Equatable {
    private(set) var ranges: [Range<Int>] = []

    /// Total bytes covered.
    var covered: Int { ranges.reduce(0) { $0 + $1.count } }

    /// Whether `r` is entirely covered already.
    func contains(_ r: Range<Int>) -> Bool {
        r.isEmpty || ranges.contains { $0.lowerBound <= r.lowerBound && r.upperBound <= $0.upperBound }
    }

    /// The parts of `r` not yet covered, in order.
    func uncovered(in r: Range<Int>) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var start = r.lowerBound
        for have in ranges where have.upperBound > start {
            if have.lowerBound >= r.upperBound { break }
            if have.lowerBound > start { out.append(start..<have.lowerBound) }
            start = max(start, have.upperBound)
            if start >= r.upperBound { break }
        }
        if start < r.upperBound { out.append(start..<r.upperBound) }
        return out
    }

    /// Adds `r`, merging with neighbours it touches or overlaps.
    mutating func insert(_ r: Range<Int>) {
        guard !r.isEmpty else { return }
        var lo = r.lowerBound, hi = r.upperBound
        var kept: [Range<Int>] = []
        kept.reserveCapacity(ranges.count + 1)
        var placed = false
        for have in ranges {
            if have.upperBound < lo {
                kept.append(have)
            } else if have.lowerBound > hi {
                if !placed { kept.append(lo..<hi); placed = true }
                kept.append(have)
            } else {
                lo = min(lo, have.lowerBound); hi = max(hi, have.upperBound)
            }
        }
        if !placed { kept.append(lo..<hi) }
        ranges = kept
    }
}
