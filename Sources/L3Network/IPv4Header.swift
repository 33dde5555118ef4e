import Checksums

/// The flag bits of an IPv4 header (the top three bits of the flags/fragment-offset word).
public struct IPv4Flags: OptionSet, Hashable, Sendable, CustomStringConvertible {
    /// The top three bits of the flags/fragment-offset word, as a 3-bit value.
    public var rawValue: UInt8
    /// Flags from their 3-bit value.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Reserved, must be zero ("evil bit").
    public static let reserved = IPv4Flags(rawValue: 0b100)
    /// Don't Fragment.
    public static let dontFragment = IPv4Flags(rawValue: 0b010)
    /// More Fragments follow this one.
    public static let moreFragments = IPv4Flags(rawValue: 0b001)

    public var description: String {
        var names: [String] = []
        if contains(.reserved) { names.append("RSV") }
        if contains(.dontFragment) { names.append("DF") }
        if contains(.moreFragments) { names.append("MF") }
        return names.isEmpty ? "none" : names.joined(separator: "|")
    }
}

/// An IPv4 header (RFC 791), parsed from and emitted to bytes.
///
///      0                   1                   2                   3
///      0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |Version|  IHL  |   DSCP    |ECN|          Total Length         |
///     |         Identification        |Flags|     Fragment Offset     |
///     |  Time to Live |    Protocol   |         Header Checksum       |
///     |                       Source Address                          |
///     |                    Destination Address                        |
///     |                    Options                    |    Padding    |
///
/// `parse` verifies the checksum; `emit` fills it in.
public struct IPv4Header: Hashable, Sendable {
    /// Byte offsets of the fields.
    public enum Field {
        /// Offset of the version (high nibble) and IHL (low nibble, header length in 32-bit words).
        public static let versionIHL = 0
        /// Offset of the DSCP (high 6 bits) and ECN (low 2 bits) byte.
        public static let dscpECN = 1
        /// Offset of the 16-bit total length.
        public static let totalLength = 2
        /// Offset of the 16-bit identification.
        public static let identification = 4
        /// Offset of the 16-bit flags (top 3 bits) and fragment offset (low 13 bits).
        public static let flagsFragment = 6
        /// Offset of the time-to-live byte.
        public static let ttl = 8
        /// Offset of the protocol byte.
        public static let `protocol` = 9
        /// Offset of the 16-bit header checksum.
        public static let checksum = 10
        /// Offset of the 4-byte source address.
        public static let source = 12
        /// Offset of the 4-byte destination address.
        public static let destination = 16
        /// Offset of the first option byte.
        public static let options = 20
    }

    /// Length of a header without options.
    public static let minimumLength = 20
    /// Most option bytes a header can hold (IHL 15 → 60 bytes).
    public static let maximumOptionsLength = 40

    /// Differentiated Services code point (6 bits).
    public var dscp: UInt8
    /// Explicit Congestion Notification (2 bits).
    public var ecn: UInt8
    /// Header plus payload, in bytes.
    public var totalLength: UInt16
    /// Identifies the fragments of one packet; the same for all of them.
    public var identification: UInt16
    /// Reserved, Don't Fragment and More Fragments.
    public var flags: IPv4Flags
    /// Fragment offset in 8-byte units.
    public var fragmentOffset: UInt16
    /// Time to live: hops left; a router drops the packet when it would reach 0.
    public var ttl: UInt8
    /// The protocol of the payload (ICMP, TCP, UDP, …).
    public var ipProtocol: IPProtocol
    /// The checksum as received (`parse`) or last emitted; `emit` always recomputes it.
    public var checksum: UInt16
    /// The sender's address.
    public var source: IPv4Address
    /// The final recipient's address.
    public var destination: IPv4Address
    /// Raw option bytes, including any padding; `emit` pads them to a multiple of 4 with zeros.
    public var options: [UInt8]

    /// A header from its fields; `emit` fills in the checksum (and IHL from the options).
    public init(
        dscp: UInt8 = 0, ecn: UInt8 = 0, totalLength: UInt16 = 20, identification: UInt16 = 0,
        flags: IPv4Flags = [], fragmentOffset: UInt16 = 0, ttl: UInt8 = 64,
        ipProtocol: IPProtocol, checksum: UInt16 = 0,
        source: IPv4Address, destination: IPv4Address, options: [UInt8] = []
    ) {
        self.dscp = dscp; self.ecn = ecn; self.totalLength = totalLength
        self.identification = identification; self.flags = flags; self.fragmentOffset = fragmentOffset
        self.ttl = ttl; self.ipProtocol = ipProtocol; self.checksum = checksum
        self.source = source; self.destination = destination; self.options = options
    }

    /// Header length in bytes as `emit` writes it (20 + options padded to 4).
    public var headerLength: Int { Self.minimumLength + (options.count + 3) / 4 * 4 }

    /// Fragment offset in bytes.
    public var fragmentByteOffset: Int { Int(fragmentOffset) * 8 }

    /// Whether this header belongs to a fragment (MF set or a non-zero offset).
    public var isFragment: Bool { flags.contains(.moreFragments) || fragmentOffset != 0 }

