internal import CVectorKernels

/// Streaming FX.25 receiver: line bits in, corrected AX.25 frames out.
///
/// ```
///  line level ──► NRZI ──► 64-bit shift register ──► tag within 8 bits? ──► collect the block
///                                                                            (data + parity)
///          frame ◄── FCS ◄── unstuff between flags ◄── Reed–Solomon decode ◄──┘
/// ```
///
/// Run it beside the plain ``HDLCDecoder`` on the same bits: a clean FX.25 transmission is also a
/// valid AX.25 frame, and only the FX.25 path repairs a damaged one. With soft input, a block that
/// fails is retried with its least confident bytes as erasures (a quarter, a half, then three
/// quarters of the parity count, so a quarter of the parity is left to detect a wrong guess),
/// which corrects up to 1.5 times as many bad bytes; the FCS still has to match. Blocks that do not decode are counted in ``failedBlocks`` and dropped.
///
/// - Complexity: O(1) per bit while hunting (eleven 64-bit compares), O(*n* · parity) once per block.
public struct FX25Decoder: Sendable {
    /// Blocks announced by a tag that could not be corrected or held no valid frame.
    public private(set) var failedBlocks = 0
    private var lastLevel = false
    private var shift: UInt64 = 0
    private var tag: FX25.Tag?
    private var block: [UInt8] = []
    private var count = 0
    /// Lowest confidence of a bit in each byte of `block`.
    private var confidence: [Float] = []
    private var lastConfidence: Float = .infinity

    /// A receiver hunting for a tag.
    public init() {}

    /// Pushes one line level (`true` = mark) with its confidence (any positive scale); returns a
    /// frame when a block completes and decodes.
    public mutating func push(_ level: Bool, confidence levelConfidence: Float = .infinity) -> FX25Frame? {
        let bit = level == lastLevel  // NRZI: no transition = 1
        lastLevel = level
        let bitConfidence = min(levelConfidence, lastConfidence)  // a data bit is two line levels
        lastConfidence = levelConfidence
        guard let current = tag else {
            shift = shift >> 1 | (bit ? 1 << 63 : 0)
            if let found = FX25.Tag.matching(shift) { begin(found) }
            return nil
        }
        if bit { block[count >> 3] |= 1 << UInt8(count & 7) }
        confidence[count >> 3] = min(confidence[count >> 3], bitConfidence)
        count += 1
        guard count == current.blockLength * 8 else { return nil }
        tag = nil
        shift = 0
        if let frame = FX25.frame(inBlock: block, tag: current) { return frame }
        if confidence.contains(where: { $0 < .infinity }) {
            let order = confidence.indices.sorted { confidence[$0] < confidence[$1] }
            for quarter in 1...3 {
                let erased = Array(order.prefix(current.parityCount * quarter / 4))
                if let frame = FX25.frame(inBlock: block, tag: current, erasures: erased) { return frame }
            }
        }
        failedBlocks += 1
        return nil
    }

    /// Pushes line bits given as soft values (`> 0` = mark); calls `found(frame, index)` for
    /// every frame, `index` being the bit that completed its block.
    ///
    /// - Complexity: O(*n*); while hunting, each bit costs a shift and eleven 64-bit compares
    ///   (two vectors of eight with AVX-512 VPOPCNTDQ; with AVX2 each tag against four bits at
    ///   once; else one by one with the CPU's popcount instruction).
    public mutating func push(soft: UnsafeBufferPointer<Float>, _ found: (FX25Frame, Int) -> Void) {
        guard let base = soft.baseAddress else { return }
        var i = 0
        let n = soft.count
        while i < n {
            if tag == nil {  // hunting: NRZI and the tag compare in one C loop (vector compares)
                var last: Int32 = lastLevel ? 1 : 0, word = shift, hit: Int32 = 0
                let consumed = FX25.Tag.values.withUnsafeBufferPointer { values in
                    cvk_tag_hunt(
                        base + i, n - i, &last, &word, values.baseAddress, values.count,
                        Int32(FX25.tagTolerance), &hit)
                }
                i += consumed
                lastLevel = last != 0
                shift = word
                lastConfidence = i > 0 ? abs(soft[i - 1]) : lastConfidence
                if hit != 0, let t = FX25.Tag.matching(word) { begin(t) }
                continue
            }
            if let f = push(soft[i] > 0, confidence: abs(soft[i])) { found(f, i) }
            i += 1
        }
    }

    /// Starts collecting the block that `found` announces.
    private mutating func begin(_ found: FX25.Tag) {
        tag = found
        block = [UInt8](repeating: 0, count: found.blockLength)
        confidence = [Float](repeating: .infinity, count: found.blockLength)
        count = 0
    }
}
