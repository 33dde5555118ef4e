internal import CVectorKernels
import Checksums

/// One HDLC frame as it came off the bit stream.
public struct HDLCFrame: Sendable, Hashable {
    /// The bytes between the flags, FCS removed.
    public var bytes: [UInt8]
    /// How the frame passed its FCS.
    public var status: Status

    /// How the frame's FCS came to match.
    public enum Status: String, Sendable, Hashable {
        /// The FCS matched as received.
        case ok
        /// The FCS matched after inverting the least confident bit(s).
        case repaired
        /// The FCS matched after the FX.25 Reed–Solomon code corrected the block.
        case fx25
        /// The FCS matched after one received bit was taken from another slicer's copy of the
        /// frame, where the two copies (each failing its FCS) disagreed.
        case combined
    }
}

/// HDLC receiver for AX.25: NRZI (a 0 is a transition), flags 0x7E, bit destuffing,
/// FCS-16 (`CRC16.x25`, sent LSB first).
///
/// Feed it one demodulated bit at a time (the line level, before NRZI decoding) with its
/// confidence; it returns a frame when a closing flag ends a frame with a valid FCS.
/// Frames failing the FCS are counted in ``badFrames`` and never returned as good, unless
/// ``repairBits`` is on and inverting the least confident received bit gives a valid FCS.
public struct HDLCDecoder: Sendable {
    /// Smallest frame worth checking: two addresses, control, FCS.
    public static let minimumLength = 17
    /// Largest frame accepted (AX.25 allows 256 info bytes plus a full path).
    public static let maximumLength = 400

    /// Try single-bit repair of frames with a bad FCS.
    public var repairBits: Bool
    /// The line levels one received bit decides, as offsets from it: `[0]` where the levels are
    /// the received bits themselves; `[0, 12, 17]` behind a G3RUH descrambler, whose output
    /// takes each received bit three times. Repair inverts a least confident bit's levels.
    public var repairSpread: [Int] = [0]
    /// Frames that ended on a flag but failed the FCS.
    public private(set) var badFrames = 0
    /// Keep where each frame that ends on a flag and fails lay in the line bits (``rejects``),
    /// for a caller that holds the line bits and can combine several slicers' copies.
    public var reportsRejects = false
    /// With ``reportsRejects``: the frames that failed since the last ``takeRejects()``.
    public private(set) var rejects: [Reject] = []

    /// Where a frame that failed lay: line bits counted from the first one pushed.
    public struct Reject: Sendable, Hashable {
        /// The first line bit after the opening flag.
        public var start: Int
        /// The closing flag's last line bit (its closing zero).
        public var end: Int
        /// The line level the opening flag ended on.
        public var startLevel: Bool
    }

    private var lastLevel = false
    private var ones = 0
    private var inFrame = false
    /// Destuffed data bits since the opening flag, packed LSB first (bit `i` in byte `i / 8`).
    private var packed: [UInt8]
    private var count = 0  // bits in `packed`
    /// With ``repairBits``: the line bits since the opening flag as soft values (sign: level,
    /// magnitude: confidence), `lineCount` of them, in storage of `lineCapacity`.
    private var line: [Float] = []
    private var lineCount = 0
    /// Line bits of a frame that just failed its FCS, for ``repair(_:startLevel:)``; 0: none.
    private var pendingRepair = 0
    /// The level its opening flag ended on (the closing flag has since become the next opening).
    private var pendingStartLevel = false
    private var frameStartLevel = false  // line level at the end of the opening flag
    /// Line bits pushed before the current run of them.
    private var pushed = 0
    /// The first line bit of the frame being received (after its opening flag).
    private var frameStart = 0

    /// Longest run of data bits kept: a frame of `maximumLength` bytes, a flag, and the ones
    /// that may follow before the next zero is checked.
    private static let bitCapacity = maximumLength * 8 + 16
    /// Line bits kept for repair: the longest frame's data bits, one in five stuffed, flags.
    static let lineCapacity = bitCapacity * 6 / 5 + 64

    /// A receiver; with `repairBits` a frame with a bad FCS is retried with its least confident bits inverted.
    public init(repairBits: Bool = false) {
        self.repairBits = repairBits
        packed = [UInt8](repeating: 0, count: Self.bitCapacity / 8 + 1)
    }

