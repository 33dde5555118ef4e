import SignalBasics
import Testing

@testable import L3Network

private func bigPacket(_ size: Int, flags: IPv4Flags = [], options: [UInt8] = []) throws -> IPv4Packet {
    let h = try IPv4Header(
        identification: 0xBEEF, flags: flags, ipProtocol: .udp,
        source: IPv4Address("10.0.0.1"), destination: IPv4Address("10.0.0.2"), options: options)
    return IPv4Packet(header: h, payload: (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 8) })
}

@Test func fragmentsFitTheMTUAndCarryOffsetsInEightByteUnits() throws {
    let p = try bigPacket(3000)
    let frags = try p.fragments(mtu: 576)
    #expect(frags.count == 6)  // 552 data bytes per fragment
    for (i, f) in frags.enumerated() {
        let bytes = try f.emit()
        #expect(bytes.count <= 576)
        #expect(f.header.fragmentByteOffset == i * 552)
        #expect(f.header.fragmentOffset == UInt16(i * 69))
        #expect(f.header.flags.contains(.moreFragments) == (i < 5))
        #expect(try IPv4Packet.parse(bytes) == IPv4Packet(header: try IPv4Header.parse(bytes), payload: f.payload))
    }
    #expect(frags.last?.payload.count == 3000 - 5 * 552)
    #expect(try p.fragments(mtu: 5000).count == 1)
}

@Test func dontFragmentAndTinyMTU() throws {
    #expect(throws: NetworkError.needsFragmentation(size: 1520, mtu: 576)) {
        try bigPacket(1500, flags: .dontFragment).fragments(mtu: 576)
    }
    #expect(throws: NetworkError.mtuTooSmall(mtu: 27, headerLength: 20)) { try bigPacket(100).fragments(mtu: 27) }
}

@Test func onlyCopiedOptionsFollowIntoLaterFragments() throws {
    // Security-like option (copied, type 0x82) and a record-route-like option (not copied, type 0x07).
    let p = try bigPacket(100, options: [0x82, 0x04, 0xAA, 0xBB, 0x07, 0x03, 0x04, 0x00])
    let frags = try p.fragments(mtu: 60)
    #expect(frags[0].header.options.count == 8)
    #expect(frags[1].header.options == [0x82, 0x04, 0xAA, 0xBB])
}

@Test func reassemblyRoundTripShuffledDuplicatedOverlapping() throws {
    let p = try bigPacket(4000)
    var frags = try p.fragments(mtu: 300)
    // An overlapping piece spanning two fragments, with bytes that must not win over the originals.
    var overlap = frags[3]
    overlap.header.fragmentOffset -= 10
    overlap.payload = [UInt8](repeating: 0xEE, count: frags[3].payload.count)
    frags += [frags[2], frags[5], overlap]
    // Seed 2 delivers both originals the overlap covers before it (first-arrived bytes are kept).
    var rng = SeededGenerator(seed: 2)
    frags.shuffle(using: &rng)
    var r = IPv4Reassembler()
    var done: [IPv4Packet] = []
    for f in frags { if let whole = try r.accept(f) { done.append(whole) } }
    try #require(done.count == 1)
    #expect(done[0].payload == p.payload)
    #expect(done[0].header.flags.isEmpty && done[0].header.fragmentOffset == 0)
    #expect(try IPv4Packet.parse(done[0].emit()).payload == p.payload)
    // Copies that arrive after completion start a new (never-finished) entry, as in a real stack,
    // until evicted or discarded.
    #expect(r.inFlight.count <= 1)
}

@Test func missingRangesAreExact() throws {
    let p = try bigPacket(2000)
    let frags = try p.fragments(mtu: 420)  // 400 data bytes each: 0,400,...,1600
    var r = IPv4Reassembler()
    let key = IPv4Reassembler.Key(p.header)
    for i in [0, 2] { #expect(try r.accept(frags[i]) == nil) }
    var s = try #require(r.status(of: key))
    #expect(s.received == [0..<400, 800..<1200])
    #expect(s.missing == [400..<800])
    #expect(s.payloadLength == nil)
    #expect(try r.accept(frags[4]) == nil)
    #expect(try r.accept(frags[4]) == nil)
    #expect(r.duplicates == 1)
    s = try #require(r.status(of: key))
    #expect(s.missing == [400..<800, 1200..<1600])
    #expect(s.payloadLength == 2000)
    #expect(try r.accept(frags[1]) == nil)
    #expect(try r.accept(frags[3])?.payload == p.payload)
    #expect(r.status(of: key) == nil)
}

@Test func impossibleAndInconsistentFragments() throws {
    var r = IPv4Reassembler()
    var f = try bigPacket(16)
    f.header.flags = .moreFragments
    f.header.fragmentOffset = 0x1FFF  // 65 528 + 16 bytes > 65 535
    #expect(throws: NetworkError.impossibleFragment(offset: 65_528, length: 16)) { try r.accept(f) }
    f.header.fragmentOffset = 0
    f.payload = [UInt8](repeating: 1, count: 12)
    #expect(throws: NetworkError.fragmentLengthNotMultipleOf8(12)) { try r.accept(f) }
    f.payload = [UInt8](repeating: 1, count: 16)
    f.header.fragmentOffset = 4
    #expect(try r.accept(f) == nil)  // bytes 32..<48
    var last = f
    last.header.flags = []
    last.header.fragmentOffset = 1
    #expect(throws: NetworkError.inconsistentFragmentEnd(previous: 48, now: 24)) { try r.accept(last) }
    last.header.fragmentOffset = 8  // ends at 80
    #expect(try r.accept(last) == nil)
    f.header.fragmentOffset = 9  // 72..<88 beyond the known end
    #expect(throws: NetworkError.inconsistentFragmentEnd(previous: 80, now: 88)) { try r.accept(f) }
    let s = try #require(r.status(of: IPv4Reassembler.Key(f.header)))
    #expect(s.missing == [0..<32, 48..<64])
}

@Test func memoryIsBounded() throws {
    var r = IPv4Reassembler(limits: .init(maxPacketsInFlight: 3, maxBytesInFlight: 4096))
    for id in 0..<10 {
        var f = try bigPacket(64)
        f.header.identification = UInt16(id)
        f.header.flags = .moreFragments
        _ = try r.accept(f)
    }
    #expect(r.inFlight.count == 3)
    #expect(r.inFlight.map(\.identification) == [7, 8, 9])
    #expect(r.evicted == 7)
    var huge = try bigPacket(8)
    huge.header.fragmentOffset = 1000
    #expect(throws: NetworkError.reassemblyTooLarge(bytes: 8008, limit: 4096)) { try r.accept(huge) }
    for id in 20..<30 {
        var f = try bigPacket(1600)
        f.header.identification = UInt16(id)
        f.header.flags = .moreFragments
        _ = try r.accept(f)
    }
    #expect(r.bytesInFlight <= 4096)
}

@Test func wholePacketsPassStraightThrough() throws {
    var r = IPv4Reassembler()
    let p = try bigPacket(10)
    #expect(try r.accept(p) == p)
}
