/// The forwarding step of a router: check TTL, pick a route, or answer with ICMP.
///
///     let router = Router(address: myIP, routes: table)
///     switch try router.forward(packet) {
///     case .forward(let ps, let route, let nextHop): for p in ps { send(p, on: route.interface, to: nextHop) }
///     case .reply(let icmp, _): send(icmp)      // Time Exceeded or Destination Unreachable
///     case .local(let p): deliverUp(p)
///     case .drop(let reason): trace(reason)
///     }
public struct Router: Sendable {
    /// What to do with a packet.
    public enum Decision: Hashable, Sendable {
        /// Send the packet (TTL decremented, checksum recomputed) out of `route.interface` towards
        /// `nextHop` (the gateway, or the destination itself on an attached link): one packet, or its
        /// fragments when it is larger than the route's MTU.
        case forward([IPv4Packet], route: Route, nextHop: IPv4Address)
        /// Send this ICMP error back to the packet's source instead.
        case reply(IPv4Packet, reason: DropReason)
        /// The packet is addressed to this router.
        case local(IPv4Packet)
        /// Discard silently.
        case drop(DropReason)
    }

    /// Why ``forward(_:)`` dropped a packet (and the ICMP error it sends back, if any).
    public enum DropReason: Hashable, Sendable {
        /// The TTL would reach 0 in transit; answered with Time Exceeded.
        case ttlExpired
        /// No route matches the destination; answered with Destination Unreachable (network).
        case noRoute(IPv4Address)
        /// Larger than the next link's MTU with Don't Fragment set (RFC 1191).
        case needsFragmentation(mtu: Int)
        /// No ICMP error is sent about an ICMP error (RFC 1122 §3.2.2).
        case errorAboutError
    }

    /// The router's own address: the source of the ICMP errors it sends.
    public var address: IPv4Address
    /// The routes consulted for every packet not addressed to the router itself.
    public var routes: RoutingTable
    /// TTL of the ICMP messages the router originates.
    public var icmpTTL: UInt8 = 64

    /// A router with its own address and routing table.
    public init(address: IPv4Address, routes: RoutingTable) {
        self.address = address
        self.routes = routes
    }

    /// Decides what happens to `packet`.
    /// - Throws: only if the quoted original cannot be emitted (options longer than 40 bytes).
    public func forward(_ packet: IPv4Packet) throws(NetworkError) -> Decision {
        if packet.header.destination == address { return .local(packet) }
        if packet.header.ttl <= 1 {
            return try icmpError(
                about: packet, reason: .ttlExpired,
                message: { .timeExceeded(code: 0, original: $0) })
        }
        guard let route = routes.lookup(packet.header.destination) else {
            let dst = packet.header.destination
            return try icmpError(
                about: packet, reason: .noRoute(dst),
                message: { .destinationUnreachable(code: .network, nextHopMTU: 0, original: $0) })
        }
        var out = packet
        out.header.ttl -= 1
        var pieces = [out]
        if let mtu = route.mtu, out.header.headerLength + out.payload.count > mtu {
            if out.header.flags.contains(.dontFragment) {
                return try icmpError(
                    about: packet, reason: .needsFragmentation(mtu: mtu),
                    message: {
                        .destinationUnreachable(
                            code: .fragmentationNeeded, nextHopMTU: UInt16(clamping: mtu), original: $0)
                    })
            }
            pieces = try out.fragments(mtu: mtu)
        }
        for i in pieces.indices {
            let bytes = try pieces[i].emit()
            pieces[i].header.totalLength = UInt16(bytes.count)
            pieces[i].header.checksum =
                UInt16(bytes[IPv4Header.Field.checksum]) << 8 | UInt16(bytes[IPv4Header.Field.checksum + 1])
        }
        return .forward(pieces, route: route, nextHop: route.nextHop ?? packet.header.destination)
    }

    private func icmpError(
        about packet: IPv4Packet, reason: DropReason,
        message: ([UInt8]) -> ICMPv4Message
    ) throws(NetworkError) -> Decision {
        if packet.header.ipProtocol == .icmp, let first = packet.payload.first,
            ![ICMPType.echoRequest.rawValue, ICMPType.echoReply.rawValue].contains(first)
        {
            return .drop(.errorAboutError)
        }
        let quoted = ICMPv4Message.quote(try packet.emit())
        let icmp = message(quoted).emit()
        let header = IPv4Header(
            identification: packet.header.identification, ttl: icmpTTL, ipProtocol: .icmp,
            source: address, destination: packet.header.source)
        var reply = IPv4Packet(header: header, payload: icmp)
        reply.header.totalLength = UInt16(reply.header.headerLength + icmp.count)
        return .reply(reply, reason: reason)
    }
}
