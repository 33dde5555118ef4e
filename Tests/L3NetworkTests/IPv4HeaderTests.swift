import Testing

@testable import L3Network

// The IPv4 header of a TCP SYN from 192.168.0.104 to 192.168.0.1 (60 bytes total, DF, TTL 64),
// followed by its 40-byte TCP header.
private let packetBytes: [UInt8] = [
    0x45, 0x00, 0x00, 0x3C, 0x1C, 0x46, 0x40, 0x00, 0x40, 0x06, 0x9C, 0xBC, 0xC0, 0xA8, 0x00, 0x68,
    0xC0, 0xA8, 0x00, 0x01,
    0xA0, 0xC2, 0x00, 0x50, 0x8F, 0x2B, 0x7E, 0x1E, 0x00, 0x00, 0x00, 0x00, 0xA0, 0x02, 0xFA, 0xF0,
    0xF5, 0x38, 0x00, 0x00, 0x02, 0x04, 0x05, 0xB4, 0x04, 0x02, 0x08, 0x0A, 0x00, 0x9C, 0x27, 0x24,
    0x00, 0x00, 0x00, 0x00, 0x01, 0x03, 0x03, 0x07
]
private let headerBytes = Array(packetBytes[0..<20])
private let payloadBytes = Array(packetBytes[20...])

private func sampleHeader() -> IPv4Header {
    IPv4Header(
        totalLength: 60, identification: 0x1C46, flags: .dontFragment, ttl: 64, ipProtocol: .tcp,
        checksum: 0x9CBC, source: IPv4Address(192, 168, 0, 104), destination: IPv4Address(192, 168, 0, 1))
}

@Test func headerVectorChecksumIsRight() {
    var zeroed = headerBytes
    zeroed[10] = 0; zeroed[11] = 0
    #expect(naiveChecksum(zeroed) == 0x9CBC)
}

@Test func headerDeconstruct() throws {
    #expect(headerBytes[IPv4Header.Field.versionIHL] == 0x45)
    #expect(headerBytes[IPv4Header.Field.ttl] == 64)
    #expect(headerBytes[IPv4Header.Field.protocol] == IPProtocol.tcp.rawValue)
    let h = try IPv4Header.parse(packetBytes)
    #expect(h.headerLength == 20)
    #expect(h.totalLength == 60)
    #expect(h.identification == 0x1C46)
    #expect(h.flags == .dontFragment)
    #expect(h.fragmentOffset == 0)
    #expect(h.ttl == 64)
    #expect(h.ipProtocol == .tcp)
    #expect(h.checksum == 0x9CBC)
    #expect(h.source.description == "192.168.0.104")
    #expect(h.destination.description == "192.168.0.1")
    #expect(h.options.isEmpty)
}

@Test func headerConstruct() throws {
    var h = sampleHeader()
    h.checksum = 0
    #expect(try h.emit() == headerBytes)
}

@Test func packetParse() throws {
    let p = try IPv4Packet.parse(packetBytes)
    #expect(p.header == sampleHeader())
    #expect(p.payload == payloadBytes)
}

@Test func packetEmit() throws {
    var h = sampleHeader()
    h.totalLength = 0  // emit fills it
    #expect(try IPv4Packet(header: h, payload: payloadBytes).emit() == packetBytes)
}

@Test func optionsRoundTripAndPadding() throws {
    var h = sampleHeader()
    h.options = [0x94, 0x04, 0x00, 0x00, 0x01]  // Router Alert, then a NOP: padded to 8
    let bytes = try IPv4Packet(header: h, payload: [1, 2, 3]).emit()
    #expect(bytes[0] == 0x47)
    let back = try IPv4Packet.parse(bytes)
    #expect(back.header.options == [0x94, 0x04, 0x00, 0x00, 0x01, 0, 0, 0])
    #expect(back.payload == [1, 2, 3])
    #expect(naiveChecksum(Array(bytes[0..<28])) == 0)
}

