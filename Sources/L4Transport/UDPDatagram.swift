import Checksums

/// The UDP header (RFC 768): four 16-bit fields.
///
///     0      7 8     15 16    23 24    31
///     |  Source Port    | Destination Port |
///     |     Length      |     Checksum     |
public struct UDPHeader: Hashable, Sendable {
    /// Byte offsets of the header's fields.
    public enum Field {
        /// Offset of the 16-bit source port.
        public static let sourcePort = 0
        /// Offset of the 16-bit destination port.
        public static let destinationPort = 2
        /// Offset of the 16-bit length (header plus payload).
        public static let length = 4
        /// Offset of the 16-bit checksum.
        public static let checksum = 6
    }

    /// Length of the UDP header in bytes.
    public static let length = 8

    /// Port of the sending application (0 if unused).
    public var sourcePort: UInt16
    /// Port of the receiving application.
    public var destinationPort: UInt16
    /// Header plus payload in bytes.
    public var length: UInt16
    /// 0 means the sender computed none.
    public var checksum: UInt16

    /// A header from its fields; `UDPDatagram.emit` fills in length and checksum.
    public init(sourcePort: UInt16, destinationPort: UInt16, length: UInt16 = 8, checksum: UInt16 = 0) {
        self.sourcePort = sourcePort; self.destinationPort = destinationPort
        self.length = length; self.checksum = checksum
    }

    /// Parses the header and checks the length field against the bytes (not the checksum: that
    /// needs the pseudo-header, see `UDPDatagram.parse`).
    public static func parse(_ bytes: [UInt8]) throws(TransportError) -> UDPHeader {
        guard bytes.count >= length else { throw .truncated(needed: length, available: bytes.count) }
        let len = readU16(bytes, Field.length)
        guard len >= 8 else { throw .udpLengthBelowHeader(len) }
        guard Int(len) <= bytes.count else { throw .udpLengthBeyondData(claimed: Int(len), available: bytes.count) }
        return UDPHeader(
            sourcePort: readU16(bytes, Field.sourcePort), destinationPort: readU16(bytes, Field.destinationPort),
            length: len, checksum: readU16(bytes, Field.checksum))
    }

    /// The eight header bytes, fields as stored.
    public func emit() -> [UInt8] {
        var b: [UInt8] = []
        b.reserveCapacity(Self.length)
        appendU16(&b, sourcePort); appendU16(&b, destinationPort)
        appendU16(&b, length); appendU16(&b, checksum)
        return b
    }
}

/// A UDP datagram: header and payload, emitted with length and checksum filled in.
///
///     let ph = try PseudoHeader(source: src, destination: dst, protocolNumber: PseudoHeader.udp)
///     let bytes = try UDPDatagram(sourcePort: 53000, destinationPort: 53, payload: query).emit(pseudoHeader: ph)
///     let back = try UDPDatagram.parse(bytes, pseudoHeader: ph)
public struct UDPDatagram: Hashable, Sendable {
    /// The UDP header.
    public var header: UDPHeader
    /// The datagram's data.
    public var payload: [UInt8]

    /// A datagram from a header and payload.
    public init(header: UDPHeader, payload: [UInt8]) {
        self.header = header
        self.payload = payload
    }

    /// A datagram with a fresh header; `emit` sets the length and checksum.
    public init(sourcePort: UInt16, destinationPort: UInt16, payload: [UInt8]) {
        self.init(header: UDPHeader(sourcePort: sourcePort, destinationPort: destinationPort), payload: payload)
    }

    /// Parses a datagram; bytes beyond the length field are ignored. The checksum is verified when a
    /// pseudo-header is given and the field is not 0 ("no checksum").
    public static func parse(_ bytes: [UInt8], pseudoHeader: PseudoHeader?) throws(TransportError) -> UDPDatagram {
        let header = try UDPHeader.parse(bytes)
        let datagram = Array(bytes[0..<Int(header.length)])
        if let pseudoHeader, header.checksum != 0 {
            var expected = pseudoHeader.checksum(over: datagram, skipping: UDPHeader.Field.checksum)
            if expected == 0 { expected = 0xFFFF }
            guard expected == header.checksum else {
                throw .checksumMismatch(expected: expected, actual: header.checksum)
            }
        }
        return UDPDatagram(header: header, payload: Array(datagram[UDPHeader.length...]))
    }

    /// The datagram's bytes. With a pseudo-header the checksum is computed (a computed 0 is sent as
    /// 0xFFFF); without one it is 0, meaning none.
    public func emit(pseudoHeader: PseudoHeader?) throws(TransportError) -> [UInt8] {
        let total = UDPHeader.length + payload.count
        guard total <= Int(UInt16.max) else { throw .datagramTooLarge(total) }
        var h = header
        h.length = UInt16(total)
        h.checksum = 0
        var b = h.emit() + payload
        if let pseudoHeader {
            var c = pseudoHeader.checksum(over: b, skipping: UDPHeader.Field.checksum)
            if c == 0 { c = 0xFFFF }
            writeU16(&b, UDPHeader.Field.checksum, c)
        }
        return b
    }
}
