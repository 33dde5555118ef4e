import TestSupport
import Testing

@testable import L4Transport

private let client: [UInt8] = [192, 168, 0, 104]
private let server: [UInt8] = [192, 168, 0, 1]

/// Our TCP and UDP bytes (inside a hand-made IPv4 header) as Wireshark's dissectors see them.
@Test(.enabled(if: Tshark.canReadHexDumps))
func tsharkAgreesWithTCPAndUDPChecksums() throws {
    let tcpPH = try PseudoHeader(source: client, destination: server, protocolNumber: PseudoHeader.tcp)
    let udpPH = try PseudoHeader(source: client, destination: [8, 8, 8, 8], protocolNumber: PseudoHeader.udp)
    let post = Array("POST /form HTTP/1.1\r\nHost: soundstack\r\nContent-Length: 11\r\n\r\nhello=world".utf8)
    let tx = try TCPSegmenter(
        sourcePort: 41154, destinationPort: 80, initialSequenceNumber: 0xFFFF_FFF0,
        acknowledgmentNumber: 0x0102_0304, mss: 24)
    let segments = tx.connection(sending: post)
    var packets = try segments.map {
        naiveIPv4(source: client, destination: server, protocolNumber: 6, payload: try $0.emit(pseudoHeader: tcpPH))
    }
    let dns = UDPDatagram(sourcePort: 53000, destinationPort: 53, payload: Array("\u{12}\u{34}query".utf8))
    packets.append(
        naiveIPv4(
            source: client, destination: [8, 8, 8, 8], protocolNumber: 17,
            payload: try dns.emit(pseudoHeader: udpPH)))
    // The receiver's ACK with SACK after losing the second data segment.
    var rx = try TCPReassembler(localInitialSequenceNumber: 0x0102_0303)
    for (i, s) in segments.enumerated() where i != 2 { rx.accept(s) }
    let ack = try #require(rx.acknowledgment())
    let serverPH = try PseudoHeader(source: server, destination: client, protocolNumber: PseudoHeader.tcp)
    packets.append(
        naiveIPv4(source: server, destination: client, protocolNumber: 6, payload: try ack.emit(pseudoHeader: serverPH))
    )

    let lines = try tsharkFields(
        ipv4: packets,
        fields: [
            "ip.checksum.status", "tcp.checksum.status", "udp.checksum.status", "ip.src", "tcp.srcport", "tcp.seq_raw",
            "tcp.flags", "tcp.len", "tcp.options.mss_val", "tcp.options.sack_le", "tcp.options.sack_re", "udp.srcport"
        ])
    try #require(lines.count == packets.count)
    // Checksum status 1 is Good (0 Bad, 2 Unverified).
    let first = segments[1].header.sequenceNumber.rawValue
    #expect(segments.count == 5)  // SYN, 3 × ≤ 24 bytes, FIN
    #expect(lines[0] == "1,1,,192.168.0.104,41154,4294967280,0x0002,0,24,,,")
    #expect(lines[1] == "1,1,,192.168.0.104,41154,\(first),0x0018,24,,,,")
    for line in lines.dropFirst().prefix(segments.count - 1) { #expect(line.hasPrefix("1,1,,192.168.0.104,41154,")) }
    #expect(lines[segments.count - 1].contains(",0x0011,0,"))
    #expect(lines[segments.count] == "1,,1,192.168.0.104,,,,,,,,53000")
    let lostStart = segments[2].header.sequenceNumber.rawValue, lostEnd = lostStart &+ 24
    let finSeq = segments[segments.count - 1].header.sequenceNumber.rawValue
    #expect(lines[segments.count + 1].hasPrefix("1,1,,192.168.0.1,80,16909060,0x0010,0,,"))
    #expect(lines[segments.count + 1].hasSuffix(",\(lostEnd),\(finSeq),"))
}

/// IPv4 packets behind a dummy Ethernet header (`text2pcap -e 0x0800`) through tshark: one
/// line of `fields` per packet, comma-separated, all occurrences joined by `/`, checksum
/// validation on, absolute sequence numbers.
private func tsharkFields(ipv4 packets: [[UInt8]], fields: [String]) throws -> [String] {
    try Tshark.fields(
        packets: packets, text2pcap: ["-e", "0x0800"],
        arguments: Tshark.checksumOptions + [
            "-o", "tcp.relative_sequence_numbers:FALSE",
            "-T", "fields", "-E", "separator=,", "-E", "occurrence=a", "-E", "aggregator=/"
        ],
        fields: fields)
}
