import Foundation
import L2DataLink
import L3Network
import L4Transport
import L5Session
import L6Presentation
import L7Application

/// One direction of one TCP connection, as the receiver knows it.
public struct StackConnectionKey: Hashable, Sendable, CustomStringConvertible {
    /// The sender's IPv4 address.
    public var sourceIP: IPv4Address
    /// The receiver's IPv4 address.
    public var destinationIP: IPv4Address
    /// The sender's port.
    public var sourcePort: UInt16
    /// The receiver's port.
    public var destinationPort: UInt16
    public var description: String { "\(sourceIP):\(sourcePort) → \(destinationIP):\(destinationPort)" }

    /// A key from both addresses and ports.
    public init(sourceIP: IPv4Address, destinationIP: IPv4Address, sourcePort: UInt16, destinationPort: UInt16) {
        self.sourceIP = sourceIP
        self.destinationIP = destinationIP
        self.sourcePort = sourcePort
        self.destinationPort = destinationPort
    }
}

/// What came up the stack for one connection: the message, or the layer that stopped it.
public struct StackResult: Sendable {
    /// Which connection this is.
    public var key: StackConnectionKey
    /// The addresses and ports as heard, sender first.
    public var endpoints: StackEndpoints
    /// The HTTP message, exactly as sent, when every layer accepted it.
    public var message: [UInt8]?
    /// The layer that stopped the message and why (nil when it was delivered).
    public var error: StackError?
    /// Bottom to top.
    public var trace: StackTrace
    /// The TCP stream as far as it arrived in order.
    public var stream: [UInt8]
    /// The sender's initial sequence number from its SYN (nil when no SYN arrived).
    public var peerInitialSequenceNumber: SequenceNumber?
    /// The MSS the SYN announced.
    public var mss: Int?
    /// What the data segments acknowledged.
    public var acknowledgmentNumber: SequenceNumber
    /// The gaps in the TCP stream.
    public var missing: [TCPReassembler.MissingRange]
    /// The ACK (with SACK blocks) this receiver would send back.
    public var acknowledgment: TCPSegment?
    /// The SYN-ACK and pure ACKs that came this way (when this direction is a receiver's replies).
    public var acknowledgments: [TCPSegment] = []
    /// Stream offsets held beyond a gap (what SACK blocks describe), all of them.
    public var receivedOutOfOrder: [Range<Int>] = []

    /// Whether this direction carried only acknowledgments (no data, no FIN): a receiver's replies.
    public var isAcknowledgmentOnly: Bool {
        stream.isEmpty && message == nil && error == nil && !acknowledgments.isEmpty
    }
}

/// Takes Ethernet frames carrying IPv4 up layers 3…7.
///
///     var rx = StackReceiver(passphrase: nil)
///     for case .frame(let f) in deliveries { rx.receive(f, seconds: 0.8) }
///     for result in rx.finish() { print(result.trace.rendered()); result.message … }
///
/// Nothing is delivered unless every layer accepted it; a refusal names its layer and reason.
public struct StackReceiver: Sendable {
    struct Connection: Sendable {
        var order: Int
        var sourceMAC: MACAddress
        var destinationMAC: MACAddress
        var frames = 0, frameBytes = 0, seconds = 0.0
        var packets = 0, packetBytes = 0, fragments = 0
        var segments = 0, segmentBytes = 0, duplicates = 0
        var reassembler: TCPReassembler
        var mss: Int?
        var ack: SequenceNumber = 0
        var ttl: UInt8 = 0
        var l3errors: [String] = []
        var l4errors: [String] = []
        var firstL4Error: TransportError?
        var stream: [UInt8] = []
        /// Segments with no data, no FIN and the ACK flag (a receiver's SYN-ACK and ACKs).
        var acknowledgments: [TCPSegment] = []
        var payloadBytes = 0
    }

    /// The L6 passphrase for encrypted messages (nil: encrypted messages are refused).
    public var passphrase: String?
    /// The method of the request this station sent, when what comes back is its response: a
    /// response to HEAD has no body whatever its Content-Length says (nil: read as after GET).
    public var respondingTo: HTTPMethod?
    /// This station's own ISN, for the SYN-ACK and ACKs its reassemblers would send back.
    public var localInitialSequenceNumber: SequenceNumber = 0
    var ip = IPv4Reassembler()
    var connections: [StackConnectionKey: Connection] = [:]
    /// Packets refused before their connection could be known (bad IP header, other protocols).
    public private(set) var refused: [String] = []
    var firstRefusal: NetworkError?
    var pendingFrames: [(MACAddress, MACAddress, Int, Double)] = []
    /// UDP datagrams and ICMP messages, in arrival order (see `StackReceiver+Datagrams.swift`).
    public internal(set) var datagrams: [StackDatagram] = []

    /// An empty receiver; `passphrase` opens encrypted messages.
    public init(passphrase: String? = nil) { self.passphrase = passphrase }

