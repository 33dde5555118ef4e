import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A parallel concatenated (turbo) code: two 8-state recursive systematic convolutional
/// encoders, the second fed through an S-random interleaver, decoded iteratively by two
/// log-MAP (BCJR) decoders that trade extrinsic information.
///
/// ```
///  u ──┬───────────────────────────────► u            (systematic)
///      ├──► RSC 1 (13/15 octal) ───────► p1
///      └──► Π (S-random) ──► RSC 2 ────► p2           rate 1/3; 1/2 sends p1, p2 alternately
///
///  decoding:  ┌──► MAP 1 (u, p1, Π⁻¹ Le2) ──► Le1 ──Π──┐
///             └──── Π⁻¹ ◄── Le2 ◄── MAP 2 (Πu, p2, Π Le1) ◄┘   × up to 10, until the decisions settle
/// ```
///
/// **Constituent code.** Feedback 1 + D² + D³ (13 octal), feed-forward 1 + D + D³ (15 octal),
/// eight states. Each encoder is terminated by three tail steps whose input cancels the
/// feedback; their input and parity bits (6 per encoder, 12 in all) follow the data bits and are
/// never punctured.
///
/// **Order of the coded bits.** For data bit k: `u`, then `p1` and `p2` (rate 1/3), or `p1` for
/// even k and `p2` for odd k (rate 1/2); then the tails: encoder 1's three (u, p1) pairs,
/// encoder 2's three (u, p2) pairs.
///
/// **Soft input and output** follow ``ViterbiDecoder``: one LLR per coded bit, positive = 0.
///
/// ```swift
/// let turbo = TurboCode(rate: .half, dataBits: 2000)
/// let sent = turbo.encode(bits)
/// let back = turbo.decode(llrs)      // the data bits
/// ```
///
/// - Complexity: O(*n*) per iteration, with 16 branches per step and decoder.
public struct TurboCode: Sendable {
    /// The rates the mother code (1/3) is sent at.
    public enum Rate: String, Sendable, Hashable, CaseIterable {
        /// Both parities: three coded bits per data bit.
        case third = "1/3"
        /// The parities alternately: two coded bits per data bit.
        case half = "1/2"
    }

    /// Tail steps per constituent encoder.
    public static let tailSteps = 3
    /// Decoder iterations at most.
    public static let maxIterations = 10
    /// Extrinsic information is scaled by this before it is passed on (it damps the
    /// over-confidence that correlated extrinsic values build up over the iterations).
    static let extrinsicScale: Float = 0.9

    /// The rate sent.
    public let rate: Rate
    /// Data bits per block.
    public let dataBits: Int
    /// `permutation[k]` is the data bit that enters encoder 2 at step k.
    let permutation: [Int]

    /// A code of `rate` for blocks of `dataBits` bits (the interleaver is built for that length).
    public init(rate: Rate, dataBits: Int) {
        self.rate = rate
        self.dataBits = max(0, dataBits)
        permutation = Self.permutation(count: max(0, dataBits))
    }

    /// Interleavers built so far, by length (a frame size recurs: each is built once).
    private static let built = Mutex<[Int: [Int]]>([:])

    /// The S-random permutation for `count`, from ``built`` when it was made before (at most
    /// 64 lengths are kept).
    static func permutation(count: Int) -> [Int] {
        if let known = built.withLock({ $0[count] }) { return known }
        let made = sRandomPermutation(count: count)
        built.withLock { table in
            if table.count >= 64 { table.removeAll() }
            table[count] = made
        }
        return made
    }

    /// Coded bits per block, tails included.
    public var encodedLength: Int { Self.encodedLength(rate: rate, dataBits: dataBits) }

    /// Coded bits for `dataBits` data bits at `rate`, tails included.
    public static func encodedLength(rate: Rate, dataBits: Int) -> Int {
        (rate == .third ? 3 : 2) * max(0, dataBits) + 4 * tailSteps
    }

    // MARK: Trellis

    /// Next state and parity bit of the constituent encoder in `state` (bits: a[k−1], a[k−2],
    /// a[k−3], newest in bit 0) for input `u`.
    @inline(__always)
    static func step(_ state: Int, _ u: Int) -> (next: Int, parity: Int) {
        let s0 = state & 1, s1 = (state >> 1) & 1, s2 = (state >> 2) & 1
        let a = u ^ s1 ^ s2
        let p = a ^ s0 ^ s2
        return (((state << 1) | a) & 7, p)
    }

    /// The input that drives `state` towards zero (the tail).
    @inline(__always)
    static func tailInput(_ state: Int) -> Int { ((state >> 1) ^ (state >> 2)) & 1 }