    /// Parses and checks a header at the start of `bytes` (a whole packet).
    ///
    /// Checks, in order: enough bytes for the fixed header, version 4, IHL ≥ 5, IHL within the
    /// data, total length ≥ header and ≤ available bytes, the option walk, and the checksum.
    /// - Parameters:
    ///   - bytes: A whole packet, header first.
    ///   - verifyChecksum: pass `false` to inspect a damaged header.
    public static func parse(_ bytes: [UInt8], verifyChecksum: Bool = true) throws(NetworkError) -> IPv4Header {
        guard bytes.count >= minimumLength else {
            throw .truncated(needed: minimumLength, available: bytes.count)
        }
        let version = bytes[Field.versionIHL] >> 4
        guard version == 4 else { throw .badVersion(version) }
        let ihl = bytes[Field.versionIHL] & 0x0F
        guard ihl >= 5 else { throw .badIHL(ihl) }
        let headerLength = Int(ihl) * 4
        guard headerLength <= bytes.count else {
            throw .headerLengthBeyondData(headerLength: headerLength, available: bytes.count)
        }
        let total = Int(readU16(bytes, Field.totalLength))
        guard total >= headerLength else {
            throw .totalLengthBelowHeader(totalLength: total, headerLength: headerLength)
        }
        guard total <= bytes.count else { throw .totalLengthBeyondData(claimed: total, available: bytes.count) }
        let options = Array(bytes[Field.options..<headerLength])
        try validateOptions(options)
        let stored = readU16(bytes, Field.checksum)
        if verifyChecksum {
            var sum = InternetChecksum()
            sum.add(bytes[0..<Field.checksum])
            sum.add(bytes[(Field.checksum + 2)..<headerLength])
            let expected = sum.value
            guard expected == stored else { throw .checksumMismatch(expected: expected, actual: stored) }
        }
        let flagsFragment = readU16(bytes, Field.flagsFragment)
        return IPv4Header(
            dscp: bytes[Field.dscpECN] >> 2, ecn: bytes[Field.dscpECN] & 0x03,
            totalLength: UInt16(total), identification: readU16(bytes, Field.identification),
            flags: IPv4Flags(rawValue: UInt8(flagsFragment >> 13)), fragmentOffset: flagsFragment & 0x1FFF,
            ttl: bytes[Field.ttl], ipProtocol: IPProtocol(rawValue: bytes[Field.protocol]), checksum: stored,
            source: IPv4Address(value: readU32(bytes, Field.source)),
            destination: IPv4Address(value: readU32(bytes, Field.destination)),
            options: options)
    }

    /// Walks the options once, bounded by their length: EOL ends the list, NOP is one byte, every
    /// other option needs a length byte ≥ 2 that stays inside the header.
    static func validateOptions(_ options: [UInt8]) throws(NetworkError) {
        var i = 0
        while i < options.count {
            switch options[i] {
            case 0: return
            case 1: i += 1
            default:
                guard i + 1 < options.count else { throw .badOptionLength(offset: Field.options + i, length: 0) }
                let len = options[i + 1]
                guard len >= 2, i + Int(len) <= options.count else {
                    throw .badOptionLength(offset: Field.options + i, length: len)
                }
                i += Int(len)
            }
        }
    }

    /// The header bytes with the checksum computed; `totalLength` is written as stored.
    public func emit() throws(NetworkError) -> [UInt8] {
        guard options.count <= Self.maximumOptionsLength else { throw .optionsTooLong(options.count) }
        try Self.validateOptions(options)
        var b: [UInt8] = []
        b.reserveCapacity(headerLength)
        b.append(0x40 | UInt8(headerLength / 4))
        b.append((dscp & 0x3F) << 2 | (ecn & 0x03))
        appendU16(&b, totalLength)
        appendU16(&b, identification)
        appendU16(&b, UInt16(flags.rawValue & 0x07) << 13 | (fragmentOffset & 0x1FFF))
        b.append(ttl)
        b.append(ipProtocol.rawValue)
        appendU16(&b, 0)
        b += source.bytes
        b += destination.bytes
        b += options
        while b.count < headerLength { b.append(0) }
        writeU16(&b, Field.checksum, InternetChecksum.checksum(b))
        return b
    }

    /// Option bytes that must be copied into every fragment (copy flag, bit 7 of the type, set).
    var copiedOptions: [UInt8] {
        var out: [UInt8] = []
        var i = 0
        while i < options.count {
            let type = options[i]
            if type == 0 { break }
            if type == 1 { i += 1; continue }
            guard i + 1 < options.count else { break }
            let len = max(2, Int(options[i + 1]))
            guard i + len <= options.count else { break }
            if type & 0x80 != 0 { out += options[i..<(i + len)] }
            i += len
        }
        return out
    }
}

extension IPv4Header: CustomStringConvertible {
    public var description: String {
        "IPv4 \(source) → \(destination) \(ipProtocol) len \(totalLength) id \(identification) "
            + "flags \(flags) off \(fragmentByteOffset) ttl \(ttl) cksum 0x"
            + String(checksum, radix: 16)
    }
}
