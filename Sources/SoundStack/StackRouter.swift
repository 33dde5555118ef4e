import L1Physical
import L2DataLink
import L3Network

// A router between acoustic networks: what one interface heard goes up to layer 3, and down
// again on the interface its route names, in that interface's mode.
//
//    net A (fsk1200)                     router                       net B (mfsk4)
//    frame → 02:00:0a:00:01:01 ─► L2 accept ─► L3 TTL−1, checksum ─► L2 new MACs ─► tones
//                                   │ route: longest prefix            │
//                                   └─ TTL 0 / no route: ICMP error back out of A

/// One interface of a router: its address on the attached network, its MAC, and the mode its link speaks.
public struct RouterInterface: Sendable, Hashable {
    /// The interface's name, e.g. "audio0".
    public var name: String
    /// The router's own address on this interface.
    public var address: IPv4Address
    /// The attached network (a connected route).
    public var network: IPv4Prefix
    /// The router's MAC address on this interface.
    public var mac: MACAddress
    /// The modem mode the interface's audio link speaks.
    public var mode: Mode

    /// An interface with its address on an attached network.
    ///
    ///     let a = try RouterInterface(name: "a", address: IPv4Address("10.0.1.1"), prefixLength: 24,
    ///                                 mode: Mode.named("fsk1200") ?? mode)
    ///
    /// - Parameters:
    ///   - name: The interface's name, e.g. "a" or "audio0".
    ///   - address: The router's own address on the attached network.
    ///   - prefixLength: The attached network's prefix length in bits, 0...32.
    ///   - mode: The modem mode the interface's audio link speaks.
    ///   - mac: nil for the stack's default for `address`.
    /// - Throws: `NetworkError.badPrefix` when `prefixLength` is outside 0...32.
    public init(name: String, address: IPv4Address, prefixLength: Int, mode: Mode, mac: MACAddress? = nil)
        throws(NetworkError)
    {
        self.name = name
        self.address = address
        network = try IPv4Prefix(network: address, length: prefixLength)
        self.mac = mac ?? StackEndpoints.defaultMAC(for: address)
        self.mode = mode
    }
}

/// What the router did with one frame it heard: the crossing a learner reads in `router --trace`.
public struct RouterCrossing: Sendable, Codable, Hashable {
    /// What the router did with the packet.
    public enum Action: String, Sendable, Codable {
        /// Sent on towards its destination (TTL decremented).
        case forwarded
        /// TTL ran out: ICMP Time Exceeded sent back to the source.
        case timeExceeded = "time-exceeded"
        /// No route: ICMP Destination Unreachable sent back.
        case unreachable
        /// An echo request for the router itself: echo reply sent.
        case echoReply = "echo-reply"
        /// For the router itself, nothing to answer.
        case local
        /// Discarded (reason in `note`).
        case dropped
        /// The frame or packet failed a check: reported, not forwarded.
        case refused
        /// A good frame for another station on the link.
        case notForMe = "not-for-me"
    }

    /// The crossing's number, in the order frames were heard.
    public var index: Int
    /// The interface the frame was heard on.
    public var inInterface: String
    /// The modem mode of that interface.
    public var inMode: String
    /// Layer 1–2 verdict on the frame (`ok`, `fcs-mismatch`, …).
    public var frameStatus: String
    /// Source MAC of the frame as heard (nil when it could not be read).
    public var inSourceMAC: String?
    /// Destination MAC of the frame as heard (nil when it could not be read).
    public var inDestinationMAC: String?
    /// What the router did.
    public var action: Action
    /// The IPv4 header as heard.
    public var packet: String?
    /// TTL as heard (nil when no IPv4 header was read).
    public var ttlIn: Int?
    /// TTL as sent on (nil when not forwarded).
    public var ttlOut: Int?
    /// Header checksum as heard, in hex.
    public var checksumIn: String?
    /// Header checksum as sent on, in hex (recomputed after the TTL changed).
    public var checksumOut: String?
    /// The route chosen, as text (nil when none).
    public var route: String?
    /// The next hop chosen (nil when on the attached link or not forwarded).
    public var nextHop: String?
    /// The interface the packet left by (nil when not sent on).
    public var outInterface: String?
    /// The modem mode of that interface.
    public var outMode: String?
    /// Source MAC of the frames sent on.
    public var outSourceMAC: String?
    /// Destination MAC of the frames sent on.
    public var outDestinationMAC: String?
    /// Frames sent for this one (fragments, or the ICMP message).
    public var outFrames: Int
    /// Seconds of audio those frames took.
    public var outSeconds: Double?
    /// Why, in words.
    public var note: String

