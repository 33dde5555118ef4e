/// The 16-bit type field of an Ethernet II frame: which protocol the payload holds.
/// An open set: any value is representable, the known ones have names.
public struct EtherType: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    /// The 16-bit EtherType as on the wire.
    public var rawValue: UInt16
    /// An EtherType from its value; unknown values are kept.
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// Internet Protocol version 4.
    public static let ipv4 = EtherType(rawValue: 0x0800)
    /// Address Resolution Protocol.
    public static let arp = EtherType(rawValue: 0x0806)
    /// IEEE 802.1Q VLAN tag (recognised, not interpreted: the tag stays in the payload).
    public static let vlan = EtherType(rawValue: 0x8100)
    /// Internet Protocol version 6.
    public static let ipv6 = EtherType(rawValue: 0x86DD)
    /// IEEE 802 Local Experimental EtherType 1: SoundStack's default when no upper layer says otherwise.
    public static let localExperimental1 = EtherType(rawValue: 0x88B5)
    /// IEEE 802 Local Experimental EtherType 2.
    public static let localExperimental2 = EtherType(rawValue: 0x88B6)

    /// The short name of a known type, or `nil`.
    public var name: String? {
        switch self {
        case .ipv4: return "IPv4"
        case .arp: return "ARP"
        case .vlan: return "802.1Q"
        case .ipv6: return "IPv6"
        case .localExperimental1: return "Local Experimental 1"
        case .localExperimental2: return "Local Experimental 2"
        default: return nil
        }
    }

    /// `0x0800 (IPv4)`, or `0x1234` for an unknown type.
    public var description: String {
        let hex = String(rawValue, radix: 16)
        let padded = "0x" + String(repeating: "0", count: 4 - hex.count) + hex
        return name.map { "\(padded) (\($0))" } ?? padded
    }
}
