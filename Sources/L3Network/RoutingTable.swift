/// A CIDR prefix such as `10.1.0.0/16`; host bits are cleared on creation.
public struct IPv4Prefix: Hashable, Sendable, CustomStringConvertible {
    /// The network address, host bits cleared.
    public let network: IPv4Address
    /// The prefix length in bits, 0...32.
    public let length: Int

    /// - Throws: `badPrefix` when `length` is outside 0...32.
    public init(network: IPv4Address, length: Int) throws(NetworkError) {
        guard (0...32).contains(length) else { throw .badPrefix("\(network)/\(length)") }
        self.length = length
        self.network = IPv4Address(value: network.value & Self.mask(length))
    }

    /// Parses `a.b.c.d/n`.
    public init(_ text: String) throws(NetworkError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...2).contains(parts[1].count), parts[1].allSatisfy({ $0.isASCII && $0.isNumber }),
            let n = Int(parts[1]), let address = try? IPv4Address(String(parts[0]))
        else { throw .badPrefix(text) }
        try self.init(network: address, length: n)
    }

    static func mask(_ length: Int) -> UInt32 { length == 0 ? 0 : UInt32.max << (32 - length) }

    /// Whether `address` lies in this prefix.
    public func contains(_ address: IPv4Address) -> Bool {
        address.value & Self.mask(length) == network.value
    }

    public var description: String { "\(network)/\(length)" }
}

/// One routing-table entry: where packets for `prefix` go next.
public struct Route: Hashable, Sendable, CustomStringConvertible {
    /// The destinations this route covers.
    public var prefix: IPv4Prefix
    /// The gateway to hand packets to, or `nil` when the destination is on the attached link.
    public var nextHop: IPv4Address?
    /// Name of the interface (link) the packet leaves by, e.g. "audio0".
    public var interface: String
    /// Largest packet the interface carries; `nil` for no limit.
    public var mtu: Int?

    /// A route; `nextHop` nil means the destination is on the attached link, `mtu` nil means no limit.
    public init(prefix: IPv4Prefix, nextHop: IPv4Address? = nil, interface: String, mtu: Int? = nil) {
        self.prefix = prefix; self.nextHop = nextHop; self.interface = interface; self.mtu = mtu
    }

    public var description: String {
        "\(prefix) " + (nextHop.map { "via \($0) " } ?? "") + "dev \(interface)" + (mtu.map { " mtu \($0)" } ?? "")
    }
}

/// Routes by longest-prefix match.
///
///     var t = RoutingTable()
///     t.add(Route(prefix: try IPv4Prefix("0.0.0.0/0"), nextHop: gw, interface: "audio0"))
///     t.add(Route(prefix: try IPv4Prefix("10.0.0.0/8"), interface: "audio1"))
///     t.lookup(try IPv4Address("10.2.3.4"))?.interface   // "audio1"
public struct RoutingTable: Sendable, Equatable {
    /// The routes, longest prefix first, so the first that contains an address is the most specific.
    public private(set) var routes: [Route] = []

    /// A table holding `routes`, added one by one with ``add(_:)`` (a later route for the same prefix wins).
    public init(_ routes: [Route] = []) { for r in routes { add(r) } }

    /// Adds a route, replacing any route for the same prefix.
    public mutating func add(_ route: Route) {
        routes.removeAll { $0.prefix == route.prefix }
        routes.append(route)
        routes.sort { $0.prefix.length > $1.prefix.length }
    }

    /// Removes the route for exactly `prefix`, if any.
    public mutating func remove(_ prefix: IPv4Prefix) { routes.removeAll { $0.prefix == prefix } }

    /// The most specific route containing `destination`, if any.
    /// - Complexity: O(*n*) in the number of routes.
    public func lookup(_ destination: IPv4Address) -> Route? {
        routes.first { $0.prefix.contains(destination) }
    }
}

/// Static IPv4 → hardware address bindings (what ARP would learn), hardware addresses as 6 bytes.
public struct NeighbourTable: Sendable, Equatable {
    /// The bindings: IPv4 address to its 6-byte hardware address.
    public private(set) var entries: [IPv4Address: [UInt8]] = [:]

    /// An empty table.
    public init() {}

    /// - Throws: `badHardwareAddress` unless `hardware` is 6 bytes.
    public mutating func set(_ address: IPv4Address, hardware: [UInt8]) throws(NetworkError) {
        guard hardware.count == 6 else { throw .badHardwareAddress(hardware) }
        entries[address] = hardware
    }

    /// Forgets the binding of `address`, if any.
    public mutating func remove(_ address: IPv4Address) { entries[address] = nil }

    /// The 6-byte hardware address bound to `address`, or nil when none is known.
    public func lookup(_ address: IPv4Address) -> [UInt8]? { entries[address] }

    /// Learns the sender's binding from an ARP packet, as RFC 826 receivers do.
    public mutating func learn(from arp: ARPPacket) {
        entries[arp.senderAddress] = arp.senderHardware
    }
}