    /// One Ethernet frame (EtherType IPv4) and the audio seconds it took.
    public mutating func receive(_ frame: EthernetFrame, seconds: Double = 0) {
        guard frame.etherType == .ipv4 else { return }
        let frameBytes = EthernetFrame.headerLength + max(frame.payload.count, EthernetFrame.minimumPayload) + 4
        let packet: IPv4Packet
        do {
            packet = try IPv4Packet.parse(frame.payload)
        } catch {
            firstRefusal = firstRefusal ?? error
            refused.append("L3 IPv4 packet refused (\(frame.source) → \(frame.destination)): \(error)")
            return
        }
        let whole: IPv4Packet
        do {
            guard let w = try ip.accept(packet) else {
                note(packet, frame: frame, frameBytes: frameBytes, seconds: seconds)
                return
            }
            whole = w
        } catch {
            refused.append("L3 fragment refused (\(packet.header)): \(error)")
            return
        }
        if whole.header.ipProtocol == .udp || whole.header.ipProtocol == .icmp {
            receiveDatagram(whole, frame: frame, frameBytes: frameBytes, seconds: seconds)
            return
        }
        guard whole.header.ipProtocol == .tcp else {
            refused.append(
                "L3 \(whole.header.source) → \(whole.header.destination): protocol \(whole.header.ipProtocol), not TCP; skipped"
            )
            return
        }
        let segment: TCPSegment
        var key: StackConnectionKey?
        do {
            let ph = try PseudoHeader(
                source: whole.header.source.bytes, destination: whole.header.destination.bytes,
                protocolNumber: PseudoHeader.tcp)
            if let h = try? TCPHeader.parse(whole.payload) {
                key = StackConnectionKey(
                    sourceIP: whole.header.source, destinationIP: whole.header.destination,
                    sourcePort: h.sourcePort, destinationPort: h.destinationPort)
            }
            segment = try TCPSegment.parse(whole.payload, pseudoHeader: ph)
        } catch {
            if let key, var c = try? connection(key, frame: frame) {
                account(&c, packet: packet, frameBytes: frameBytes, seconds: seconds)
                c.l4errors.append("segment refused: \(error)")
                c.firstL4Error = c.firstL4Error ?? error
                connections[key] = c
            } else {
                refused.append(
                    "L4 TCP segment refused (\(whole.header.source) → \(whole.header.destination)): \(error)")
            }
            return
        }
        let k =
            key
            ?? StackConnectionKey(
                sourceIP: whole.header.source, destinationIP: whole.header.destination,
                sourcePort: segment.header.sourcePort, destinationPort: segment.header.destinationPort)
        var c: Connection
        do { c = try connection(k, frame: frame) } catch {
            refused.append("L4 \(k): \(error)")
            return
        }
        account(&c, packet: packet, frameBytes: frameBytes, seconds: seconds)
        c.ttl = whole.header.ttl
        c.segments += 1
        c.segmentBytes += whole.payload.count
        if let mss = segment.header.maximumSegmentSize { c.mss = Int(mss) }
        if segment.header.flags.contains(.ack), !segment.header.flags.contains(.syn) {
            c.ack = segment.header.acknowledgmentNumber
        }
        c.payloadBytes += segment.payload.count
        if segment.payload.isEmpty, !segment.header.flags.contains(.fin), segment.header.flags.contains(.ack) {
            c.acknowledgments.append(segment)
        }
        if case .duplicate = c.reassembler.accept(segment) { c.duplicates += 1 }
        connections[k] = c
    }

    private mutating func note(_ packet: IPv4Packet, frame: EthernetFrame, frameBytes: Int, seconds: Double) {
        // A fragment on its own: count its frame for the connection once it is known (by addresses).
        if let k = connections.keys.first(where: {
            $0.sourceIP == packet.header.source && $0.destinationIP == packet.header.destination
        }),
            var c = connections[k]
        {
            account(&c, packet: packet, frameBytes: frameBytes, seconds: seconds)
            connections[k] = c
        }
    }

    /// The receive buffer: large enough for a whole message (the stream is read only at the end).
    static let window = 1 << 24

    private func connection(_ key: StackConnectionKey, frame: EthernetFrame) throws(TransportError) -> Connection {
        if let c = connections[key] { return c }
        return Connection(
            order: connections.count, sourceMAC: frame.source, destinationMAC: frame.destination,
            reassembler: try TCPReassembler(
                window: Self.window,
                localInitialSequenceNumber: localInitialSequenceNumber))
    }

    private func account(_ c: inout Connection, packet: IPv4Packet, frameBytes: Int, seconds: Double) {
        c.frames += 1
        c.frameBytes += frameBytes
        c.seconds += seconds
        c.packets += 1
        c.packetBytes += Int(packet.header.totalLength)
        if packet.header.isFragment { c.fragments += 1 }
    }

    /// Every connection seen, each taken up as far as it goes.
    public mutating func finish() -> [StackResult] {
        var results: [StackResult] = []
        for (key, c) in connections.sorted(by: { $0.value.order < $1.value.order }) {
            var conn = c
            results.append(finish(key, &conn))
            connections[key] = conn
        }
        return results
    }
}