@Test func decodeSaysNeedMoreBytesApartFromBadBytes() throws {
    #expect(try IPv4Packet.decode(Array(packetBytes.prefix(10))) == nil)
    #expect(try IPv4Packet.decode(Array(packetBytes.prefix(59))) == nil)
    let (p, used) = try #require(try IPv4Packet.decode(packetBytes + [0xAA, 0xBB]))
    #expect(used == 60)
    #expect(p.payload == payloadBytes)
    var bad = packetBytes
    bad[0] = 0x65
    #expect(throws: NetworkError.badVersion(6)) { try IPv4Packet.decode(bad) }
}

@Test func trailingLinkPaddingIsIgnored() throws {
    let p = try IPv4Packet.parse(packetBytes + [0, 0, 0, 0])
    #expect(p.payload == payloadBytes)
}

// MARK: Bad input

@Test func truncatedHeader() {
    #expect(throws: NetworkError.truncated(needed: 20, available: 19)) {
        try IPv4Header.parse(Array(packetBytes.prefix(19)))
    }
}

@Test func bogusVersionAndIHL() {
    var b = packetBytes
    b[0] = 0x44
    #expect(throws: NetworkError.badIHL(4)) { try IPv4Header.parse(b) }
    b[0] = 0x4F  // 60-byte header in a packet whose total length is 60: options are the TCP bytes
    #expect(throws: NetworkError.self) { try IPv4Header.parse(b) }
    #expect(throws: NetworkError.headerLengthBeyondData(headerLength: 60, available: 40)) {
        try IPv4Header.parse(Array(b.prefix(40)))
    }
}

@Test func totalLengthChecks() {
    var b = packetBytes
    b[2] = 0x01; b[3] = 0x00
    #expect(throws: NetworkError.totalLengthBeyondData(claimed: 256, available: 60)) { try IPv4Header.parse(b) }
    b[2] = 0x00; b[3] = 0x10
    #expect(throws: NetworkError.totalLengthBelowHeader(totalLength: 16, headerLength: 20)) {
        try IPv4Header.parse(b)
    }
}

@Test func badChecksumReportsBoth() {
    var b = packetBytes
    b[11] ^= 0xFF
    #expect(throws: NetworkError.checksumMismatch(expected: 0x9CBC, actual: 0x9C43)) { try IPv4Header.parse(b) }
    #expect((try? IPv4Header.parse(b, verifyChecksum: false)) != nil)
}

private let badOptionCases: [([UInt8], UInt8)] = [
    ([0x07, 0x00, 0x00, 0x00], 0),  // length 0: must not loop
    ([0x07, 0x01, 0x00, 0x00], 1),  // length 1
    ([0x01, 0x01, 0x07, 0x09], 9),  // runs past the options
    ([0x01, 0x01, 0x01, 0x07], 0)  // no room for the length byte
]

@Test(arguments: badOptionCases)
func badIPOptions(options: [UInt8], length: UInt8) throws {
    var h = sampleHeader()
    h.options = []
    var bytes = try IPv4Packet(header: h, payload: []).emit()
    bytes[0] = 0x46
    bytes.insert(contentsOf: options, at: 20)
    bytes[3] = 24
    bytes[10] = 0; bytes[11] = 0
    let c = naiveChecksum(Array(bytes[0..<24]))
    bytes[10] = UInt8(c >> 8); bytes[11] = UInt8(c & 0xFF)
    let offset = 20 + (options.firstIndex { $0 != 1 } ?? 0)
    #expect(throws: NetworkError.badOptionLength(offset: offset, length: length)) { try IPv4Header.parse(bytes) }
}

@Test func emitRefusesOversizedOptionsAndPayload() {
    var h = sampleHeader()
    h.options = [UInt8](repeating: 1, count: 44)
    #expect(throws: NetworkError.optionsTooLong(44)) { try h.emit() }
    h.options = []
    #expect(throws: NetworkError.payloadTooLarge(65_516)) {
        try IPv4Packet(header: h, payload: [UInt8](repeating: 0, count: 65_516)).emit()
    }
}