    /// Pushes one line bit (`true` = mark) with its confidence; returns a frame when one ends.
    public mutating func push(_ level: Bool, confidence: Float = 1) -> HDLCFrame? {
        // The soft value keeps the level even where the confidence is 0.
        let magnitude = max(abs(confidence), .leastNonzeroMagnitude)
        let soft = level ? magnitude : -magnitude
        var result: HDLCFrame?
        withUnsafePointer(to: soft) { push(soft: UnsafeBufferPointer(start: $0, count: 1)) { f, _ in result = f } }
        return result
    }

    /// Pushes a run of line bits given as soft values (`> 0` = mark, magnitude = confidence);
    /// calls `found(frame, index)` for every frame, `index` being the bit that closed it.
    ///
    /// - Complexity: O(*n*), no allocation except for the frames found.
    public mutating func push(soft: UnsafeBufferPointer<Float>, _ found: (HDLCFrame, Int) -> Void) {
        var storage = packed
        packed = []
        if repairBits && line.count < Self.lineCapacity { line = [Float](repeating: 0, count: Self.lineCapacity) }
        var recorded = line
        line = []
        let keep = repairBits
        storage.withUnsafeMutableBufferPointer { buf in
            recorded.withUnsafeMutableBufferPointer { lp in
                guard let p = buf.baseAddress else { return }
                // Two calls, so that each is compiled for its case (the plain one checks nothing
                // for recording).
                if keep { run(soft, p, recording: lp, found) } else { run(soft, p, recording: nil, found) }
            }
        }
        packed = storage
        line = recorded
        pushed &+= soft.count
    }

    /// The first line bit (counted from the first pushed) of the frame being received, if one
    /// has opened: a frame that fails from here on starts there.
    public var frameInProgress: Int? { inFrame ? frameStart : nil }

    /// The rejects reported since the last call (``reportsRejects``), which it forgets.
    public mutating func takeRejects() -> [Reject] {
        guard !rejects.isEmpty else { return [] }
        defer { rejects = [] }
        return rejects
    }

