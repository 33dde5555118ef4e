import Checksums
import L1Physical

/// FX.25: a Reed–Solomon block around an unchanged AX.25 frame, as Dire Wolf and UZ7HO
/// Soundmodem send it (FX.25 draft 0.01, Stensat Group, 2006).
///
/// ```
///  ┌────────────┬──────────────────────────────────────────┬────────────────┐
///  │ tag 64 bit │ data: 7E ‖ stuffed frame+FCS ‖ 7E ‖ 7E…  │ parity 16/32/64│  all NRZI, LSB first
///  └────────────┴──────────────────────────────────────────┴────────────────┘
///                └──────── k bytes (the tag says k) ──────┘
/// ```
///
/// The data part is exactly what a plain AX.25 receiver expects — flag, bit-stuffed frame and FCS,
/// flag — padded with more flags, so a receiver without FX.25 still decodes the frame when it
/// arrives clean. The 64-bit correlation tag (sent least significant bit first) says which code
/// follows. The code is RS(255, 239), (255, 223) or (255, 191) over GF(2^8) with Dire Wolf's
/// settings (`ReedSolomon.fx25(parityCount:)` in L1Physical: field 0x11D, first root α¹); a shortened block
/// sends only its first k data bytes, the rest of the 255 − parity data bytes being zeros that
/// are not sent but are counted in the parity — note: zeros *after* the data, not before it.
public enum FX25 {
    /// Bits a received tag may differ from a known one and still match (Dire Wolf: 8; any two
    /// tags differ in 32).
    public static let tagTolerance = 8

    /// A correlation tag: the 64-bit word and the block it announces.
    public struct Tag: Sendable, Hashable, CustomStringConvertible {
        /// Tag number, 0x01 … 0x0B.
        public let number: Int
        /// The 64-bit word, sent least significant bit first.
        public let value: UInt64
        /// Bytes sent after the tag: data plus parity.
        public let blockLength: Int
        /// Data bytes sent (the frame with its flags and padding).
        public let dataLength: Int
        /// Check bytes: 16, 32 or 64.
        public var parityCount: Int { blockLength - dataLength }

        public var description: String {
            "FX.25 tag 0x\(String(number, radix: 16, uppercase: true)) RS(\(blockLength), \(dataLength))"
        }

        /// The eleven tags that name a code, from the FX.25 draft.
        public static let all: [Tag] = [
            Tag(number: 0x01, value: 0xB74D_B7DF_8A53_2F3E, blockLength: 255, dataLength: 239),
            Tag(number: 0x02, value: 0x26FF_60A6_00CC_8FDE, blockLength: 144, dataLength: 128),
            Tag(number: 0x03, value: 0xC7DC_0508_F3D9_B09E, blockLength: 80, dataLength: 64),
            Tag(number: 0x04, value: 0x8F05_6EB4_3696_60EE, blockLength: 48, dataLength: 32),
            Tag(number: 0x05, value: 0x6E26_0B1A_C583_5FAE, blockLength: 255, dataLength: 223),
            Tag(number: 0x06, value: 0xFF94_DC63_4F1C_FF4E, blockLength: 160, dataLength: 128),
            Tag(number: 0x07, value: 0x1EB7_B9CD_BC09_C00E, blockLength: 96, dataLength: 64),
            Tag(number: 0x08, value: 0xDBF8_69BD_2DBB_1776, blockLength: 64, dataLength: 32),
            Tag(number: 0x09, value: 0x3ADB_0C13_DEAE_2836, blockLength: 255, dataLength: 191),
            Tag(number: 0x0A, value: 0xAB69_DB6A_5431_88D6, blockLength: 192, dataLength: 128),
            Tag(number: 0x0B, value: 0x4A4A_BEC4_A724_B796, blockLength: 128, dataLength: 64)
        ]

        /// The 64-bit words of ``all``, in the same order (the receiver compares every bit against them).
        static let values: [UInt64] = all.map(\.value)

        /// The tag within ``FX25/tagTolerance`` bits of `word`, if any.
        public static func matching(_ word: UInt64) -> Tag? {
            for (i, v) in values.enumerated() where (v ^ word).nonzeroBitCount <= FX25.tagTolerance { return all[i] }
            return nil
        }

        /// The shortest tag with `parityCount` check bytes whose data part holds `dataBytes`.
        public static func smallest(parityCount: Int, holding dataBytes: Int) -> Tag? {
            all.filter { $0.parityCount == parityCount && $0.dataLength >= dataBytes }
                .min { $0.dataLength < $1.dataLength }
        }
    }

    /// The codec for a number of check bytes (16, 32 or 64).
    static func code(_ parityCount: Int) -> ReedSolomon? {
        try? ReedSolomon.fx25(parityCount: parityCount)
    }

    // MARK: - Sending

    /// The data bits (before NRZI) of one FX.25 transmission of `frame`: tag, data, parity.
    ///
    /// - Parameters:
    ///   - frame: the AX.25 frame without FCS.
    ///   - parityCount: 16, 32 or 64 check bytes; the shortest block that holds the frame is used.
    /// - Throws: ``ProtocolError/tooLongForFX25(bytes:limit:)`` when no block holds the frame, and
    ///   ``ProtocolError/invalidFormat(_:)`` for another parity count.
    public static func dataBits(frame: [UInt8], parityCount: Int) throws(ProtocolError) -> [Bool] {
        guard let rs = code(parityCount), [16, 32, 64].contains(parityCount) else {
            throw .invalidFormat("FX.25 has 16, 32 or 64 check bytes, not \(parityCount)")
        }
        let stuffed = stuffedBits(frame)
        let needed = (stuffed.count + 7) / 8
        guard let tag = Tag.smallest(parityCount: parityCount, holding: needed) else {
            throw .tooLongForFX25(bytes: needed, limit: 255 - parityCount)
        }
        var bits = stuffed
        var k = 0
        while bits.count < tag.dataLength * 8 {  // pad with flags, continuing the pattern
            bits.append((0x7E >> (k & 7)) & 1 == 1)
            k += 1
        }
        let data = pack(bits)
        let full = data + [UInt8](repeating: 0, count: rs.maximumDataLength - data.count)
        guard let parity = try? rs.parity(for: full) else {
            throw .tooLongForFX25(bytes: needed, limit: rs.maximumDataLength)
        }
        var out: [Bool] = (0..<64).map { (tag.value >> UInt64($0)) & 1 == 1 }
        out += bits
        for byte in parity { for i in 0..<8 { out.append((byte >> UInt8(i)) & 1 == 1) } }
        return out
    }

