import Foundation
import L2DataLink
import L3Network
import L4Transport

extension StackTransmitter {
    /// One UDP datagram (RFC 768) down layers 4–2: no connection, no order, no resend — one
    /// datagram, one IPv4 packet (fragmented at `options.mtu`), one Ethernet frame per packet.
    ///
    ///     let (frames, trace) = try StackTransmitter(endpoints: ends).datagram(Array("hi".utf8))
    public func datagram(_ payload: [UInt8]) throws(StackError) -> (frames: [[UInt8]], trace: StackTrace) {
        var trace = StackTrace()
        let udp: [UInt8]
        do {
            let ph = try PseudoHeader(
                source: endpoints.sourceIP.bytes, destination: endpoints.destinationIP.bytes,
                protocolNumber: PseudoHeader.udp)
            udp = try UDPDatagram(
                sourcePort: endpoints.sourcePort, destinationPort: endpoints.destinationPort,
                payload: payload
            ).emit(pseudoHeader: ph)
        } catch { throw .transport(error) }
        let checksum = hexWord(UInt16(udp[UDPHeader.Field.checksum]) << 8 | UInt16(udp[UDPHeader.Field.checksum + 1]))
        trace.append(
            StackTraceRecord(
                layer: 4, protocolName: "UDP", direction: .down,
                summary: "ports \(endpoints.sourcePort) → \(endpoints.destinationPort); one datagram, no connection",
                bytesIn: payload.count, bytesOut: udp.count, units: 1, unitName: "datagram",
                fields: [
                    .init("source port", "\(endpoints.sourcePort)"),
                    .init("destination port", "\(endpoints.destinationPort)"),
                    .init("length", "\(udp.count)"), .init("checksum", checksum), .init("header", "8 B")
                ],
                checksums: [
                    "UDP checksum \(checksum) over pseudo-header \(endpoints.sourceIP) → \(endpoints.destinationIP) proto 17"
                ]))
        let header = IPv4Header(
            identification: options.identification, ttl: options.ttl, ipProtocol: .udp,
            source: endpoints.sourceIP, destination: endpoints.destinationIP)
        var packets: [[UInt8]] = []
        var details: [String] = []
        do {
            for p in try IPv4Packet(header: header, payload: udp).fragments(mtu: options.mtu) {
                let bytes = try p.emit()
                packets.append(bytes)
                details.append(
                    "id \(p.header.identification)  len \(bytes.count)  off \(p.header.fragmentByteOffset)"
                        + (p.header.flags.contains(.moreFragments) ? " MF" : "") + "  cksum 0x"
                        + hex16(bytes[IPv4Header.Field.checksum], bytes[IPv4Header.Field.checksum + 1]))
            }
        } catch { throw .network(error) }
        trace.append(
            StackTraceRecord(
                layer: 3, protocolName: "IPv4", direction: .down,
                summary: "\(endpoints.sourceIP) → \(endpoints.destinationIP) protocol 17 (UDP)",
                bytesIn: udp.count, bytesOut: packets.reduce(0) { $0 + $1.count }, units: packets.count,
                unitName: "packet",
                fields: [
                    .init("source", "\(endpoints.sourceIP)"), .init("destination", "\(endpoints.destinationIP)"),
                    .init("protocol", "17 (UDP)"), .init("TTL", "\(options.ttl)"), .init("header", "20 B")
                ],
                checksums: ["\(packets.count) IPv4 header checksum\(packets.count == 1 ? "" : "s")"], details: details))
        var frames: [[UInt8]] = []
        for p in packets {
            do {
                frames.append(
                    try EthernetFrame(
                        destination: endpoints.destinationMAC, source: endpoints.sourceMAC,
                        etherType: .ipv4, payload: p
                    ).emit())
            } catch { throw .configuration("L2 Ethernet: \(error)") }
        }
        trace.append(
            StackTraceRecord(
                layer: 2, protocolName: "Ethernet", direction: .down,
                summary: "\(endpoints.sourceMAC) → \(endpoints.destinationMAC) type 0x0800",
                bytesIn: packets.reduce(0) { $0 + $1.count }, bytesOut: frames.reduce(0) { $0 + $1.count },
                units: frames.count, unitName: "frame",
                fields: [
                    .init("source MAC", "\(endpoints.sourceMAC)"),
                    .init("destination MAC", "\(endpoints.destinationMAC)")
                ],
                checksums: ["\(frames.count) FCS (CRC-32)"]))
        return (frames, trace)
    }
}
