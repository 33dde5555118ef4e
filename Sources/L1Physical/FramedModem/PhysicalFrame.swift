/// The physical frame: what a receiver needs to find a frame in a long, noisy
/// recording and to know how long it is.
///
/// ```
///  preamble      sync word        header ×3            payload            CRC-32     tail
/// ┌──────────┬────────────────┬───────────────┬─────────────────────┬──────────┬────────┐
/// │ 24 sym   │ 32 sym         │ 3 × 32 bits   │ length × 8 bits     │ 32 bits  │ 8 sym  │
/// │ 0,M-1,0… │ 0x1ACFFC1D     │ len,flags,crc8│ (scrambled)         │ optional │ 0,M-1… │
/// └──────────┴────────────────┴───────────────┴─────────────────────┴──────────┴────────┘
///  symbol level (extreme tones) │  bits → line code → chips → Gray → symbols          │
/// ```
///
/// - Preamble: alternating extreme symbols, for level and timing acquisition.
/// - Sync word: the 32-bit CCSDS attached sync marker 0x1ACFFC1D, sent as extreme
///   symbols; its autocorrelation has low sidelobes, so the receiver locates the
///   frame to a fraction of a symbol.
/// - Header: payload length (16 bits), flags (8 bits), CRC-8/AUTOSAR over those three
///   bytes; sent three times and combined softly by the receiver (4.8 dB more robust than
///   the payload, so a frame is not lost for a damaged length).
/// - Payload: bytes LSB first, whitened by the PRBS-15 ``Scrambler`` unless the line
///   code clocks itself; the header is always whitened.
/// - CRC-32 of the payload (flag bit 0), so raw frames are checked even without layer 2.
/// - Tail: a few symbols so the last bits are not cut by the fade-out.
///
/// A frame with forward error correction (``FECScheme``) sends its sync word inverted; its
/// header then also names the scheme (``FrameCoding/headerBytes(length:flags:scheme:)``), is
/// convolutionally coded and sent three times (``FrameCoding/codedHeaderTotal`` bits), and its
/// payload and CRC-32 are coded as ``FrameCoding`` describes.
public enum PhysicalFrame {
    /// Alternating extreme symbols before the sync word.
    public static let preambleSymbols = 24
    /// The CCSDS attached sync marker, sent MSB first as extreme symbols.
    public static let syncWord: UInt32 = 0x1ACF_FC1D
    /// Symbols of the sync word (one per bit).
    public static let syncSymbols = 32
    /// Bits of one header copy: length (16), flags (8), CRC-8 (8).
    public static let headerBits = 32
    /// How many times the header is sent.
    public static let headerCopies = 3
    /// Symbols after the payload so the fade-out does not cut the last bits.
    public static let tailSymbols = 8
    /// The largest payload one frame carries.
    public static let maxPayload = 65535

    /// Sync word bits, MSB first (the order they are sent).
    public static let syncBits: [UInt8] = (0..<32).map { UInt8((syncWord >> UInt32(31 - $0)) & 1) }

    /// Header flags.
    public struct Flags: OptionSet, Sendable, Hashable, Codable {
        /// The flags byte.
        public let rawValue: UInt8
        /// Flags from the flags byte.
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        /// A CRC-32 of the payload follows it.
        public static let payloadCRC = Flags(rawValue: 1)
        /// The payload is whitened by the scrambler.
        public static let scrambled = Flags(rawValue: 2)
        /// The upper four bits: what the payload is (0 raw bytes; the stack assigns the rest).
        public var payloadType: UInt8 { rawValue >> 4 }
        /// The flags that say the payload is of type `t` (its low four bits).
        public static func payloadType(_ t: UInt8) -> Flags { Flags(rawValue: (t & 0x0F) << 4) }
    }

    /// The three header bytes plus their CRC-8.
    public static func headerBytes(length: Int, flags: Flags) -> [UInt8] {
        let b: [UInt8] = [UInt8(length & 0xFF), UInt8(length >> 8), flags.rawValue]
        let crc = UInt8(truncatingIfNeeded: CRCs.header.checksum(b))
        return b + [crc]
    }

    /// Reads a header, or nil when its CRC-8 fails.
    public static func parseHeader(_ bytes: [UInt8]) -> (length: Int, flags: Flags)? {
        guard bytes.count == 4,
            UInt8(truncatingIfNeeded: CRCs.header.checksum(bytes[0..<3])) == bytes[3]
        else { return nil }
        return (Int(bytes[0]) | Int(bytes[1]) << 8, Flags(rawValue: bytes[2]))
    }
}

/// Bytes ↔ bits, least significant bit first (as UART and Ethernet send them).
public enum BitOrder {
    /// Unpacks bytes into bits (0 or 1), least significant bit of each byte first.
    ///
    ///     BitOrder.bits(of: [0x03])   // [1, 1, 0, 0, 0, 0, 0, 0]
    ///
    /// - Complexity: O(*n*) for *n* bytes.
    public static func bits(of bytes: some Sequence<UInt8>) -> [UInt8] {
        var out = [UInt8]()
        for byte in bytes { for i in 0..<8 { out.append((byte >> UInt8(i)) & 1) } }
        return out
    }

    /// Packs bits (0 or 1; any nonzero value counts as 1), 8 per byte, least significant bit
    /// first: the inverse of ``bits(of:)``. A last partial byte is dropped.
    ///
    /// - Complexity: O(*n*) for *n* bits.
    public static func bytes(ofBits bits: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: bits.count / 8)
        for k in out.indices {
            for j in 0..<8 where bits[8 * k + j] != 0 { out[k] |= 1 << UInt8(j) }
        }
        return out
    }

    /// Packs hard decisions from soft bits (positive = 1), 8 per byte, LSB first.
    public static func bytes(fromSoft soft: ArraySlice<Float>) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: soft.count / 8)
        var i = soft.startIndex
        for k in out.indices {
            var b: UInt8 = 0
            for j in 0..<8 where soft[i + j] > 0 { b |= 1 << UInt8(j) }
            out[k] = b
            i += 8
        }
        return out
    }
}
