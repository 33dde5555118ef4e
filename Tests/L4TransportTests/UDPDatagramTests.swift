import Testing

@testable import L4Transport

// A DNS query for example.com A, 192.168.0.104:53000 → 8.8.8.8:53.
private let datagramBytes: [UInt8] = [
    0xCF, 0x08, 0x00, 0x35, 0x00, 0x25, 0x7D, 0xA4,
    0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x07, 0x65, 0x78, 0x61, 0x6D, 0x70, 0x6C, 0x65, 0x03, 0x63, 0x6F, 0x6D, 0x00, 0x00, 0x01, 0x00, 0x01
]
private let src: [UInt8] = [192, 168, 0, 104]
private let dst: [UInt8] = [8, 8, 8, 8]
private let payload = Array(datagramBytes[8...])

private func pseudo() throws -> PseudoHeader {
    try PseudoHeader(source: src, destination: dst, protocolNumber: PseudoHeader.udp)
}

@Test func udpVectorChecksumIsRight() {
    var zeroed = datagramBytes
    zeroed[6] = 0; zeroed[7] = 0
    #expect(naivePseudoChecksum(source: src, destination: dst, protocolNumber: 17, segment: zeroed) == 0x7DA4)
}

@Test func udpDeconstruct() throws {
    let h = try UDPHeader.parse(datagramBytes)
    #expect(h.sourcePort == 53000)
    #expect(h.destinationPort == 53)
    #expect(h.length == 37)
    #expect(h.checksum == 0x7DA4)
}

@Test func udpConstruct() {
    #expect(
        UDPHeader(sourcePort: 53000, destinationPort: 53, length: 37, checksum: 0x7DA4).emit()
            == Array(datagramBytes[0..<8]))
}

@Test func udpParse() throws {
    let d = try UDPDatagram.parse(datagramBytes, pseudoHeader: pseudo())
    #expect(
        d
            == UDPDatagram(
                header: UDPHeader(sourcePort: 53000, destinationPort: 53, length: 37, checksum: 0x7DA4),
                payload: payload))
    #expect(try UDPDatagram.parse(datagramBytes + [0, 0], pseudoHeader: pseudo()).payload == payload)
}

@Test func udpEmit() throws {
    #expect(
        try UDPDatagram(sourcePort: 53000, destinationPort: 53, payload: payload).emit(pseudoHeader: pseudo())
            == datagramBytes)
    var none = datagramBytes
    none[6] = 0; none[7] = 0
    #expect(try UDPDatagram(sourcePort: 53000, destinationPort: 53, payload: payload).emit(pseudoHeader: nil) == none)
}

@Test func udpZeroChecksumMeansNoneAndComputedZeroIsSentAsFFFF() throws {
    var none = datagramBytes
    none[6] = 0; none[7] = 0
    none[9] ^= 0xFF  // damage would be caught by a checksum, but there is none
    #expect(try UDPDatagram.parse(none, pseudoHeader: pseudo()).header.checksum == 0)
    // Choose the last payload word (word-aligned: even length) so the computed checksum is 0.
    var p = Array(payload.dropLast()) + [0, 0]
    let zeroedWord = try UDPDatagram(sourcePort: 1, destinationPort: 2, payload: p).emit(pseudoHeader: nil)
    let c = naivePseudoChecksum(source: src, destination: dst, protocolNumber: 17, segment: zeroedWord)
    p[p.count - 2] = UInt8(c >> 8); p[p.count - 1] = UInt8(c & 0xFF)
    let bytes = try UDPDatagram(sourcePort: 1, destinationPort: 2, payload: p).emit(pseudoHeader: pseudo())
    #expect(bytes[6] == 0xFF && bytes[7] == 0xFF)
    #expect(try UDPDatagram.parse(bytes, pseudoHeader: pseudo()).payload == p)
}

@Test func udpBadInput() throws {
    #expect(throws: TransportError.truncated(needed: 8, available: 7)) {
        try UDPHeader.parse(Array(datagramBytes.prefix(7)))
    }
    var b = datagramBytes
    b[5] = 7
    #expect(throws: TransportError.udpLengthBelowHeader(7)) { try UDPHeader.parse(b) }
    b[5] = 38
    #expect(throws: TransportError.udpLengthBeyondData(claimed: 38, available: 37)) { try UDPHeader.parse(b) }
    b = datagramBytes
    b[7] ^= 0x01
    #expect(throws: TransportError.checksumMismatch(expected: 0x7DA4, actual: 0x7DA5)) {
        try UDPDatagram.parse(b, pseudoHeader: pseudo())
    }
    // The wrong address in the pseudo-header is caught too.
    let other = try PseudoHeader(source: src, destination: [8, 8, 4, 4], protocolNumber: PseudoHeader.udp)
    #expect(throws: TransportError.self) { try UDPDatagram.parse(datagramBytes, pseudoHeader: other) }
    #expect(throws: TransportError.badPseudoHeaderAddresses(source: 4, destination: 3)) {
        try PseudoHeader(source: src, destination: [1, 2, 3], protocolNumber: 17)
    }
    #expect(throws: TransportError.datagramTooLarge(65_536)) {
        try UDPDatagram(sourcePort: 1, destinationPort: 2, payload: [UInt8](repeating: 0, count: 65_528)).emit(
            pseudoHeader: nil)
    }
}
