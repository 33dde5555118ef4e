import SignalBasics
import Testing

@testable import L3Network

// Property-based round trips at layer 3, deterministic seeds.

private func randomBytes(_ n: Int, _ rng: inout SeededGenerator) -> [UInt8] {
    (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) }
}

/// A random, valid header: options drawn from NOP, router alert (copied), and an unknown
/// non-copied option, ended by EOL.
private func randomHeader(_ rng: inout SeededGenerator) -> IPv4Header {
    var options: [UInt8] = []
    for _ in 0..<Int.random(in: 0...3, using: &rng) {
        switch Int.random(in: 0...2, using: &rng) {
        case 0: options.append(1)
        case 1: options += [0x94, 4, 0, 0]
        default: options += [0x1E, 6] + randomBytes(4, &rng)
        }
    }
    if !options.isEmpty { options.append(0) }
    return IPv4Header(
        dscp: UInt8.random(in: 0...63, using: &rng), ecn: UInt8.random(in: 0...3, using: &rng),
        identification: UInt16.random(in: 0...UInt16.max, using: &rng),
        ttl: UInt8.random(in: 1...255, using: &rng),
        ipProtocol: IPProtocol(rawValue: UInt8.random(in: 0...255, using: &rng)),
        source: IPv4Address(value: UInt32.random(in: 0...UInt32.max, using: &rng)),
        destination: IPv4Address(value: UInt32.random(in: 0...UInt32.max, using: &rng)), options: options)
}

/// emit ∘ parse is the identity on random packets; fragmented at a random MTU, then shuffled
/// and duplicated, the fragments reassemble into the same packet.
@Test func ipv4FragmentationRoundTripProperty() throws {
    var rng = SeededGenerator(seed: 0x1F4)
    for _ in 0..<300 {
        let packet = IPv4Packet(
            header: randomHeader(&rng), payload: randomBytes(Int.random(in: 0...4000, using: &rng), &rng))
        let bytes = try packet.emit()
        let parsed = try IPv4Packet.parse(bytes)
        #expect(parsed.payload == packet.payload)
        #expect(try parsed.emit() == bytes)
        let mtu = Int.random(in: 68...1500, using: &rng)
        var pieces = try parsed.fragments(mtu: mtu)
        for p in pieces { #expect(p.header.headerLength + p.payload.count <= mtu) }
        if pieces.count > 1 { pieces += pieces.filter { _ in Int.random(in: 0..<4, using: &rng) == 0 } }
        pieces.shuffle(using: &rng)
        var r = IPv4Reassembler()
        var whole: [IPv4Packet] = []
        for p in pieces {
            // Each fragment goes over the wire as bytes too.
            if let w = try r.accept(try IPv4Packet.parse(try p.emit())) { whole.append(w) }
        }
        // A duplicate arriving after the packet completed starts over (and times out); it never
        // yields different bytes.
        #expect(!whole.isEmpty && whole.allSatisfy { $0.payload == packet.payload })
        #expect(whole.first?.header.identification == packet.header.identification)
        #expect(whole.first?.header.options == parsed.header.options)
    }
}

/// With a fragment lost, the packet never completes and its status names the hole.
@Test func ipv4LostFragmentIsReported() throws {
    var rng = SeededGenerator(seed: 0x1057)
    for _ in 0..<100 {
        let packet = IPv4Packet(
            header: randomHeader(&rng), payload: randomBytes(Int.random(in: 200...3000, using: &rng), &rng))
        var pieces = try packet.fragments(mtu: 200)
        let gone = pieces.remove(at: Int.random(in: 0..<pieces.count, using: &rng))
        pieces.shuffle(using: &rng)
        var r = IPv4Reassembler()
        for p in pieces { #expect(try r.accept(p) == nil) }
        let key = IPv4Reassembler.Key(packet.header)
        let status = try #require(r.status(of: key))
        let hole = gone.header.fragmentByteOffset..<(gone.header.fragmentByteOffset + gone.payload.count)
        if gone.header.flags.contains(.moreFragments) {
            #expect(status.missing == [hole])
        } else {
            #expect(status.payloadLength == nil)  // the end is not known yet
        }
    }
}

/// A single flipped bit in the header is always caught by the header checksum (or a
/// stricter check before it); flipped payload bits are outside any IPv4 check and come
/// through with the header intact.
@Test func ipv4HeaderCorruptionIsDetected() throws {
    var rng = SeededGenerator(seed: 0xC5C5)
    for _ in 0..<500 {
        let packet = IPv4Packet(
            header: randomHeader(&rng), payload: randomBytes(Int.random(in: 1...100, using: &rng), &rng))
        let bytes = try packet.emit()
        let headerLength = packet.header.headerLength
        var damaged = bytes
        let bit = Int.random(in: 0..<(headerLength * 8), using: &rng)
        damaged[bit / 8] ^= 1 << UInt8(bit % 8)
        #expect(throws: NetworkError.self) { try IPv4Packet.parse(damaged) }
        var payloadHit = bytes
        let p = Int.random(in: headerLength..<bytes.count, using: &rng)
        payloadHit[p] ^= 0x10
        let through = try IPv4Packet.parse(payloadHit)
        #expect(through.header.source == packet.header.source && through.payload != packet.payload)
    }
}
