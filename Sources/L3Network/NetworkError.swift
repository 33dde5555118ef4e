/// Everything that can be wrong with bytes or requests at the network layer.
///
/// Each case names the value that was wrong, so a trace can say exactly why a packet was refused.
public enum NetworkError: Error, Equatable, Sendable {
    /// Fewer bytes than the structure needs.
    case truncated(needed: Int, available: Int)
    /// The IP version nibble is not 4.
    case badVersion(UInt8)
    /// The header length (IHL, in 32-bit words) is below 5.
    case badIHL(UInt8)
    /// The IHL claims more header bytes than the packet has.
    case headerLengthBeyondData(headerLength: Int, available: Int)
    /// Total length is smaller than the header itself.
    case totalLengthBelowHeader(totalLength: Int, headerLength: Int)
    /// Total length claims more bytes than were received.
    case totalLengthBeyondData(claimed: Int, available: Int)
    /// The header checksum does not match: `expected` is computed from the bytes, `actual` was in the field.
    case checksumMismatch(expected: UInt16, actual: UInt16)
    /// An IP option whose length byte is below 2 or runs past the header; `offset` is from the header start.
    case badOptionLength(offset: Int, length: UInt8)
    /// Options longer than the 40 bytes an IPv4 header can carry.
    case optionsTooLong(Int)
    /// A payload that does not fit a 65 535-byte IPv4 packet.
    case payloadTooLarge(Int)
    /// Text that is not a dotted-quad IPv4 address.
    case badAddress(String)
    /// Text that is not a CIDR prefix such as `10.0.0.0/8`.
    case badPrefix(String)
    /// A hardware address that is not 6 bytes long.
    case badHardwareAddress([UInt8])
    /// The packet is larger than the MTU but has Don't Fragment set.
    case needsFragmentation(size: Int, mtu: Int)
    /// An MTU too small to carry the header plus 8 bytes of data.
    case mtuTooSmall(mtu: Int, headerLength: Int)
    /// A fragment whose offset and length reach beyond the 65 535-byte limit (offset in bytes).
    case impossibleFragment(offset: Int, length: Int)
    /// A fragment with More Fragments set whose data length is not a multiple of 8.
    case fragmentLengthNotMultipleOf8(Int)
    /// Fragments of one packet disagree about where it ends.
    case inconsistentFragmentEnd(previous: Int, now: Int)
    /// A single packet being reassembled would exceed the reassembler's byte limit.
    case reassemblyTooLarge(bytes: Int, limit: Int)
    /// ARP for a hardware type other than Ethernet (1).
    case unsupportedHardwareType(UInt16)
    /// ARP for a protocol type other than IPv4 (0x0800).
    case unsupportedProtocolType(UInt16)
    /// ARP address lengths other than 6 (hardware) and 4 (protocol).
    case badAddressLengths(hardware: UInt8, protocol: UInt8)
}
