import Checksums

/// ICMP message types (RFC 792): an open set.
public struct ICMPType: RawRepresentable, Hashable, Sendable {
    /// The type byte.
    public var rawValue: UInt8
    /// A type from its byte; unknown types are kept.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Echo Reply (0): the answer to a ping.
    public static let echoReply = ICMPType(rawValue: 0)
    /// Destination Unreachable (3); the code says why.
    public static let destinationUnreachable = ICMPType(rawValue: 3)
    /// Echo Request (8): a ping.
    public static let echoRequest = ICMPType(rawValue: 8)
    /// Time Exceeded (11): TTL reached zero in transit, or reassembly timed out.
    public static let timeExceeded = ICMPType(rawValue: 11)
}

/// Codes of Destination Unreachable (type 3).
public struct UnreachableCode: RawRepresentable, Hashable, Sendable {
    /// The code byte.
    public var rawValue: UInt8
    /// A code from its byte; unknown codes are kept.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Network unreachable (0): no route to the destination's network.
    public static let network = UnreachableCode(rawValue: 0)
    /// Host unreachable (1).
    public static let host = UnreachableCode(rawValue: 1)
    /// Protocol unreachable (2): the destination does not speak the carried protocol.
    public static let `protocol` = UnreachableCode(rawValue: 2)
    /// Port unreachable (3): nothing listens on the destination port.
    public static let port = UnreachableCode(rawValue: 3)
    /// Fragmentation needed and DF set; the message carries the next-hop MTU (RFC 1191).
    public static let fragmentationNeeded = UnreachableCode(rawValue: 4)
}

/// An ICMPv4 message: type, code, checksum, four type-specific bytes, then data.
///
///     0               1               2               3
///     |     Type      |     Code      |          Checksum             |
///     |   Identifier / unused / next-hop MTU  |  Sequence / unused    |
///     |     Data (echo payload, or original IP header + 8 bytes) ...
public enum ICMPv4Message: Hashable, Sendable {
    /// Echo Request (ping): identifier and sequence number to match the reply, and any data.
    case echoRequest(identifier: UInt16, sequence: UInt16, data: [UInt8])
    /// Echo Reply: the identifier, sequence number and data of the request it answers.
    case echoReply(identifier: UInt16, sequence: UInt16, data: [UInt8])
    /// Time Exceeded; code 0 = TTL exceeded in transit, 1 = fragment reassembly time exceeded.
    case timeExceeded(code: UInt8, original: [UInt8])
    /// Destination Unreachable with its code; `nextHopMTU` is set only for `fragmentationNeeded`, and
    /// `original` quotes the offending packet (see ``quote(_:)``).
    case destinationUnreachable(code: UnreachableCode, nextHopMTU: UInt16, original: [UInt8])
    /// Any other type, kept whole so it survives a round trip.
    case other(type: ICMPType, code: UInt8, restOfHeader: UInt32, data: [UInt8])

    /// Byte offsets of the fields.
    public enum Field {
        /// Offset of the type byte.
        public static let type = 0
        /// Offset of the code byte.
        public static let code = 1
        /// Offset of the 16-bit checksum.
        public static let checksum = 2
        /// Offset of the four type-specific bytes (identifier and sequence, or next-hop MTU).
        public static let restOfHeader = 4
        /// Offset of the data.
        public static let data = 8
    }

    /// Length in bytes of the fixed part: type, code, checksum and four type-specific bytes.
    public static let headerLength = 8

    /// The original packet's header plus its first 8 payload bytes, as error messages quote it.
    public static func quote(_ originalPacket: [UInt8]) -> [UInt8] {
        guard originalPacket.count >= IPv4Header.minimumLength else { return originalPacket }
        let ihl = Int(originalPacket[0] & 0x0F) * 4
        return Array(originalPacket.prefix(max(ihl, IPv4Header.minimumLength) + 8))
    }

    /// The message's type byte as an ``ICMPType``.
    public var type: ICMPType {
        switch self {
        case .echoRequest: .echoRequest
        case .echoReply: .echoReply
        case .timeExceeded: .timeExceeded
        case .destinationUnreachable: .destinationUnreachable
        case .other(let t, _, _, _): t
        }
    }

    /// The Echo Reply answering an Echo Request (same identifier, sequence and data), else `nil`.
    public var echoReply: ICMPv4Message? {
        guard case .echoRequest(let id, let seq, let data) = self else { return nil }
        return .echoReply(identifier: id, sequence: seq, data: data)
    }

    /// Parses a message and verifies its checksum (over the whole message).
    public static func parse(_ bytes: [UInt8], verifyChecksum: Bool = true) throws(NetworkError) -> ICMPv4Message {
        guard bytes.count >= headerLength else { throw .truncated(needed: headerLength, available: bytes.count) }
        let stored = readU16(bytes, Field.checksum)
        if verifyChecksum {
            var sum = InternetChecksum()
            sum.add(bytes[0..<Field.checksum])
            sum.add(bytes[Field.restOfHeader...])
            let expected = sum.value
            guard expected == stored else { throw .checksumMismatch(expected: expected, actual: stored) }
        }
        let type = ICMPType(rawValue: bytes[Field.type])
        let code = bytes[Field.code]
        let data = Array(bytes[Field.data...])
        let hi = readU16(bytes, Field.restOfHeader), lo = readU16(bytes, Field.restOfHeader + 2)
        switch type {
        case .echoRequest where code == 0: return .echoRequest(identifier: hi, sequence: lo, data: data)
        case .echoReply where code == 0: return .echoReply(identifier: hi, sequence: lo, data: data)
        case .timeExceeded: return .timeExceeded(code: code, original: data)
        case .destinationUnreachable:
            return .destinationUnreachable(code: UnreachableCode(rawValue: code), nextHopMTU: lo, original: data)
        default:
            return .other(type: type, code: code, restOfHeader: readU32(bytes, Field.restOfHeader), data: data)
        }
    }

    /// The message bytes with the checksum filled in.
    public func emit() -> [UInt8] {
        var b: [UInt8] = [type.rawValue, 0, 0, 0]
        let data: [UInt8]
        switch self {
        case .echoRequest(let id, let seq, let d), .echoReply(let id, let seq, let d):
            appendU16(&b, id); appendU16(&b, seq); data = d
        case .timeExceeded(let code, let original):
            b[Field.code] = code; appendU32(&b, 0); data = original
        case .destinationUnreachable(let code, let mtu, let original):
            b[Field.code] = code.rawValue; appendU16(&b, 0); appendU16(&b, mtu); data = original
        case .other(_, let code, let rest, let d):
            b[Field.code] = code; appendU32(&b, rest); data = d
        }
        b += data
        writeU16(&b, Field.checksum, InternetChecksum.checksum(b))
        return b
    }
}
