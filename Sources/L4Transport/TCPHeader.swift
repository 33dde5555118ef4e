import Checksums

/// The TCP header (RFC 9293 §3.1).
///
///      0                   1                   2                   3
///      0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///     |          Source Port          |       Destination Port        |
///     |                        Sequence Number                        |
///     |                    Acknowledgment Number                      |
///     |  Offset | Rsrvd |C|E|U|A|P|R|S|F|            Window           |
///     |           Checksum            |         Urgent Pointer        |
///     |                    Options                    |    Padding    |
///
/// `parse` reads the header alone; the checksum covers the payload too, so `TCPSegment` verifies it.
public struct TCPHeader: Hashable, Sendable {
    /// Byte offsets of the header's fields, as in the diagram above.
    public enum Field {
        /// Offset of the 16-bit source port.
        public static let sourcePort = 0
        /// Offset of the 16-bit destination port.
        public static let destinationPort = 2
        /// Offset of the 32-bit sequence number.
        public static let sequenceNumber = 4
        /// Offset of the 32-bit acknowledgment number.
        public static let acknowledgmentNumber = 8
        /// Offset of the byte whose high nibble is the data offset (header length in 32-bit words).
        public static let dataOffset = 12
        /// Offset of the flags byte (``TCPFlags``).
        public static let flags = 13
        /// Offset of the 16-bit receive window.
        public static let window = 14
        /// Offset of the 16-bit checksum.
        public static let checksum = 16
        /// Offset of the 16-bit urgent pointer.
        public static let urgentPointer = 18
        /// Offset of the first option byte.
        public static let options = 20
    }

    /// Length in bytes of a header without options.
    public static let minimumLength = 20
    /// The most option bytes a header can carry (data offset 15 × 4 − 20).
    public static let maximumOptionsLength = 40

    /// Port of the sending application.
    public var sourcePort: UInt16
    /// Port of the receiving application.
    public var destinationPort: UInt16
    /// Sequence number of the first byte of the segment (or of the SYN).
    public var sequenceNumber: SequenceNumber
    /// Next sequence number the sender expects from the peer; meaningful only with ``TCPFlags/ack``.
    public var acknowledgmentNumber: SequenceNumber
    /// Control bits (SYN, ACK, FIN, …).
    public var flags: TCPFlags
    /// Bytes the sender is willing to receive, unscaled.
    public var window: UInt16
    /// As received, or as last emitted; `TCPSegment.emit` recomputes it.
    public var checksum: UInt16
    /// Offset of urgent data from the sequence number; kept as read, not acted on.
    public var urgentPointer: UInt16
    /// Options in the order they appear; `emit` pads them to a multiple of 4 bytes.
    public var options: [TCPOption]

    /// A header from its fields; the data offset follows from the options when emitted.
    public init(
        sourcePort: UInt16, destinationPort: UInt16, sequenceNumber: SequenceNumber = 0,
        acknowledgmentNumber: SequenceNumber = 0, flags: TCPFlags = [], window: UInt16 = 65535,
        checksum: UInt16 = 0, urgentPointer: UInt16 = 0, options: [TCPOption] = []
    ) {
        self.sourcePort = sourcePort; self.destinationPort = destinationPort
        self.sequenceNumber = sequenceNumber; self.acknowledgmentNumber = acknowledgmentNumber
        self.flags = flags; self.window = window; self.checksum = checksum
        self.urgentPointer = urgentPointer; self.options = options
    }

    /// The options as bytes, padded with zeros to a multiple of 4.
    func optionBytes() -> [UInt8] {
        var b: [UInt8] = []
        for o in options { o.emit(into: &b) }
        while b.count % 4 != 0 { b.append(0) }
        return b
    }

    /// Header length in bytes as `emit` writes it.
    public var headerLength: Int { Self.minimumLength + optionBytes().count }

    /// The maximum segment size option, if present.
    public var maximumSegmentSize: UInt16? {
        for case .maximumSegmentSize(let m) in options { return m }
        return nil
    }

    /// SACK blocks carried, if any.
    public var sackBlocks: [SACKBlock] {
        var out: [SACKBlock] = []
        for case .sack(let blocks) in options { out += blocks }
        return out
    }

