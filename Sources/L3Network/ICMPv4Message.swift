import Checksums

/// ICMP message types (RFC 792): an open set.
public struct ICMPType: RawRepresentable, Hashable, Sendable {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let echoReply = ICMPType(rawValue: 0)
    public static let destinationUnreachable = ICMPType(rawValue: 3)
    public static let echoRequest = ICMPType(rawValue: 8)
    public static let timeExceeded = ICMPType(rawValue: 11)
}

/// Codes of Destination Unreachable (type 3).
public struct UnreachableCode: RawRepresentable, Hashable, Sendable {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let network = UnreachableCode(rawValue: 0)
    public static let host = UnreachableCode(rawValue: 1)
    public static let `protocol` = UnreachableCode(rawValue: 2)
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
    case echoRequest(identifier: UInt16, sequence: UInt16, data: [UInt8])
    case echoReply(identifier: UInt16, sequence: UInt16, data: [UInt8])
    /// Time Exceeded; code 0 = TTL exceeded in transit, 1 = fragment reassembly time exceeded.
    case timeExceeded(code: UInt8, original: [UInt8])
    case destinationUnreachable(code: UnreachableCode, nextHopMTU: UInt16, original: [UInt8])
    /// Any other type, kept whole so it survives a round trip.
    case other(type: ICMPType, code: UInt8, restOfHeader: UInt32, data: [UInt8])

    public enum Field {
        public static let type = 0
        public static let code = 1
        public static let checksum = 2
        public static let restOfHeader = 4
        public static let data = 8
    }

    public static let headerLength = 8

    /// The original packet's header plus its first 8 payload bytes, as error messages quote it.
    public static func quote(_ originalPacket: [UInt8]) -> [UInt8] {
        guard originalPacket.count >= IPv4Header.minimumLength else { return originalPacket }
        let ihl = Int(originalPacket[0] & 0x0F) * 4
        return Array(originalPacket.prefix(max(ihl, IPv4Header.minimumLength) + 8))
    }

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
