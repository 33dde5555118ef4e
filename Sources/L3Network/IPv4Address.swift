/// An IPv4 address: four bytes, printed as a dotted quad.
///
///     let a = try IPv4Address("192.168.1.10")
///     a.bytes          // [192, 168, 1, 10]
///     "\(a)"           // "192.168.1.10"
public struct IPv4Address: Hashable, Sendable, CustomStringConvertible {
    /// The address as a big-endian 32-bit value.
    public var value: UInt32

    /// An address from its 32-bit value, most significant byte first (`0x0A000001` is 10.0.0.1).
    public init(value: UInt32) { self.value = value }

    /// An address from its four bytes in dotted order: `IPv4Address(10, 0, 0, 1)`.
    public init(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) {
        value = UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8 | UInt32(d)
    }

    /// Four bytes in network order; throws `badAddress` for any other count.
    public init(bytes: [UInt8]) throws(NetworkError) {
        guard bytes.count == 4 else { throw .badAddress(bytes.map(String.init).joined(separator: ".")) }
        self.init(bytes[0], bytes[1], bytes[2], bytes[3])
    }

    /// Parses a dotted quad: exactly four decimal parts 0–255, no signs, spaces or leading zeros.
    public init(_ text: String) throws(NetworkError) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { throw .badAddress(text) }
        var v: UInt32 = 0
        for p in parts {
            guard (1...3).contains(p.count), p.allSatisfy({ $0.isASCII && $0.isNumber }),
                !(p.count > 1 && p.first == "0"),
                let n = UInt8(p)
            else { throw .badAddress(text) }
            v = v << 8 | UInt32(n)
        }
        value = v
    }

    /// The four bytes in network order.
    public var bytes: [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    public var description: String { bytes.map(String.init).joined(separator: ".") }

    /// 0.0.0.0, the unspecified address.
    public static let any = IPv4Address(value: 0)
    /// 255.255.255.255, the limited broadcast address.
    public static let broadcast = IPv4Address(value: 0xFFFF_FFFF)
}

/// The protocol carried in an IPv4 packet: an open set, so unknown numbers survive a round trip.
public struct IPProtocol: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The 8-bit protocol number (IANA).
    public var rawValue: UInt8
    /// A protocol from its number; unknown numbers are kept.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// ICMP (1).
    public static let icmp = IPProtocol(rawValue: 1)
    /// TCP (6).
    public static let tcp = IPProtocol(rawValue: 6)
    /// UDP (17).
    public static let udp = IPProtocol(rawValue: 17)

    /// The IANA keyword for the protocols this stack knows, otherwise the number.
    public var name: String {
        switch self {
        case .icmp: "ICMP"
        case .tcp: "TCP"
        case .udp: "UDP"
        default: "protocol \(rawValue)"
        }
    }

    public var description: String { name }
}
