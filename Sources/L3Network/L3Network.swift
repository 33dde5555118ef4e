/// The network layer (OSI layer 3): IPv4 as RFC 791 describes it.
///
///     bytes from L2 ──► IPv4Packet.parse ──► IPv4Reassembler.accept ──► payload to L4
///                         (checks version, IHL, lengths, options, checksum)
///     payload from L4 ──► IPv4Packet(header:payload:) ──► fragments(mtu:) ──► emit ──► bytes to L2
///
/// Beside the packet itself: `ICMPv4Message` (echo, Time Exceeded, Destination Unreachable),
/// `ARPPacket` (the 28 bytes of an Ethernet/IPv4 ARP message), `RoutingTable` (longest-prefix
/// match), `NeighbourTable` (IPv4 → 6-byte hardware address) and `Router.forward` (TTL, route or
/// ICMP error). Hardware addresses are plain `[UInt8]`: this layer knows nothing of the link below,
/// nor of the transport above. Every failure is a `NetworkError` naming the bad value.
public enum L3NetworkModule {
    /// The module's name, "L3Network".
    public static let name = "L3Network"
}
