import Foundation
import L2DataLink
import L3Network
import L4Transport

/// A UDP datagram or an ICMP message that came up the stack (or the layer that refused it).
public struct StackDatagram: Sendable {
    /// What the IP packet carried.
    public enum Content: Sendable, Hashable {
        /// A UDP datagram (checksum verified).
        case udp(UDPDatagram)
        /// An ICMP message (checksum verified).
        case icmp(ICMPv4Message)
    }

    /// The IPv4 header of the packet that carried it.
    public var header: IPv4Header
    /// The sender's MAC address.
    public var sourceMAC: MACAddress
    /// The MAC address the frame was sent to.
    public var destinationMAC: MACAddress
    /// nil when layer 4 refused it (see `error`).
    public var content: Content?
    /// Why layer 4 refused it, in words (nil when accepted).
    public var error: String?
    /// Bottom to top.
    public var trace: StackTrace
    /// One line for people.
    public var summary: String

    /// The UDP payload, when this is a good UDP datagram.
    public var udpPayload: [UInt8]? {
        if case .udp(let d)? = content { return d.payload }
        return nil
    }

    /// The ICMP message, when this is one.
    public var icmp: ICMPv4Message? {
        if case .icmp(let m)? = content { return m }
        return nil
    }
}

extension StackReceiver {
    /// UDP (checksum with the pseudo-header) and ICMP (checksum over the message), layers 1–4.
    mutating func receiveDatagram(_ packet: IPv4Packet, frame: EthernetFrame, frameBytes: Int, seconds: Double) {
        let h = packet.header
        var trace = StackTrace()
        trace.append(
            StackTraceRecord(
                layer: 1, protocolName: "FSK", direction: .up, summary: "tones → bits → 1 good frame",
                bytesIn: frameBytes, bytesOut: frameBytes, units: 1, unitName: "frame",
                fields: [.init("frame airtime", String(format: "%.3f s", seconds))], seconds: seconds))
        trace.append(
            StackTraceRecord(
                layer: 2, protocolName: "Ethernet", direction: .up,
                summary: "\(frame.source) → \(frame.destination) type 0x0800: IPv4 goes up",
                bytesIn: frameBytes, bytesOut: Int(h.totalLength), units: 1, unitName: "frame",
                fields: [.init("source MAC", "\(frame.source)"), .init("destination MAC", "\(frame.destination)")],
                checksums: ["FCS verified"]))
        trace.append(
            StackTraceRecord(
                layer: 3, protocolName: "IPv4", direction: .up,
                summary:
                    "\(h.source) → \(h.destination) protocol \(h.ipProtocol.rawValue) (\(h.ipProtocol)), TTL \(h.ttl)",
                bytesIn: Int(h.totalLength), bytesOut: packet.payload.count, units: 1, unitName: "packet",
                fields: [
                    .init("source", "\(h.source)"), .init("destination", "\(h.destination)"), .init("TTL", "\(h.ttl)"),
                    .init("id", "\(h.identification)"), .init("header checksum", hexWord(h.checksum))
                ],
                checksums: ["header checksum verified"]))
        var d = StackDatagram(
            header: h, sourceMAC: frame.source, destinationMAC: frame.destination, content: nil,
            error: nil, trace: trace, summary: "")
        if h.ipProtocol == .udp {
            udpUp(packet, into: &d)
        } else {
            icmpUp(packet, into: &d)
        }
        datagrams.append(d)
    }

    private func udpUp(_ packet: IPv4Packet, into d: inout StackDatagram) {
        let h = packet.header
        let header = try? UDPHeader.parse(packet.payload)
        let ports =
            header.map { "\(h.source):\($0.sourcePort) → \(h.destination):\($0.destinationPort)" }
            ?? "\(h.source) → \(h.destination)"
        do {
            let ph = try PseudoHeader(
                source: h.source.bytes, destination: h.destination.bytes, protocolNumber: PseudoHeader.udp)
            let u = try UDPDatagram.parse(packet.payload, pseudoHeader: ph)
            let text =
                String(bytes: u.payload.prefix(40), encoding: .utf8).map {
                    ": \"\($0)\(u.payload.count > 40 ? "…" : "")\""
                } ?? ""
            d.content = .udp(u)
            d.summary =
                "UDP \(ports): \(u.payload.count) B"
                + (u.header.checksum == 0 ? " (no checksum sent)" : ", checksum good")
            d.trace.append(
                StackTraceRecord(
                    layer: 4, protocolName: "UDP", direction: .up,
                    summary: "datagram to port \(u.header.destinationPort): \(u.payload.count) B\(text)",
                    bytesIn: packet.payload.count, bytesOut: u.payload.count, units: 1, unitName: "datagram",
                    fields: [
                        .init("source port", "\(u.header.sourcePort)"),
                        .init("destination port", "\(u.header.destinationPort)"),
                        .init("length", "\(u.header.length)"), .init("checksum", hexWord(u.header.checksum)),
                        .init("header", "8 B")
                    ],
                    checksums: [
                        u.header.checksum == 0
                            ? "none sent (checksum 0)"
                            : "UDP checksum verified (pseudo-header \(h.source) → \(h.destination) proto 17)"
                    ]))
        } catch {
            let e = "L4 UDP datagram refused (\(ports)): \(error)"
            d.error = e
            d.summary = e
            d.trace.append(
                StackTraceRecord(
                    layer: 4, protocolName: "UDP", direction: .up, summary: "refused",
                    bytesIn: packet.payload.count, bytesOut: 0, units: 1, unitName: "datagram",
                    fields: header.map { [.init("checksum", hexWord($0.checksum))] } ?? [],
                    error: e))
        }
    }