    /// Encodes one constituent: parity per data bit, then the tail's (u, p) pairs.
    static func constituent(_ bits: [UInt8]) -> (parity: [UInt8], tail: [UInt8]) {
        var state = 0
        var parity = [UInt8](repeating: 0, count: bits.count)
        for (k, b) in bits.enumerated() {
            let (next, p) = step(state, Int(b & 1))
            parity[k] = UInt8(p)
            state = next
        }
        var tail = [UInt8]()
        for _ in 0..<tailSteps {
            let u = tailInput(state)
            let (next, p) = step(state, u)
            tail += [UInt8(u), UInt8(p)]
            state = next
        }
        return (parity, tail)
    }

    // MARK: Encoding

    /// The coded bits of `bits` (exactly ``dataBits`` of them; others are cut or padded with 0).
    public func encode(_ bits: [UInt8]) -> [UInt8] {
        var u = [UInt8](repeating: 0, count: dataBits)
        for k in 0..<min(dataBits, bits.count) { u[k] = bits[k] & 1 }
        let (p1, t1) = Self.constituent(u)
        let (p2, t2) = Self.constituent(permutation.map { u[$0] })
        var out = [UInt8]()
        out.reserveCapacity(encodedLength)
        for k in 0..<dataBits {
            out.append(u[k])
            switch rate {
            case .third: out += [p1[k], p2[k]]
            case .half: out.append(k % 2 == 0 ? p1[k] : p2[k])
            }
        }
        return out + t1 + t2
    }

    // MARK: Decoding

    /// The most likely data bits for the LLRs of the coded bits (``encodedLength`` of them,
    /// positive = 0); nil for the wrong number. `iterations` tells how many were run.
    public func decode(_ llrs: [Float]) -> (bits: [UInt8], iterations: Int)? {
        guard llrs.count == encodedLength else { return nil }
        let n = dataBits
        var ls = [Float](repeating: 0, count: n)
        var lp1 = [Float](repeating: 0, count: n)
        var lp2 = [Float](repeating: 0, count: n)
        var i = 0
        for k in 0..<n {
            ls[k] = llrs[i]; i += 1
            switch rate {
            case .third:
                lp1[k] = llrs[i]; lp2[k] = llrs[i + 1]; i += 2
            case .half:
                if k % 2 == 0 { lp1[k] = llrs[i] } else { lp2[k] = llrs[i] }
                i += 1
            }
        }
        let tail1 = Array(llrs[i..<(i + 2 * Self.tailSteps)])
        let tail2 = Array(llrs[(i + 2 * Self.tailSteps)..<(i + 4 * Self.tailSteps)])
        let lsPermuted = permutation.map { ls[$0] }

        var apriori1 = [Float](repeating: 0, count: n)
        var apriori2 = [Float](repeating: 0, count: n)
        var decisions = [UInt8](repeating: 0, count: n)
        var previous = [UInt8]()
        var iterations = 0
        var posterior2 = [Float](repeating: 0, count: n)
        for _ in 0..<Self.maxIterations {
            iterations += 1
            let out1 = Self.mapDecode(systematic: ls, parity: lp1, apriori: apriori1, tail: tail1)
            for k in 0..<n {
                apriori2[k] =
                    Self.extrinsicScale * (out1[permutation[k]] - ls[permutation[k]] - apriori1[permutation[k]])
            }
            let out2 = Self.mapDecode(systematic: lsPermuted, parity: lp2, apriori: apriori2, tail: tail2)
            for k in 0..<n {
                apriori1[permutation[k]] = Self.extrinsicScale * (out2[k] - lsPermuted[k] - apriori2[k])
                posterior2[permutation[k]] = out2[k]
            }
            for k in 0..<n { decisions[k] = posterior2[k] < 0 ? 1 : 0 }
            // Stop once the decisions are the same two iterations running and agree with decoder 1's.
            var settled = decisions == previous
            if settled { for k in 0..<n where (out1[k] < 0 ? 1 : 0) != decisions[k] { settled = false; break } }
            if settled { break }
            previous = decisions
        }
        return (decisions, iterations)
    }

    /// Subtracts the largest of the eight metrics at `at` (kept small, so Float keeps its
    /// precision over long blocks); unreachable states stay unreachable.
    @inline(__always)
    static func normalise(_ metrics: inout [Float], at: Int) {
        var top: Float = -1e30
        for s in 0..<8 { top = max(top, metrics[at + s]) }
        guard top > -1e29 else { return }
        for s in 0..<8 where metrics[at + s] > -1e29 { metrics[at + s] -= top }
    }

