import SignalBasics
import Testing

@testable import L3Network

/// Random and garbled bytes must never crash a parser: each either parses or throws.
@Test func parsersSurviveGarbage() throws {
    var rng = SeededGenerator(seed: 0x5EED)
    let good = try IPv4Packet(
        header: IPv4Header(
            ipProtocol: .icmp, source: IPv4Address("1.2.3.4"),
            destination: IPv4Address("5.6.7.8"), options: [0x94, 4, 0, 0]),
        payload: ICMPv4Message.echoRequest(identifier: 1, sequence: 2, data: [1, 2, 3]).emit()
    ).emit()
    var reassembler = IPv4Reassembler(limits: .init(maxPacketsInFlight: 4, maxBytesInFlight: 20_000))
    var parsed = 0
    for round in 0..<4000 {
        var b: [UInt8]
        if round % 2 == 0 {
            b = (0..<Int.random(in: 0...80, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            if round % 4 == 0, b.count > 0 { b[0] = 0x40 | (b[0] & 0x0F) }
        } else {
            b = good
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                b[Int.random(in: 0..<b.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
            b = Array(b.prefix(Int.random(in: 0...b.count, using: &rng)))
        }
        if let p = try? IPv4Packet.parse(b, verifyChecksum: round % 3 != 0) {
            parsed += 1
            _ = try? ICMPv4Message.parse(p.payload)
            _ = try? reassembler.accept(p)
            _ = try? p.fragments(mtu: Int.random(in: 0...100, using: &rng))
        }
        _ = try? IPv4Packet.decode(b)
        _ = try? ICMPv4Message.parse(b)
        _ = try? ARPPacket.parse(b)
    }
    #expect(parsed > 0)
}

/// Fragments with random offsets, lengths, flags and identifiers: the reassembler throws or
/// stores, never crashes, and stays within its limits.
@Test func reassemblerSurvivesRandomFragments() throws {
    var rng = SeededGenerator(seed: 0xF4A6)
    let limits = IPv4Reassembler.Limits(maxPacketsInFlight: 5, maxBytesInFlight: 30_000)
    var r = IPv4Reassembler(limits: limits)
    for _ in 0..<3000 {
        let h = try IPv4Header(
            identification: UInt16.random(in: 0...7, using: &rng),
            flags: IPv4Flags(rawValue: UInt8.random(in: 0...7, using: &rng)),
            fragmentOffset: UInt16.random(in: 0...0x1FFF, using: &rng) >> UInt16.random(in: 0...13, using: &rng),
            ipProtocol: .udp, source: IPv4Address("10.0.0.1"), destination: IPv4Address("10.0.0.2"))
        let payload = (0..<Int.random(in: 0...1600, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        _ = try? r.accept(IPv4Packet(header: h, payload: payload))
        #expect(r.inFlight.count <= limits.maxPacketsInFlight)
        #expect(r.bytesInFlight <= limits.maxBytesInFlight)
        for key in r.inFlight { _ = r.status(of: key) }
    }
}
