import Checksums

/// ARP operations (RFC 826): an open set.
public struct ARPOperation: RawRepresentable, Hashable, Sendable {
    /// The 16-bit operation code.
    public var rawValue: UInt16
    /// An operation from its code; unknown codes are kept.
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// ARP request (1): who has `targetAddress`?
    public static let request = ARPOperation(rawValue: 1)
    /// ARP reply (2): `senderAddress` is at `senderHardware`.
    public static let reply = ARPOperation(rawValue: 2)
}

/// An ARP packet for Ethernet hardware and IPv4 (RFC 826): the 28 bytes after the link header.
///
/// Hardware addresses are plain 6-byte arrays, so this layer needs no link-layer types.
public struct ARPPacket: Hashable, Sendable {
    /// Byte offsets of the fields of an Ethernet/IPv4 ARP packet.
    public enum Field {
        /// Offset of the 16-bit hardware type (1 = Ethernet).
        public static let hardwareType = 0
        /// Offset of the 16-bit protocol type (0x0800 = IPv4).
        public static let protocolType = 2
        /// Offset of the hardware address length byte (6).
        public static let hardwareLength = 4
        /// Offset of the protocol address length byte (4).
        public static let protocolLength = 5
        /// Offset of the 16-bit operation.
        public static let operation = 6
        /// Offset of the sender's 6-byte hardware address.
        public static let senderHardware = 8
        /// Offset of the sender's 4-byte IPv4 address.
        public static let senderProtocol = 14
        /// Offset of the target's 6-byte hardware address.
        public static let targetHardware = 18
        /// Offset of the target's 4-byte IPv4 address.
        public static let targetProtocol = 24
    }

    /// Length in bytes of an Ethernet/IPv4 ARP packet.
    public static let length = 28
    /// The hardware type for Ethernet, the only one parsed.
    public static let ethernetHardwareType: UInt16 = 1
    /// The protocol type for IPv4 (its EtherType), the only one parsed.
    public static let ipv4ProtocolType: UInt16 = 0x0800

    /// Request or reply.
    public var operation: ARPOperation
    /// The sender's 6-byte hardware (MAC) address.
    public var senderHardware: [UInt8]
    /// The sender's IPv4 address.
    public var senderAddress: IPv4Address
    /// The target's 6-byte hardware address; all zeros in a request.
    public var targetHardware: [UInt8]
    /// The IPv4 address being asked about (request) or answered to (reply).
    public var targetAddress: IPv4Address

    /// - Throws: `badHardwareAddress` unless both hardware addresses are 6 bytes.
    public init(
        operation: ARPOperation, senderHardware: [UInt8], senderAddress: IPv4Address,
        targetHardware: [UInt8] = [0, 0, 0, 0, 0, 0], targetAddress: IPv4Address
    ) throws(NetworkError) {
        guard senderHardware.count == 6 else { throw .badHardwareAddress(senderHardware) }
        guard targetHardware.count == 6 else { throw .badHardwareAddress(targetHardware) }
        self.operation = operation
        self.senderHardware = senderHardware; self.senderAddress = senderAddress
        self.targetHardware = targetHardware; self.targetAddress = targetAddress
    }

    /// Parses the 28 bytes at the start of `bytes`; any further bytes (link padding) are ignored.
    /// - Throws: `truncated` below 28 bytes, `unsupportedHardwareType` unless Ethernet,
    ///   `unsupportedProtocolType` unless IPv4, `badAddressLengths` unless the lengths are 6 and 4.
    public static func parse(_ bytes: [UInt8]) throws(NetworkError) -> ARPPacket {
        guard bytes.count >= length else { throw .truncated(needed: length, available: bytes.count) }
        let htype = readU16(bytes, Field.hardwareType)
        guard htype == ethernetHardwareType else { throw .unsupportedHardwareType(htype) }
        let ptype = readU16(bytes, Field.protocolType)
        guard ptype == ipv4ProtocolType else { throw .unsupportedProtocolType(ptype) }
        let hlen = bytes[Field.hardwareLength], plen = bytes[Field.protocolLength]
        guard hlen == 6, plen == 4 else { throw .badAddressLengths(hardware: hlen, protocol: plen) }
        return try ARPPacket(
            operation: ARPOperation(rawValue: readU16(bytes, Field.operation)),
            senderHardware: Array(bytes[Field.senderHardware..<(Field.senderHardware + 6)]),
            senderAddress: IPv4Address(value: readU32(bytes, Field.senderProtocol)),
            targetHardware: Array(bytes[Field.targetHardware..<(Field.targetHardware + 6)]),
            targetAddress: IPv4Address(value: readU32(bytes, Field.targetProtocol)))
    }

    /// The packet's 28 bytes.
    public func emit() -> [UInt8] {
        var b: [UInt8] = []
        b.reserveCapacity(Self.length)
        appendU16(&b, Self.ethernetHardwareType)
        appendU16(&b, Self.ipv4ProtocolType)
        b += [6, 4]
        appendU16(&b, operation.rawValue)
        b += senderHardware; b += senderAddress.bytes
        b += targetHardware; b += targetAddress.bytes
        return b
    }

    /// The reply a host owning `targetAddress` with hardware address `hardware` sends to this request.
    public func reply(hardware: [UInt8]) throws(NetworkError) -> ARPPacket {
        try ARPPacket(
            operation: .reply, senderHardware: hardware, senderAddress: targetAddress,
            targetHardware: senderHardware, targetAddress: senderAddress)
    }
}