    /// Line levels (`true` = mark, NRZI as for AX.25) of `frames` sent as FX.25, each preceded by
    /// `preambleFlags` flags and followed by `postambleFlags`.
    ///
    /// - Throws: as ``dataBits(frame:parityCount:)``.
    public static func lineBits(
        _ frames: [[UInt8]], parityCount: Int, preambleFlags: Int = 32, postambleFlags: Int = 4
    ) throws(ProtocolError) -> [Bool] {
        var data: [Bool] = []
        let flag = (0..<8).map { (0x7E >> $0) & 1 == 1 }
        for frame in frames {
            for _ in 0..<preambleFlags { data += flag }
            data += try dataBits(frame: frame, parityCount: parityCount)
            for _ in 0..<postambleFlags { data += flag }
        }
        var level = true
        return data.map { bit in
            if !bit { level.toggle() }
            return level
        }
    }

    /// Flag, frame and FCS bit-stuffed (LSB first), closing flag.
    static func stuffedBits(_ frame: [UInt8]) -> [Bool] {
        HDLCEncoder.flagBits + HDLCEncoder.stuffedBits(frame) + HDLCEncoder.flagBits
    }

    /// Bits to bytes, LSB first; a partial last byte is zero-filled.
    static func pack(_ bits: [Bool]) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: (bits.count + 7) / 8)
        for (i, b) in bits.enumerated() where b { bytes[i >> 3] |= 1 << UInt8(i & 7) }
        return bytes
    }

    // MARK: - Receiving

    /// Corrects one received block (data then parity bytes, as sent after `tag`) and takes the
    /// AX.25 frame out of it.
    ///
    /// - Parameters:
    ///   - block: the bytes received after the tag.
    ///   - tag: the tag that announced them.
    ///   - erasures: indices in `block` of bytes known to be unreliable.
    /// - Returns: the frame without FCS and the number of bytes the code corrected, or `nil` when
    ///   the block is uncorrectable or holds no frame with a valid FCS.
    public static func frame(inBlock block: [UInt8], tag: Tag, erasures: [Int] = []) -> FX25Frame? {
        guard block.count == tag.blockLength, let rs = code(tag.parityCount) else { return nil }
        let data = block.prefix(tag.dataLength), parity = block.suffix(tag.parityCount)
        let zeros = rs.maximumDataLength - tag.dataLength
        let full = Array(data) + [UInt8](repeating: 0, count: zeros) + Array(parity)
        let erased = erasures.map { $0 < tag.dataLength ? $0 : $0 + zeros }
        guard let decoded = try? rs.decode(full, erasures: erased) else { return nil }
        // A correction in the zeros that were never sent means the block was beyond the code.
        let unsent = tag.dataLength..<(tag.dataLength + zeros)
        guard !decoded.corrected.contains(where: unsent.contains) else { return nil }
        guard let found = unstuff(Array(decoded.codeword.prefix(tag.dataLength))) else { return nil }
        return FX25Frame(
            bytes: found.bytes, tag: tag, correctedBytes: decoded.corrected.count,
            trailingBits: 8 * tag.blockLength - found.end)
    }

    /// The first flag-delimited, FCS-checked frame in the data part (bits LSB first), and the
    /// number of bits up to the end of its closing flag.
    static func unstuff(_ data: [UInt8]) -> (bytes: [UInt8], end: Int)? {
        var ones = 0, started = false
        var bits: [Bool] = []
        for i in 0..<(data.count * 8) {
            let bit = (data[i >> 3] >> UInt8(i & 7)) & 1 == 1
            if bit {
                ones += 1
                if ones > 6 { return nil }
                if started { bits.append(true) }
                continue
            }
            defer { ones = 0 }
            if ones == 6 {  // a flag: its leading 0 and six 1s were taken as data
                if started && bits.count > 7 {
                    bits.removeLast(7)
                    guard bits.count % 8 == 0, bits.count / 8 >= HDLCDecoder.minimumLength,
                        let bytes = HDLCDecoder.checked(bits)
                    else { return nil }
                    return (bytes, i + 1)
                }
                started = true
                bits.removeAll(keepingCapacity: true)
                continue
            }
            if ones == 5 { continue }  // stuffed zero
            if started { bits.append(false) }
        }
        return nil
    }
}

/// A frame recovered from an FX.25 block.
public struct FX25Frame: Sendable, Hashable {
    /// The AX.25 frame, FCS removed.
    public var bytes: [UInt8]
    /// The tag that announced the block.
    public var tag: FX25.Tag
    /// Bytes of the block the Reed–Solomon code corrected.
    public var correctedBytes: Int
    /// Bits of the block after the frame's closing flag (padding flags and parity): how long after
    /// a plain AX.25 receiver would have found the frame the block ended.
    public var trailingBits: Int
}