    private func icmpUp(_ packet: IPv4Packet, into d: inout StackDatagram) {
        let h = packet.header
        do {
            let m = try ICMPv4Message.parse(packet.payload)
            let what = Self.describe(m)
            d.content = .icmp(m)
            d.summary = "ICMP \(h.source) → \(h.destination): \(what)"
            d.trace.append(
                StackTraceRecord(
                    layer: 3, protocolName: "ICMP", direction: .up, summary: what,
                    bytesIn: packet.payload.count, bytesOut: 0, units: 1, unitName: "message",
                    fields: [
                        .init("type", "\(m.type.rawValue)"),
                        .init("code", "\(packet.payload[ICMPv4Message.Field.code])")
                    ],
                    checksums: ["ICMP checksum verified"]))
        } catch {
            let e = "L3 ICMP message refused (\(h.source) → \(h.destination)): \(error)"
            d.error = e
            d.summary = e
            d.trace.append(
                StackTraceRecord(
                    layer: 3, protocolName: "ICMP", direction: .up, summary: "refused",
                    bytesIn: packet.payload.count, bytesOut: 0, error: e))
        }
    }

    /// An ICMP message in words, with the packet an error message quotes.
    public static func describe(_ m: ICMPv4Message) -> String {
        switch m {
        case let .echoRequest(id, seq, data): return "echo request id \(id) seq \(seq), \(data.count) B"
        case let .echoReply(id, seq, data): return "echo reply id \(id) seq \(seq), \(data.count) B"
        case let .timeExceeded(code, original):
            return "Time Exceeded (type 11, code \(code): "
                + (code == 0 ? "TTL exceeded in transit" : "reassembly time exceeded")
                + "), quoting " + quoted(original)
        case let .destinationUnreachable(code, mtu, original):
            let names: [UInt8: String] = [
                0: "net unreachable", 1: "host unreachable", 2: "protocol unreachable",
                3: "port unreachable", 4: "fragmentation needed, next-hop MTU \(mtu)"
            ]
            return
                "Destination Unreachable (type 3, code \(code.rawValue): \(names[code.rawValue] ?? "other")), quoting "
                + quoted(original)
        case let .other(type, code, _, data): return "type \(type.rawValue) code \(code), \(data.count) B"
        }
    }

    /// The quoted original: header fields and, for TCP/UDP, the ports from the first 8 payload bytes.
    public static func quotedHeader(_ original: [UInt8]) -> (header: IPv4Header, ports: (UInt16, UInt16)?)? {
        guard original.count >= IPv4Header.minimumLength else { return nil }
        let ihl = Int(original[0] & 0x0F) * 4
        guard ihl >= IPv4Header.minimumLength, original.count >= ihl else { return nil }
        var head = Array(original[0..<ihl])
        head[IPv4Header.Field.totalLength] = UInt8(ihl >> 8)
        head[IPv4Header.Field.totalLength + 1] = UInt8(ihl & 0xFF)
        guard var header = try? IPv4Header.parse(head, verifyChecksum: false) else { return nil }
        header.totalLength = UInt16(original[2]) << 8 | UInt16(original[3])
        var ports: (UInt16, UInt16)?
        if original.count >= ihl + 4, header.ipProtocol == .tcp || header.ipProtocol == .udp {
            ports = (
                UInt16(original[ihl]) << 8 | UInt16(original[ihl + 1]),
                UInt16(original[ihl + 2]) << 8 | UInt16(original[ihl + 3])
            )
        }
        return (header, ports)
    }

    static func quoted(_ original: [UInt8]) -> String {
        guard let (h, ports) = quotedHeader(original) else { return "\(original.count) B (not an IPv4 header)" }
        let src = ports.map { "\(h.source):\($0.0)" } ?? "\(h.source)"
        let dst = ports.map { "\(h.destination):\($0.1)" } ?? "\(h.destination)"
        return "\(src) → \(dst) \(h.ipProtocol) id \(h.identification) TTL \(h.ttl)"
    }
}