    /// Parses the header at the start of `bytes`.
    /// - Throws: `truncated`, `badDataOffset`, `dataOffsetBeyondData`, `badOptionLength`.
    public static func parse(_ bytes: [UInt8]) throws(TransportError) -> TCPHeader {
        guard bytes.count >= minimumLength else { throw .truncated(needed: minimumLength, available: bytes.count) }
        let offset = bytes[Field.dataOffset] >> 4
        guard offset >= 5 else { throw .badDataOffset(offset) }
        let headerLength = Int(offset) * 4
        guard headerLength <= bytes.count else {
            throw .dataOffsetBeyondData(headerLength: headerLength, available: bytes.count)
        }
        return TCPHeader(
            sourcePort: readU16(bytes, Field.sourcePort), destinationPort: readU16(bytes, Field.destinationPort),
            sequenceNumber: SequenceNumber(readU32(bytes, Field.sequenceNumber)),
            acknowledgmentNumber: SequenceNumber(readU32(bytes, Field.acknowledgmentNumber)),
            flags: TCPFlags(rawValue: bytes[Field.flags]), window: readU16(bytes, Field.window),
            checksum: readU16(bytes, Field.checksum), urgentPointer: readU16(bytes, Field.urgentPointer),
            options: try TCPOption.parseList(Array(bytes[Field.options..<headerLength])))
    }

    /// The header bytes, checksum as stored.
    /// - Throws: `optionsTooLong` when the options exceed 40 bytes.
    public func emit() throws(TransportError) -> [UInt8] {
        let opts = optionBytes()
        guard opts.count <= Self.maximumOptionsLength else { throw .optionsTooLong(opts.count) }
        var b: [UInt8] = []
        b.reserveCapacity(Self.minimumLength + opts.count)
        appendU16(&b, sourcePort); appendU16(&b, destinationPort)
        appendU32(&b, sequenceNumber.rawValue); appendU32(&b, acknowledgmentNumber.rawValue)
        b.append(UInt8((Self.minimumLength + opts.count) / 4) << 4)
        b.append(flags.rawValue)
        appendU16(&b, window); appendU16(&b, checksum); appendU16(&b, urgentPointer)
        return b + opts
    }
}

/// A TCP segment: header and payload, checksummed together with the pseudo-header.
public struct TCPSegment: Hashable, Sendable {
    /// The TCP header, options included.
    public var header: TCPHeader
    /// The data the segment carries (empty for a bare SYN, ACK or FIN).
    public var payload: [UInt8]

    /// A segment from a header and its payload.
    public init(header: TCPHeader, payload: [UInt8] = []) {
        self.header = header
        self.payload = payload
    }

    /// Sequence space the segment occupies: its payload, plus one each for SYN and FIN.
    public var sequenceLength: Int {
        payload.count + (header.flags.contains(.syn) ? 1 : 0) + (header.flags.contains(.fin) ? 1 : 0)
    }

    /// Parses a whole segment (everything in `bytes` is the segment, as the IP payload is). The
    /// checksum is verified when a pseudo-header is given.
    public static func parse(_ bytes: [UInt8], pseudoHeader: PseudoHeader?) throws(TransportError) -> TCPSegment {
        let header = try TCPHeader.parse(bytes)
        if let pseudoHeader {
            let expected = pseudoHeader.checksum(over: bytes, skipping: TCPHeader.Field.checksum)
            guard expected == header.checksum else {
                throw .checksumMismatch(expected: expected, actual: header.checksum)
            }
        }
        let start = Int(bytes[TCPHeader.Field.dataOffset] >> 4) * 4
        return TCPSegment(header: header, payload: Array(bytes[start...]))
    }

    /// The segment's bytes with the checksum computed over the pseudo-header, header and payload.
    public func emit(pseudoHeader: PseudoHeader) throws(TransportError) -> [UInt8] {
        var h = header
        h.checksum = 0
        var b = try h.emit() + payload
        writeU16(&b, TCPHeader.Field.checksum, pseudoHeader.checksum(over: b, skipping: TCPHeader.Field.checksum))
        return b
    }
}

extension TCPSegment: CustomStringConvertible {
    public var description: String {
        let h = header
        var s = "TCP \(h.sourcePort) → \(h.destinationPort) [\(h.flags)] seq \(h.sequenceNumber)"
        if h.flags.contains(.ack) { s += " ack \(h.acknowledgmentNumber)" }
        s += " win \(h.window) len \(payload.count)"
        if let mss = h.maximumSegmentSize { s += " mss \(mss)" }
        let sack = h.sackBlocks
        if !sack.isEmpty { s += " sack " + sack.map { "\($0.left)-\($0.right)" }.joined(separator: ",") }
        return s
    }
}
