import Testing

@testable import L3Network

// An echo request, identifier 0x1234, sequence 1, data "abcd".
private let echoBytes: [UInt8] = [0x08, 0x00, 0x21, 0x04, 0x12, 0x34, 0x00, 0x01, 0x61, 0x62, 0x63, 0x64]

@Test func echoVectorChecksum() {
    var zeroed = echoBytes
    zeroed[2] = 0; zeroed[3] = 0
    #expect(naiveChecksum(zeroed) == 0x2104)
}

@Test func echoDeconstructAndParse() throws {
    #expect(echoBytes[ICMPv4Message.Field.type] == ICMPType.echoRequest.rawValue)
    let m = try ICMPv4Message.parse(echoBytes)
    #expect(m == .echoRequest(identifier: 0x1234, sequence: 1, data: Array("abcd".utf8)))
}

@Test func echoConstructAndEmit() throws {
    #expect(ICMPv4Message.echoRequest(identifier: 0x1234, sequence: 1, data: Array("abcd".utf8)).emit() == echoBytes)
    let reply = ICMPv4Message.echoReply(identifier: 0x1234, sequence: 1, data: Array("abcd".utf8))
    #expect(try ICMPv4Message.parse(reply.emit()) == reply)
    #expect(try ICMPv4Message.parse(echoBytes).echoReply == reply)
    #expect(reply.echoReply == nil)
}

@Test func icmpErrorsRoundTrip() throws {
    let original = Array(0..<40).map { UInt8($0) }
    for m in [
        ICMPv4Message.timeExceeded(code: 0, original: original),
        .destinationUnreachable(code: .fragmentationNeeded, nextHopMTU: 576, original: original),
        .other(type: ICMPType(rawValue: 13), code: 0, restOfHeader: 0xDEAD_BEEF, data: [1, 2])
    ] {
        let b = m.emit()
        #expect(naiveChecksum(b) == 0)
        #expect(try ICMPv4Message.parse(b) == m)
    }
}

@Test func icmpBadInput() {
    #expect(throws: NetworkError.truncated(needed: 8, available: 7)) {
        try ICMPv4Message.parse(Array(echoBytes.prefix(7)))
    }
    var b = echoBytes
    b[8] = 0x7A
    #expect(throws: NetworkError.checksumMismatch(expected: 0x0804, actual: 0x2104)) { try ICMPv4Message.parse(b) }
}

private func router() throws -> Router {
    try Router(
        address: IPv4Address("10.0.0.1"),
        routes: RoutingTable([
            Route(prefix: IPv4Prefix("10.2.0.0/16"), nextHop: IPv4Address("10.0.0.2"), interface: "audio1"),
            Route(prefix: IPv4Prefix("10.3.0.0/16"), interface: "audio2"),
            Route(prefix: IPv4Prefix("10.4.0.0/16"), interface: "audio3", mtu: 296)
        ]))
}

private func udpPacket(to dst: String, ttl: UInt8) throws -> IPv4Packet {
    let h = try IPv4Header(
        identification: 7, ttl: ttl, ipProtocol: .udp,
        source: IPv4Address("192.168.0.104"), destination: IPv4Address(dst))
    return IPv4Packet(header: h, payload: [0x30, 0x39, 0x00, 0x35, 0x00, 0x0C, 0x00, 0x00, 0x68, 0x69, 0x21, 0x0A])
}

@Test func routerForwardsAndDecrementsTTL() throws {
    let p = try udpPacket(to: "10.2.9.9", ttl: 5)
    guard case .forward(let outs, let route, let nextHop) = try router().forward(p), outs.count == 1,
        let out = outs.first
    else {
        Issue.record("expected forward"); return
    }
    #expect(out.header.ttl == 4)
    #expect(route.interface == "audio1")
    #expect(nextHop.description == "10.0.0.2")
    let bytes = try out.emit()
    #expect(naiveChecksum(Array(bytes[0..<20])) == 0)
    #expect(out.header.checksum == UInt16(bytes[10]) << 8 | UInt16(bytes[11]))
    guard case .forward(_, _, let direct) = try router().forward(udpPacket(to: "10.3.0.7", ttl: 9)) else {
        Issue.record("expected forward"); return
    }
    #expect(direct.description == "10.3.0.7")
}

@Test func routerSendsTimeExceededWhenTTLRunsOut() throws {
    let p = try udpPacket(to: "10.2.9.9", ttl: 1)
    guard case .reply(let icmpPacket, let reason) = try router().forward(p) else {
        Issue.record("expected an ICMP reply"); return
    }
    #expect(reason == .ttlExpired)
    #expect(icmpPacket.header.destination.description == "192.168.0.104")
    #expect(icmpPacket.header.source.description == "10.0.0.1")
    #expect(icmpPacket.header.ipProtocol == .icmp)
    let parsed = try IPv4Packet.parse(icmpPacket.emit())
    let message = try ICMPv4Message.parse(parsed.payload)
    let quoted = Array(try p.emit().prefix(28))  // original header + 8 bytes
    #expect(message == .timeExceeded(code: 0, original: quoted))
}

@Test func routerUnreachableLocalAndNoErrorAboutErrors() throws {
    guard case .reply(let u, .noRoute) = try router().forward(udpPacket(to: "172.16.0.1", ttl: 9)) else {
        Issue.record("expected unreachable"); return
    }
    guard case .destinationUnreachable(.network, _, _) = try ICMPv4Message.parse(u.payload) else {
        Issue.record("expected destination unreachable"); return
    }
    guard case .local = try router().forward(udpPacket(to: "10.0.0.1", ttl: 1)) else {
        Issue.record("expected local"); return
    }
    // A Time Exceeded whose own TTL runs out is dropped, not answered.
    guard case .reply(var te, _) = try router().forward(udpPacket(to: "10.2.0.1", ttl: 1)) else {
        Issue.record("expected a Time Exceeded reply"); return
    }
    te.header.ttl = 1
    te.header.destination = try IPv4Address("10.2.0.5")
    #expect(try router().forward(te) == .drop(.errorAboutError))
}

@Test func routerFragmentsForASmallMTUOrAsksForPathMTU() throws {
    var p = try udpPacket(to: "10.4.0.1", ttl: 9)
    p.payload = (0..<1000).map { UInt8(truncatingIfNeeded: $0) }
    guard case .forward(let pieces, let route, _) = try router().forward(p) else {
        Issue.record("expected forward"); return
    }
    #expect(route.mtu == 296)
    #expect(pieces.count == 4)  // 272 data bytes each
    var r = IPv4Reassembler()
    var whole: IPv4Packet?
    for piece in pieces {
        let bytes = try piece.emit()
        #expect(bytes.count <= 296 && piece.header.ttl == 8)
        #expect(try IPv4Packet.parse(bytes).header == piece.header)
        whole = try r.accept(IPv4Packet.parse(bytes)) ?? whole
    }
    #expect(whole?.payload == p.payload)

    p.header.flags = .dontFragment
    guard case .reply(let icmp, .needsFragmentation(296)) = try router().forward(p) else {
        Issue.record("expected ICMP"); return
    }
    guard case .destinationUnreachable(.fragmentationNeeded, 296, _) = try ICMPv4Message.parse(icmp.payload) else {
        Issue.record("expected fragmentation needed"); return
    }
}
