/// Soft-decision Viterbi decoder for ``ConvolutionalCode`` (K = 7, 171/133, rate 1/2 or punctured).
///
/// ```
///  LLRs of the sent bits ──► depuncture ──► per step: 4 branch metrics ──► add-compare-select
///  (punctured = 0)           (X, Y pairs)    (±Lx ± Ly)                    over 64 states,
///                                                                          one decision bit each
///                                                      data bits ◄── traceback from state 0
/// ```
///
/// **Soft input.** One log-likelihood ratio per coded bit, `L = log P(bit = 0) / P(bit = 1)`:
/// positive means 0, negative means 1, the magnitude is the confidence and 0 is an erasure. For
/// BPSK (0 → +1, 1 → −1) in Gaussian noise of variance σ², `L = 2y/σ²`; any positive scale gives
/// the same decisions.
///
/// **Termination.** Blocks are tail-terminated (``ConvolutionalCode/tailBits`` zeros), so the path
/// starts in state 0 and the full-length traceback starts from state 0 at the end of the block.
///
/// ```swift
/// let code = ConvolutionalCode(rate: .half)
/// let llrs = code.encode(bits).map { $0 == 0 ? Float(1) : -1 }
/// let decoded = try ViterbiDecoder(code: code).decode(llrs, dataBits: bits.count)  // == bits
/// ```
///
/// - Complexity: O(*n* · 64) time per block of *n* data bits, with one 64-bit decision word per
///   bit as memory; no allocation inside the loop.
public struct ViterbiDecoder: Sendable {
    /// The code decoded.
    public let code: ConvolutionalCode
    /// For next state `s` and the dropped oldest bit `j`: the branch's output pair (X in bit 1).
    private let branchOutputs: [UInt8]

    /// A decoder for `code`.
    public init(code: ConvolutionalCode = ConvolutionalCode()) {
        self.code = code
        var table = [UInt8](repeating: 0, count: 2 * ConvolutionalCode.stateCount)
        for next in 0..<ConvolutionalCode.stateCount {
            for j in 0..<2 {
                let register = (next >> 5) << 6 | (next & 31) << 1 | j
                table[2 * next + j] = UInt8(ConvolutionalCode.outputs(register: register))
            }
        }
        branchOutputs = table
    }

    /// Decodes one terminated block.
    ///
    /// - Parameters:
    ///   - llrs: LLRs of the sent (punctured) coded bits, positive = 0; ``ConvolutionalCode/encodedLength(dataBits:)`` of them.
    ///   - dataBits: the number of data bits in the block, tail not counted.
    /// - Returns: the `dataBits` most likely data bits (0 or 1).
    /// - Throws: ``FECError/lengthMismatch(expected:actual:)`` when `llrs` has the wrong length.
    /// - Complexity: O(*n* · 64).
    public func decode(_ llrs: [Float], dataBits: Int) throws(FECError) -> [UInt8] {
        let mother = try code.depuncture(llrs, dataBits: dataBits)
        let steps = dataBits + ConvolutionalCode.tailBits
        var decisions = [UInt64](repeating: 0, count: steps)
        var metrics = [Float](repeating: 0, count: 2 * ConvolutionalCode.stateCount)
        var out = [UInt8](repeating: 0, count: dataBits)
        mother.withUnsafeBufferPointer { soft in
            branchOutputs.withUnsafeBufferPointer { outputs in
                decisions.withUnsafeMutableBufferPointer { dec in
                    metrics.withUnsafeMutableBufferPointer { m in
                        Self.forward(soft, steps: steps, outputs: outputs, metrics: m, decisions: dec)
                    }
                    out.withUnsafeMutableBufferPointer { Self.traceback(dec, into: $0) }
                }
            }
        }
        return out
    }

    /// Add-compare-select over all steps; `metrics` holds two rows of 64 path metrics.
    private static func forward(
        _ soft: UnsafeBufferPointer<Float>, steps: Int, outputs: UnsafeBufferPointer<UInt8>,
        metrics: UnsafeMutableBufferPointer<Float>, decisions: UnsafeMutableBufferPointer<UInt64>
    ) {
        guard let base = metrics.baseAddress else { return }
        var old = base, new = base + ConvolutionalCode.stateCount
        let unreachable: Float = -1e30
        for s in 0..<ConvolutionalCode.stateCount { old[s] = s == 0 ? 0 : unreachable }
        var branch: (Float, Float, Float, Float) = (0, 0, 0, 0)
        for t in 0..<steps {
            let lx = soft[2 * t], ly = soft[2 * t + 1]
            // Output pair index = X << 1 | Y; a 0 bit agrees with a positive LLR.
            branch = (lx + ly, lx - ly, -lx + ly, -lx - ly)
            var word: UInt64 = 0
            for next in 0..<ConvolutionalCode.stateCount {
                let p0 = (next & 31) << 1
                let m0 = old[p0] + pick(branch, outputs[2 * next])
                let m1 = old[p0 | 1] + pick(branch, outputs[2 * next + 1])
                if m1 > m0 {
                    new[next] = m1
                    word |= 1 << UInt64(next)
                } else {
                    new[next] = m0
                }
            }
            decisions[t] = word
            if t & 31 == 31 {  // keep the metrics small: subtract the best
                var best = new[0]
                for s in 1..<ConvolutionalCode.stateCount { best = max(best, new[s]) }
                for s in 0..<ConvolutionalCode.stateCount { new[s] -= best }
            }
            swap(&old, &new)
        }
    }

    @inline(__always)
    private static func pick(_ b: (Float, Float, Float, Float), _ i: UInt8) -> Float {
        switch i {
        case 0: return b.0
        case 1: return b.1
        case 2: return b.2
        default: return b.3
        }
    }

    /// Follows the decisions back from state 0 at the end of the block.
    private static func traceback(
        _ decisions: UnsafeMutableBufferPointer<UInt64>, into out: UnsafeMutableBufferPointer<UInt8>
    ) {
        var state = 0
        var t = decisions.count - 1
        while t >= 0 {
            if t < out.count { out[t] = UInt8(state >> 5) }
            let j = Int((decisions[t] >> UInt64(state)) & 1)
            state = (state & 31) << 1 | j
            t -= 1
        }
    }
}
