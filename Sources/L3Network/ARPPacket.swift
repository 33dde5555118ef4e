import Checksums
/// ARP operations (RFC 826): an open set.
public struct ARPOperation: RawRepresentable, Hashable, Sendable {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let request = ARPOperation(rawValue: 1)
    public static let reply = ARPOperation(rawValue: 2)
}

/// An ARP packet for Ethernet hardware and IPv4 (RFC 826): the 28 bytes after the link header.
///
/// Hardware addresses are plain 6-byte arrays, so this layer needs no link-layer types.
public struct ARPPacket: Hashable, Sendable {
    public enum Field {
        public static let hardwareType = 0
        public static let protocolType = 2
        public static let hardwareLength = 4
        public static let protocolLength = 5
        public static let operation = 6
        public static let senderHardware = 8
        public static let senderProtocol = 14
        public static let targetHardware = 18
        public static let targetProtocol = 24
    }

    public static let length = 28
    public static let ethernetHardwareType: UInt16 = 1
    public static let ipv4ProtocolType: UInt16 = 0x0800

    public var operation: ARPOperation
    public var senderHardware: [UInt8]
    public var senderAddress: IPv4Address
    public var targetHardware: [UInt8]
    public var targetAddress: IPv4Address

    /// - Throws: `badHardwareAddress` unless both hardware addresses are 6 bytes.
    public init(operation: ARPOperation, senderHardware: [UInt8], senderAddress: IPv4Address,
                targetHardware: [UInt8] = [0, 0, 0, 0, 0, 0], targetAddress: IPv4Address) throws(NetworkError) {
        guard senderHardware.count == 6 else { throw .badHardwareAddress(senderHardware) }
        guard targetHardware.count == 6 else { throw .badHardwareAddress(targetHardware) }
        self.operation = operation
        self.senderHardware = senderHardware; self.senderAddress = senderAddress
        self.targetHardware = targetHardware; self.targetAddress = targetAddress
    }

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
        try ARPPacket(operation: .reply, senderHardware: hardware, senderAddress: targetAddress,
                      targetHardware: senderHardware, targetAddress: senderAddress)
    }
}