    /// Line bits through NRZI, destuffing and flags, `p` the storage of `packed`; with
    /// `recording` (for repair) each line bit in a frame is kept there, up to the flag that
    /// closes it, and a frame that fails its FCS is repaired from them. The state is in locals
    /// while it runs: the byte being filled stays in a register until it is full, so no bit
    /// waits for the one before it to reach memory. Eight bits at a time go through one look-up
    /// in ``byteSteps`` (data, stuffing, aborts, and flags that close nothing long enough to be
    /// a frame: a flag preamble or the ones of an idle line), recording their soft values after
    /// it; the rest, one bit at a time.
    @inline(__always)
    private mutating func run(
        _ soft: UnsafeBufferPointer<Float>, _ p: UnsafeMutablePointer<UInt8>,
        recording line: UnsafeMutableBufferPointer<Float>?, _ found: (HDLCFrame, Int) -> Void
    ) {
        // Levels and bits as 0 or 1 in integers, so that nothing branches on a data bit.
        var last: UInt8 = lastLevel ? 1 : 0
        var ones = self.ones, count = self.count, inFrame = self.inFrame, kept = lineCount
        let limit = Self.maximumLength * 8 + 8
        // The bits of the byte `count` is in (those below count & 7), the rest 0.
        var partial: UInt8 = count & 7 == 0 ? 0 : p[count &>> 3] & ((1 &<< UInt8(count & 7)) &- 1)
        let steps = Self.byteSteps
        /// The state in locals back in the decoder, the byte being filled stored.
        func writeBack() {
            if count & 7 != 0 { p[count &>> 3] = partial }
            self.inFrame = inFrame
            self.count = count
            lastLevel = last == 1
            self.ones = ones
            lineCount = kept
        }
        var next = 0
        while next < soft.count {
            // Eight line bits at a time through `byteSteps` where no frame can end in them and
            // none can grow too long; otherwise one at a time.
            var end = min(soft.count, next &+ 8)
            if end &- next == 8 && count &+ 8 <= limit {
                let levels = cvk_levels8(soft.baseAddress! + next)
                // NRZI: a one wherever a level repeats the one before it.
                let repeats = ~(levels ^ (levels &<< 1 | last))
                let step = steps[ones &<< 8 | Int(repeats)]
                let flagged = step & 0x2_0000 != 0
                // A flag after enough bits for a frame is left to the bit loop (which finishes it).
                if step & 0x200_0000 == 0
                    && !(flagged && inFrame && count &+ Int(step &>> 18 & 0xF) >= 7 &+ 8 &* Self.minimumLength)
                {
                    let wasInFrame = inFrame
                    if flagged {  // a flag after too few bits for a frame: a new one opens, as flag(_:_:) opens it
                        inFrame = true
                        count = 0
                        partial = 0
                        kept = 0
                        frameStartLevel = (levels &>> UInt8(step &>> 22 & 0x7)) & 1 == 1
                        frameStart = pushed &+ next &+ Int(step &>> 22 & 0x7) &+ 1
                    }
                    if step & 0x1_0000 != 0 {  // an abort: what came before it is gone
                        inFrame = false
                        count = 0
                        partial = 0
                    }
                    let taken = Int(step &>> 12 & 0xF), shift = count & 7
                    let bits = UInt16(partial) | UInt16(step & 0xFF) &<< UInt16(shift)
                    if shift &+ taken >= 8 {
                        p[count &>> 3] = UInt8(truncatingIfNeeded: bits)
                        partial = UInt8(truncatingIfNeeded: bits &>> 8)
                    } else {
                        partial = UInt8(truncatingIfNeeded: bits)
                    }
                    count &+= taken
                    ones = Int(step &>> 8 & 0x7)
                    last = levels &>> 7
                    if let line {
                        // As the bit loop records: each bit while in a frame, a flag's opening
                        // starting over after its closing zero. (After an abort the bits kept
                        // no longer count: only a flag reopens a frame, and it starts over.)
                        let from = flagged ? Int(step &>> 22 & 0x7) &+ 1 : wasInFrame ? 0 : 8
                        for j in from..<8 where kept < line.count {
                            line[kept] = soft[next &+ j]
                            kept &+= 1
                        }
                    }
                    next = end
                    continue
                }
            }
            if end &- next < 8 || count &+ 8 > limit { end = next &+ 1 }
            let start = next
            next = end
            for i in start..<end {
                if let line, inFrame, kept < line.count {
                    line[kept] = soft[i]
                    kept &+= 1
                }
                let level: UInt8 = soft[i] > 0 ? 1 : 0
                let one = 1 &- (level ^ last)  // NRZI: no transition = 1
                let bit = one == 1
                last = level
                let run = ones
                ones = min(run &+ 1, 7) & (0 &- Int(one))  // 7: seven or more
                if _slowPath(run >= 5 &+ Int(one)) {
                    if bit {  // a seventh one: abort
                        inFrame = false
                        count = 0
                        partial = 0
                        continue
                    }
                    if run == 5 { continue }  // stuffed zero
                    if run == 6 {  // flag: with the state written back and the byte stored
                        writeBack()
                        if let f = flag(last == 1, p, at: pushed &+ i) { found(f, i) }
                        inFrame = self.inFrame
                        count = self.count
                        kept = lineCount
                        partial = 0
                        if _slowPath(pendingRepair > 0), let line {
                            // The frame's line bits are still there: the next bit overwrites them.
                            let bits = pendingRepair
                            pendingRepair = 0
                            let frame = UnsafeBufferPointer(rebasing: line[0..<bits])
                            if let repaired = repair(frame, startLevel: pendingStartLevel) {
                                found(HDLCFrame(bytes: repaired, status: .repaired), i)
                            }
                        }
                        continue
                    }
                }
                let shift = UInt8(truncatingIfNeeded: count & 7)
                partial |= one &<< shift
                if shift == 7 {
                    p[count &>> 3] = partial
                    partial = 0
                }
                count &+= 1
                if _slowPath(count > limit) && !bit {
                    inFrame = false
                    count = 0
                    partial = 0
                }
            }
        }
        writeBack()
    }

