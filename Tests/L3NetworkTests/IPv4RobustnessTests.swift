import Testing

@testable import L3Network

// Cases the fuzzer found (scripts/fuzz.sh ipv4), kept as tests.

/// A packet with no payload whose header alone exceeds the MTU (options make it 36 bytes,
/// MTU 28) could not be sent, yet fragments(mtu:) returned no fragment at all and the packet
/// vanished without an error. It must throw, or give fragments that carry it.
@Test func fragmentingAnOversizedEmptyPacketNeverLosesIt() throws {
    let header = IPv4Header(
        ipProtocol: .udp, source: IPv4Address(10, 0, 0, 1), destination: IPv4Address(10, 0, 0, 2),
        options: [UInt8](repeating: 1, count: 16))
    let packet = IPv4Packet(header: header, payload: [])
    let pieces = try? packet.fragments(mtu: 28)
    #expect(
        pieces == nil || pieces?.isEmpty == false, "fragments(mtu: 28) returned \(pieces.map(\.count) ?? -1) fragments")
    #expect(throws: NetworkError.self) { try packet.fragments(mtu: 28) }
    // Still fine when it fits.
    #expect(try packet.fragments(mtu: 36).count == 1)
}