    /// Whether this counts as refused for the exit status.
    public var isRefusal: Bool { action == .refused }

    /// Four lines: in, L3, route, out.
    public var rendered: String {
        var lines: [String] = []
        let ind = String(repeating: " ", count: 10)
        lines.append(
            "packet \(index)".padding(toLength: 10, withPad: " ", startingAt: 0)
                + "in  \(inInterface) (\(inMode)) frame \(frameStatus)"
                + (inSourceMAC.map { "  \($0) → \(inDestinationMAC ?? "?")" } ?? ""))
        if let p = packet {
            var l3 = ind + "L3  \(p)"
            if let a = ttlIn, let b = ttlOut { l3 += "  TTL \(a)→\(b)" }
            if let a = checksumIn, let b = checksumOut { l3 += "  checksum \(a)→\(b)" }
            lines.append(l3)
        }
        if let r = route { lines.append(ind + "route \(r)" + (nextHop.map { ", next hop \($0)" } ?? "")) }
        if let o = outInterface {
            lines.append(
                ind + "out \(o) (\(outMode ?? "?")) \(outSourceMAC ?? "?") → \(outDestinationMAC ?? "?")  "
                    + "\(outFrames) frame\(outFrames == 1 ? "" : "s")"
                    + (outSeconds.map { String(format: ", %.2f s of audio", $0) } ?? ""))
        }
        lines.append(ind + "\(action.rawValue): \(note)")
        return lines.joined(separator: "\n")
    }
}

/// Frames to send on one interface, and which crossing each belongs to.
public struct RouterOutput: Sendable {
    /// The interface to send on.
    public var interface: String
    /// The Ethernet frames (with FCS) to send, in order.
    public var frames: [[UInt8]] = []
    /// For each frame, the index into ``StackRouter/Pass/crossings``.
    public var crossing: [Int] = []
}

/// A station with several interfaces that forwards IPv4 between them.
///
///     let router = try StackRouter(interfaces: [a, b], routes: [Route(prefix: p, nextHop: gw, interface: "b")])
///     var pass = StackRouter.Pass()
///     router.handle(linkReports, on: "a", into: &pass)     // what interface a heard
///     for out in pass.outputs { … transmit(out.frames) in that interface's mode … }
public struct StackRouter: Sendable {
    /// The router's interfaces.
    public var interfaces: [RouterInterface]
    /// Connected networks (from the interfaces) and static routes.
    public var routes: RoutingTable
    /// Static neighbour table; addresses not in it get the stack's default MAC.
    public var neighbours: [IPv4Address: MACAddress]
    /// TTL of the ICMP messages the router originates.
    public var icmpTTL: UInt8 = 64

    /// Everything one or more recordings made the router do.
    public struct Pass: Sendable {
        /// What happened to each frame heard, in order.
        public var crossings: [RouterCrossing] = []
        /// Frames to send, grouped by interface.
        public var outputs: [RouterOutput] = []
        /// An empty pass.
        public init() {}

        /// How many crossings were refusals (frames or packets that failed a check).
        public var refused: Int { crossings.filter(\.isRefusal).count }

        mutating func send(_ frame: [UInt8], on interface: String, crossing: Int) {
            if let i = outputs.firstIndex(where: { $0.interface == interface }) {
                outputs[i].frames.append(frame)
                outputs[i].crossing.append(crossing)
            } else {
                outputs.append(RouterOutput(interface: interface, frames: [frame], crossing: [crossing]))
            }
        }
    }

    /// - Throws: `configuration` for duplicate interface names or a static route through an unknown interface.
    public init(
        interfaces: [RouterInterface], routes staticRoutes: [Route] = [],
        neighbours: [IPv4Address: MACAddress] = [:]
    ) throws(StackError) {
        guard !interfaces.isEmpty else { throw .configuration("a router needs at least one interface") }
        guard Set(interfaces.map(\.name)).count == interfaces.count else {
            throw .configuration("interface names must differ: \(interfaces.map(\.name).joined(separator: ", "))")
        }
        var table = RoutingTable()
        for i in interfaces { table.add(Route(prefix: i.network, interface: i.name)) }
        for r in staticRoutes {
            guard interfaces.contains(where: { $0.name == r.interface }) else {
                throw .configuration("route \(r): no interface named '\(r.interface)'")
            }
            table.add(r)
        }
        self.interfaces = interfaces
        routes = table
        self.neighbours = neighbours
    }