    /// What eight NRZI-decoded bits do to a stream that has just seen `run` ones (0…6, 7 for
    /// seven or more), at `run · 256 + bits` (bit k the k-th to arrive), as the bit-at-a-time
    /// loop takes them: bits 0–7 the data bits kept after the last flag or abort (the first in
    /// bit 0), 8–10 the run of ones after them (7: seven or more; the next look-up's row, so
    /// that it waits on nothing but this one), 12–15 how many bits were kept; bit 17 set
    /// where a flag (a zero after exactly six ones) closes, with bits 18–21 the data bits before
    /// it and 22–24 its place; bit 16 set where an abort (a one after six ones) drops what came
    /// before it (a flag's frame included); bit 25 set for an abort followed by a flag, left to
    /// the bit loop. A zero after five ones is stuffing (dropped), after seven or more data.
    static let byteSteps: [UInt32] = (0..<(8 * 256)).map { index in
        var run = index / 256, kept: UInt32 = 0, taken: UInt32 = 0, events: UInt32 = 0
        for k in 0..<8 {
            let one = (index >> k) & 1 == 1
            if one && run >= 6 {
                events |= 0x1_0000
                kept = 0
                taken = 0
                run = 7
                continue
            }
            if !one && run == 6 {
                if events != 0 { return 0x200_0000 }
                events = 0x2_0000 | taken << 18 | UInt32(k) << 22
                kept = 0
                taken = 0
                run = 0
                continue
            }
            if !one && run == 5 {
                run = 0
                continue
            }
            run = one ? run + 1 : 0
            if one { kept |= 1 << taken }
            taken += 1
        }
        return events | kept | UInt32(run) << 8 | taken << 12
    }

    /// A flag's closing zero: the frame before it, if any, is finished; a new one opens.
    /// `bit`: the flag's closing zero, counted from the first line bit pushed.
    private mutating func flag(_ level: Bool, _ p: UnsafeMutablePointer<UInt8>, at bit: Int) -> HDLCFrame? {
        var result: HDLCFrame?
        if inFrame && count >= 7 {
            count &-= 6  // the flag's leading 0 was taken as data, then six 1s
            result = finish(p)
            if result == nil && reportsRejects && bit &- frameStart &+ 1 >= 8 &* Self.minimumLength {
                rejects.append(Reject(start: frameStart, end: bit, startLevel: frameStartLevel))
            }
        }
        frameStart = bit &+ 1
        inFrame = true
        frameStartLevel = level
        count = 0
        lineCount = 0
        return result
    }

    private mutating func finish(_ p: UnsafeMutablePointer<UInt8>) -> HDLCFrame? {
        // The bits end with the closing flag's leading 0: drop it.
        let lastByte = (count &- 1) &>> 3, lastShift = UInt8(truncatingIfNeeded: (count &- 1) & 7)
        guard count > 0, (p[lastByte] &>> lastShift) & 1 == 0 else { return nil }
        count &-= 1
        guard count % 8 == 0 else { return nil }
        let n = count / 8
        guard n >= Self.minimumLength, n <= Self.maximumLength else { return nil }
        if let body = Self.withoutFCS(UnsafeBufferPointer(start: p, count: n)) {
            return HDLCFrame(bytes: body, status: .ok)
        }
        badFrames += 1
        // run(_:_:recording:_:) repairs it from the line bits kept (still there until the next bit).
        if repairBits && lineCount < Self.lineCapacity {
            pendingRepair = lineCount
            pendingStartLevel = frameStartLevel
        }
        return nil
    }