    /// ln(eᵃ + eᵇ) = max(a, b) + ln(1 + e^−|a−b|), the correction read from a table in steps
    /// of 1/8 (it is below 0.0004 past 8): the log-MAP decoder at little more than the cost of
    /// max-log-MAP.
    @inline(__always)
    static func maxStar(_ a: Float, _ b: Float) -> Float {
        let d = abs(a - b)
        let top = max(a, b)
        guard d < 8 else { return top }
        return top + correction[Int(d * 8)]
    }

    /// ln(1 + e^−d) at d = 0, 1/8, …, 63/8 (bucket centres).
    static let correction: [Float] = (0..<64).map { Float(log1p(exp(-(Double($0) + 0.5) / 8))) }

    /// Log-MAP (BCJR) over one constituent trellis: posterior LLRs of the data bits.
    static func mapDecode(systematic ls: [Float], parity lp: [Float], apriori la: [Float], tail: [Float]) -> [Float] {
        let n = ls.count
        let steps = n + tailSteps
        let minus: Float = -1e30
        var alpha = [Float](repeating: minus, count: 8 * (steps + 1))
        var beta = [Float](repeating: minus, count: 8 * (steps + 1))
        alpha[0] = 0
        beta[8 * steps] = 0
        /// Systematic (with a priori) and parity LLR of step t.
        @inline(__always) func inputs(_ t: Int) -> (Float, Float) {
            t < n ? (ls[t] + la[t], lp[t]) : (tail[2 * (t - n)], tail[2 * (t - n) + 1])
        }
        /// Branch metric: half the LLR for a 0, minus half for a 1.
        @inline(__always) func gamma(_ u: Int, _ p: Int, _ x: Float, _ y: Float) -> Float {
            0.5 * ((u == 0 ? x : -x) + (p == 0 ? y : -y))
        }
        for t in 0..<steps {
            let (x, y) = inputs(t)
            let base = 8 * t
            for s in 0..<8 where alpha[base + s] > minus {
                for u in 0..<2 {
                    if t >= n && u != tailInput(s) { continue }
                    let (next, p) = step(s, u)
                    let m = alpha[base + s] + gamma(u, p, x, y)
                    alpha[base + 8 + next] = maxStar(alpha[base + 8 + next], m)
                }
            }
            Self.normalise(&alpha, at: base + 8)
        }
        var out = [Float](repeating: 0, count: n)
        for t in stride(from: steps - 1, through: 0, by: -1) {
            let (x, y) = inputs(t)
            let base = 8 * t
            var best0 = minus, best1 = minus
            for s in 0..<8 {
                var b = minus
                for u in 0..<2 {
                    if t >= n && u != tailInput(s) { continue }
                    let (next, p) = step(s, u)
                    let after = beta[base + 8 + next]
                    guard after > minus else { continue }
                    let g = gamma(u, p, x, y)
                    b = maxStar(b, after + g)
                    if t < n, alpha[base + s] > minus {
                        let total = alpha[base + s] + g + after
                        if u == 0 { best0 = maxStar(best0, total) } else { best1 = maxStar(best1, total) }
                    }
                }
                beta[base + s] = b
            }
            Self.normalise(&beta, at: base)
            if t < n { out[t] = best0 - best1 }
        }
        return out
    }

    // MARK: Interleaver

    /// An S-random permutation of `count` indices: indices within S of each other in the input
    /// land more than S apart (S = √(n/2)), so a low-weight pattern for one encoder is not one
    /// for the other. Built from a fixed seed (the same for every block of this length); each
    /// place takes the first of up to 64 random candidates that keeps the spread, or the best
    /// of them near the end, where few are left, so it always finishes in O(n · S).
    static func sRandomPermutation(count n: Int) -> [Int] {
        guard n > 1 else { return Array(0..<max(0, n)) }
        var seed = UInt64(truncatingIfNeeded: n) &* 0x9E37_79B9_7F4A_7C15 | 1
        func next() -> UInt64 {
            seed ^= seed << 13
            seed ^= seed >> 7
            seed ^= seed << 17
            return seed
        }
        let spread = max(1, Int(Double(n / 2).squareRoot()))
        var pool = Array(0..<n)
        var out = [Int]()
        out.reserveCapacity(n)
        while !pool.isEmpty {
            var pick = 0, bestDistance = -1
            for _ in 0..<min(pool.count, 64) {
                let j = Int(next() % UInt64(pool.count))
                let candidate = pool[j]
                var distance = Int.max
                for back in out.suffix(spread) { distance = min(distance, abs(back - candidate)) }
                if distance > bestDistance {
                    bestDistance = distance
                    pick = j
                }
                if distance > spread { break }
            }
            out.append(pool[pick])
            pool.swapAt(pick, pool.count - 1)
            pool.removeLast()
        }
        return out
    }
}
