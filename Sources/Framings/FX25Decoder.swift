/// Streaming FX.25 receiver: line bits in, corrected AX.25 frames out.
///
/// ```
///  line level ──► NRZI ──► 64-bit shift register ──► tag within 8 bits? ──► collect the block
///                                                                            (data + parity)
///          frame ◄── FCS ◄── unstuff between flags ◄── Reed–Solomon decode ◄──┘
/// ```
///
/// Run it beside the plain ``HDLCDecoder`` on the same bits: a clean FX.25 transmission is also a
/// valid AX.25 frame, and only the FX.25 path repairs a damaged one. Blocks that do not decode are
/// counted in ``failedBlocks`` and dropped.
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

    /// A receiver hunting for a tag.
    public init() {}

    /// Pushes one line level (`true` = mark); returns a frame when a block completes and decodes.
    public mutating func push(_ level: Bool) -> FX25Frame? {
        let bit = level == lastLevel  // NRZI: no transition = 1
        lastLevel = level
        guard let current = tag else {
            shift = shift >> 1 | (bit ? 1 << 63 : 0)
            if let found = FX25.Tag.matching(shift) {
                tag = found
                block = [UInt8](repeating: 0, count: found.blockLength)
                count = 0
            }
            return nil
        }
        if bit { block[count >> 3] |= 1 << UInt8(count & 7) }
        count += 1
        guard count == current.blockLength * 8 else { return nil }
        tag = nil
        shift = 0
        guard let frame = FX25.frame(inBlock: block, tag: current) else {
            failedBlocks += 1
            return nil
        }
        return frame
    }

    /// Pushes line bits given as soft values (`> 0` = mark); calls `found(frame, index)` for
    /// every frame, `index` being the bit that completed its block.
    public mutating func push(soft: UnsafeBufferPointer<Float>, _ found: (FX25Frame, Int) -> Void) {
        for i in soft.indices { if let f = push(soft[i] > 0) { found(f, i) } }
    }
}