    /// Packs LSB-first bits into bytes and verifies the trailing FCS; returns the bytes without it.
    static func checked(_ bits: [Bool]) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: bits.count / 8)
        for (i, b) in bits.enumerated() where b { bytes[i >> 3] |= 1 << UInt8(i & 7) }
        return bytes.withUnsafeBufferPointer { withoutFCS($0) }
    }

    /// A frame's bytes without its trailing FCS (LSB first) when the FCS is right, otherwise
    /// `nil`. Checked in place: most candidates on a noisy line fail, and need no copy.
    static func withoutFCS(_ frame: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        let n = frame.count
        guard n >= 3 else { return nil }
        let body = UnsafeBufferPointer(rebasing: frame[0..<(n - 2)])
        let fcs = UInt16(frame[n - 2]) | UInt16(frame[n - 1]) << 8
        return CRC16.x25.checksum(body) == fcs ? Array(body) : nil
    }

    /// Inverts each of the least confident line bits in turn and re-decodes the frame.
    private func repair(_ soft: UnsafeBufferPointer<Float>, startLevel: Bool) -> [UInt8]? {
        guard soft.count > 16 else { return nil }
        let order = Self.leastConfident(soft, count: 12)
        // The line starts right after the opening flag's last bit (a 0 → transition);
        // the level before it is the flag's last level.
        var line = soft.map { $0 > 0 }
        for flip in order {
            for offset in repairSpread where flip + offset < line.count { line[flip + offset].toggle() }
            if let bytes = Self.decode(line: line, startLevel: startLevel) {
                return bytes
            }
            for offset in repairSpread where flip + offset < line.count { line[flip + offset].toggle() }
        }
        return nil
    }

    /// The indices of the `count` least confident (smallest magnitude) `soft` values, least
    /// first (ties by index, as a stable sort of all of them would give), in one pass.
    static func leastConfident(_ soft: UnsafeBufferPointer<Float>, count: Int) -> [Int] {
        var order: [Int] = []
        order.reserveCapacity(count + 1)
        for i in soft.indices {
            let level = abs(soft[i])
            if order.count == count, let last = order.last, !(level < abs(soft[last])) { continue }
            // After the kept ones not above it: equal magnitudes stay in index order.
            var at = order.count
            while at > 0 && level < abs(soft[order[at - 1]]) { at -= 1 }
            order.insert(i, at: at)
            if order.count > count { order.removeLast() }
        }
        return order
    }

    /// Decodes a line-level sequence (from after the opening flag up to and including the
    /// closing flag) into a checked frame.
    ///
    /// The combiner calls this once per try, so it is written for speed: each bit goes into
    /// a 64-bit word held in a register (stored whole, never read back), whatever it is (a 0
    /// over a 0), and is counted unless it is stuffing; only six 1s in a row (the closing flag,
    /// or an abort) take a branch that depends on the data.
    static func decode(line: [Bool], startLevel: Bool) -> [UInt8]? {
        // The data bits packed as they come (LSB first, in little-endian words: byte by byte too).
        var packed = [UInt64](repeating: 0, count: line.count / 64 + 1)
        return packed.withUnsafeMutableBufferPointer { p -> [UInt8]? in
            line.withUnsafeBufferPointer { levels -> [UInt8]? in
                var prev = startLevel
                var ones = 0, count = 0, i = 0
                var word: UInt64 = 0
                let n = levels.count
                while i < n {
                    let one = levels[i] == prev ? 1 : 0
                    prev = levels[i]
                    i += 1
                    word |= UInt64(truncatingIfNeeded: one) << UInt64(count & 63)
                    p[count >> 6] = word.littleEndian
                    // A 0 after five 1s is stuffing: not counted.
                    count += one | (ones != 5 ? 1 : 0)
                    // A new word begins empty (nothing is written at its first bit before that).
                    word &= count & 63 == 0 ? 0 : ~0
                    ones = (ones + 1) * one
                    guard ones == 6 else { continue }
                    // Six 1s: a 0 next closes the frame (its leading 0 and six 1s were taken
                    // as data); anything else is an abort.
                    guard i < n, levels[i] != prev, count >= 7 else { return nil }
                    count -= 7
                    let bytes = count / 8
                    guard count % 8 == 0, bytes >= minimumLength else { return nil }
                    return UnsafeRawBufferPointer(p).withMemoryRebound(to: UInt8.self) {
                        withoutFCS(UnsafeBufferPointer(rebasing: $0[0..<bytes]))
                    }
                }
                return nil
            }
        }
    }
}

/// HDLC transmitter: frames with FCS, bit stuffing, flags and NRZI line levels.
public enum HDLCEncoder {
    /// Line levels (`true` = mark) for `frames`, each preceded by `preambleFlags` flags
    /// and closed by `postambleFlags` flags.
    public static func lineBits(_ frames: [[UInt8]], preambleFlags: Int = 32, postambleFlags: Int = 4) -> [Bool] {
        var data: [Bool] = []
        for frame in frames {
            for _ in 0..<preambleFlags { data += flagBits }
            data += stuffedBits(frame)
            for _ in 0..<postambleFlags { data += flagBits }
        }
        var level = true
        return data.map { bit in
            if !bit { level.toggle() }
            return level
        }
    }

    /// A flag (0x7E), LSB first.
    static let flagBits: [Bool] = (0..<8).map { (0x7E >> $0) & 1 == 1 }

    /// `frame` and its FCS, LSB first, with a 0 stuffed after every five 1s (no flags, no NRZI).
    static func stuffedBits(_ frame: [UInt8]) -> [Bool] {
        var bits: [Bool] = []
        bits.reserveCapacity((frame.count + 2) * 9)
        let fcs = CRC16.x25.checksum(frame)
        var ones = 0
        for byte in frame + [UInt8(fcs & 0xFF), UInt8(fcs >> 8)] {
            for i in 0..<8 {
                let bit = (byte >> UInt8(i)) & 1 == 1
                bits.append(bit)
                ones = bit ? ones + 1 : 0
                if ones == 5 {
                    bits.append(false)
                    ones = 0
                }
            }
        }
        return bits
    }
}
