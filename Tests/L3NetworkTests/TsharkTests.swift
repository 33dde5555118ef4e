import TestSupport
import Testing

@testable import L3Network

/// Our IPv4 and ICMP bytes as Wireshark's dissectors see them.
@Test(.enabled(if: Tshark.canReadHexDumps))
func tsharkAgreesWithIPv4AndICMPChecksums() throws {
    let echo = ICMPv4Message.echoRequest(identifier: 0x1234, sequence: 9, data: Array("SoundStack ping".utf8))
    let ping = try IPv4Packet(
        header: IPv4Header(
            identification: 0x4242, flags: .dontFragment, ttl: 17, ipProtocol: .icmp,
            source: IPv4Address("10.0.0.1"), destination: IPv4Address("10.0.0.2")),
        payload: echo.emit())
    let lines = try tsharkFields(
        rawIP: [ping.emit()],
        fields: [
            "ip.checksum.status", "icmp.checksum.status", "ip.src", "ip.dst", "ip.ttl", "ip.id", "icmp.type", "icmp.seq"
        ])
    // Checksum status 1 is Good (0 Bad, 2 Unverified).
    #expect(lines == ["1,1,10.0.0.1,10.0.0.2,17,0x4242,8,9"])
}

@Test(.enabled(if: Tshark.canReadHexDumps))
func tsharkReadsOurFragmentsAndTimeExceeded() throws {
    let payload = (0..<1200).map { UInt8(truncatingIfNeeded: $0) }
    let p = try IPv4Packet(
        header: IPv4Header(
            identification: 77, ipProtocol: IPProtocol(rawValue: 253),
            source: IPv4Address("10.0.0.1"), destination: IPv4Address("10.0.0.9")),
        payload: payload)
    let frags = try p.fragments(mtu: 500).map { try $0.emit() }
    let lines = try tsharkFields(
        rawIP: frags, fields: ["ip.checksum.status", "ip.flags.mf", "ip.frag_offset", "ip.len"],
        extra: ["-o", "ip.defragment:FALSE"])
    #expect(lines.count == 3)
    #expect(lines == ["1,1,0,500", "1,1,60,500", "1,0,120,260"])  // offsets in 8-byte units
    #expect(lines.count == 3)

    let router = try Router(address: IPv4Address("10.0.0.254"), routes: RoutingTable())
    guard
        case .reply(let te, _) = try router.forward(
            IPv4Packet(
                header: IPv4Header(
                    ttl: 1, ipProtocol: .udp,
                    source: IPv4Address("10.0.0.1"), destination: IPv4Address("10.9.9.9")),
                payload: [0, 1, 0, 2, 0, 8, 0, 0]))
    else {
        Issue.record("expected Time Exceeded"); return
    }
    let te2 = try tsharkFields(
        rawIP: [te.emit()], fields: ["ip.checksum.status", "icmp.checksum.status", "icmp.type", "icmp.code", "ip.dst"])
    #expect(te2 == ["1,1,11,0,10.0.0.1"])
}

/// A UDP datagram built by hand inside our IPv4 header: Wireshark's UDP checksum, which covers the
/// pseudo-header taken from our IPv4 fields, must come out Good.
@Test(.enabled(if: Tshark.canReadHexDumps))
func tsharkAgreesWithTransportChecksumOverOurIPv4() throws {
    let src = try IPv4Address("192.168.0.104"), dst = try IPv4Address("8.8.8.8")
    let body = Array("hello over sound".utf8)
    var udp: [UInt8] = [0xCF, 0x08, 0x00, 0x35, 0x00, UInt8(8 + body.count), 0, 0] + body
    let c = naiveChecksum(src.bytes + dst.bytes + [0, 17, 0, UInt8(udp.count)] + udp)
    udp[6] = UInt8(c >> 8); udp[7] = UInt8(c & 0xFF)
    let packet = try IPv4Packet(
        header: IPv4Header(identification: 1, ipProtocol: .udp, source: src, destination: dst),
        payload: udp
    ).emit()
    let lines = try tsharkFields(
        rawIP: [packet], fields: ["ip.checksum.status", "udp.checksum.status", "ip.len", "udp.srcport"])
    #expect(lines == ["1,1,44,53000"])
}

/// Raw IPv4 packets (pcap link type 101) through tshark: one line of `fields` per packet,
/// comma-separated, first occurrences, checksum validation on.
private func tsharkFields(rawIP packets: [[UInt8]], fields: [String], extra: [String] = []) throws -> [String] {
    try Tshark.fields(
        packets: packets, text2pcap: ["-l", "101"],
        arguments: Tshark.checksumOptions + extra
            + ["-T", "fields", "-E", "separator=,", "-E", "occurrence=f"],
        fields: fields)
}