    /// The interface called `name`, or nil when there is none.
    public func interface(named name: String) -> RouterInterface? { interfaces.first { $0.name == name } }

    /// The hardware address of a neighbour: the static entry, else the stack's default for the address.
    public func neighbourMAC(_ ip: IPv4Address) -> MACAddress { neighbours[ip] ?? StackEndpoints.defaultMAC(for: ip) }

    /// The station interface `name` is on layer 2: its own MAC (and broadcast).
    public func station(for name: String) -> EthernetReceiver? {
        interface(named: name).map { EthernetReceiver(address: $0.mac) }
    }

    /// Handles every frame one interface heard (layer 1–2 reports, from a `LinkReceiver` whose
    /// station is ``station(for:)``).
    public func handle(_ reports: [LinkFrameReport], on name: String, into pass: inout Pass) {
        guard let iface = interface(named: name) else { return }
        for report in reports {
            var c = RouterCrossing(
                index: pass.crossings.count + 1, inInterface: name, inMode: report.phy.mode.name,
                frameStatus: report.status.tag, inSourceMAC: report.ethernet?.source?.description,
                inDestinationMAC: report.ethernet?.destination?.description, action: .refused,
                outFrames: 0, note: "")
            let index = pass.crossings.count
            pass.crossings.append(c)
            let outcome = cross(report, iface: iface, crossing: &c)
            for (out, frame) in outcome { pass.send(frame, on: out, crossing: index) }
            pass.crossings[index] = c
        }
    }

    /// One frame: layers 2 and 3, the decision, and the frames it makes.
    func cross(_ report: LinkFrameReport, iface: RouterInterface, crossing c: inout RouterCrossing) -> [(
        String, [UInt8]
    )] {
        if report.status.isNotForMe {
            c.action = .notForMe
            c.note = "frame for another station on \(iface.name); ignored"
            return []
        }
        guard report.isOK, let frame = report.ethernet?.delivered else {
            c.action = .refused
            c.note = "L1/L2: \(report.detail); not forwarded"
            return []
        }
        guard frame.etherType == .ipv4 else {
            c.action = .dropped
            c.note = "EtherType \(frame.etherType) is not IPv4"
            return []
        }
        let packet: IPv4Packet
        do { packet = try IPv4Packet.parse(frame.payload) } catch {
            c.action = .refused
            c.note = "L3 IPv4 header refused: \(error); not forwarded"
            return []
        }
        c.packet =
            "\(packet.header.source) → \(packet.header.destination) \(packet.header.ipProtocol) id \(packet.header.identification) len \(packet.header.totalLength)"
        c.ttlIn = Int(packet.header.ttl)
        c.checksumIn = hexWord(packet.header.checksum)
        if let own = interfaces.first(where: { $0.address == packet.header.destination }) {
            return local(packet, own: own, crossing: &c)
        }
        if packet.header.destination == .broadcast || packet.header.destination == iface.network.broadcastAddress {
            c.action = .dropped
            c.note = "broadcast: not forwarded"
            return []
        }
        let decision: Router.Decision
        do {
            var router = Router(address: iface.address, routes: routes)
            router.icmpTTL = icmpTTL
            decision = try router.forward(packet)
        } catch {
            c.action = .refused
            c.note = "L3: \(error)"
            return []
        }
        switch decision {
        case let .forward(pieces, route, nextHop):
            guard let out = interface(named: route.interface) else { return [] }
            c.action = .forwarded
            c.ttlOut = pieces.first.map { Int($0.header.ttl) }
            c.checksumOut = pieces.first.map { hexWord($0.header.checksum) }
            c.route = describe(route)
            c.nextHop = "\(nextHop)"
            c.note =
                pieces.count > 1
                ? "sent on in \(pieces.count) fragments" : "sent on towards \(packet.header.destination)"
            return frames(pieces, out: out, to: nextHop, crossing: &c)
        case let .reply(icmp, reason):
            switch reason {
            case .ttlExpired:
                c.action = .timeExceeded
                c.note =
                    "TTL \(packet.header.ttl) would reach 0: ICMP Time Exceeded (type 11, code 0) to \(packet.header.source), quoting the header + 8 bytes"
            case .noRoute(let dst):
                c.action = .unreachable
                c.note =
                    "no route to \(dst): ICMP Destination Unreachable (type 3, code 0, net unreachable) to \(packet.header.source)"
            case .needsFragmentation(let mtu):
                c.action = .unreachable
                c.note =
                    "larger than MTU \(mtu) with DF set: ICMP Destination Unreachable (code 4) to \(packet.header.source)"
            case .errorAboutError:
                c.action = .dropped
                c.note = "no ICMP error about an ICMP error"
            }
            return sendBack(icmp, crossing: &c)
        case .local(let p):
            return local(p, own: iface, crossing: &c)
        case .drop(let reason):
            c.action = .dropped
            c.note = "\(reason)"
            return []
        }
    }

    /// A packet for one of the router's own addresses: echo requests are answered.
    func local(_ packet: IPv4Packet, own: RouterInterface, crossing c: inout RouterCrossing) -> [(String, [UInt8])] {
        guard packet.header.ipProtocol == .icmp, !packet.header.isFragment,
            let message = try? ICMPv4Message.parse(packet.payload), let reply = message.echoReply
        else {
            c.action = .local
            c.note = "for the router itself (\(own.address)); nothing to answer"
            return []
        }
        let payload = reply.emit()
        let header = IPv4Header(
            identification: packet.header.identification, ttl: icmpTTL, ipProtocol: .icmp,
            source: own.address, destination: packet.header.source)
        c.action = .echoReply
        c.note = "echo request for \(own.address): echo reply to \(packet.header.source)"
        return sendBack(IPv4Packet(header: header, payload: payload), crossing: &c)
    }

    /// Routes a packet the router made (ICMP) towards its destination.
    func sendBack(_ packet: IPv4Packet, crossing c: inout RouterCrossing) -> [(String, [UInt8])] {
        guard let route = routes.lookup(packet.header.destination), let out = interface(named: route.interface) else {
            c.note += "; but no route back to \(packet.header.destination): dropped"
            return []
        }
        let nextHop = route.nextHop ?? packet.header.destination
        c.route = describe(route) + " (ICMP back to \(packet.header.destination))"
        c.nextHop = "\(nextHop)"
        return frames([packet], out: out, to: nextHop, crossing: &c)
    }

    func frames(
        _ packets: [IPv4Packet], out: RouterInterface, to nextHop: IPv4Address,
        crossing c: inout RouterCrossing
    ) -> [(String, [UInt8])] {
        let dst = neighbourMAC(nextHop)
        c.outInterface = out.name
        c.outMode = out.mode.name
        c.outSourceMAC = out.mac.description
        c.outDestinationMAC = dst.description
        var result: [(String, [UInt8])] = []
        for p in packets {
            do {
                let bytes = try EthernetFrame(
                    destination: dst, source: out.mac, etherType: .ipv4, payload: try p.emit()
                ).emit()
                result.append((out.name, bytes))
            } catch {
                c.action = .dropped
                c.note = "cannot frame the packet for \(out.name): \(error)"
                return []
            }
        }
        c.outFrames = result.count
        return result
    }

    func describe(_ r: Route) -> String {
        let connected = r.nextHop == nil && interfaces.contains { $0.network == r.prefix && $0.name == r.interface }
        return "\(r)" + (connected ? " (connected)" : " (static)")
    }

    /// The frames for one interface as audio in its mode; fills in each crossing's airtime.
    /// - Returns: what was sent.
    public func transmit(
        _ output: RouterOutput, gapSeconds: Double = 0.05, pass: inout Pass,
        to sink: (UnsafeBufferPointer<Float>) throws -> Void
    ) throws -> TransmitSummary {
        guard let iface = interface(named: output.interface) else {
            throw StackError.configuration("no interface named '\(output.interface)'")
        }
        let tx = try PhysicalTransmitter(PhysicalConfig(mode: iface.mode, gapSeconds: gapSeconds, payloadCRC: false))
        var seconds: [Double] = []
        let rate = Double(tx.config.sampleRate)
        let summary = try tx.transmit(output.frames, payloadType: PhysicalPayloadType.ethernet.rawValue) { chunk in
            if chunk.contains(where: { $0 != 0 }) { seconds.append(Double(chunk.count) / rate) }
            try sink(chunk)
        }
        for (i, s) in zip(output.crossing, seconds) where pass.crossings.indices.contains(i) {
            pass.crossings[i].outSeconds = (pass.crossings[i].outSeconds ?? 0) + s
        }
        return summary
    }
}

extension IPv4Prefix {
    /// The directed broadcast address of the network (all host bits set).
    public var broadcastAddress: IPv4Address {
        IPv4Address(value: network.value | ~(length == 0 ? 0 : UInt32.max << (32 - length)))
    }
}

func hexWord(_ v: UInt16) -> String { "0x" + String(format: "%04x", v) }
