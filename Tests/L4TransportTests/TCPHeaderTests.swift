import Testing

@testable import L4Transport

// A Linux-style SYN, 192.168.0.104:41154 → 192.168.0.1:80, with MSS, SACK-permitted, timestamps,
// NOP and window scale options.
private let synBytes: [UInt8] = [
    0xA0, 0xC2, 0x00, 0x50, 0x8F, 0x2B, 0x7E, 0x1E, 0x00, 0x00, 0x00, 0x00, 0xA0, 0x02, 0xFA, 0xF0,
    0xF5, 0x38, 0x00, 0x00, 0x02, 0x04, 0x05, 0xB4, 0x04, 0x02, 0x08, 0x0A, 0x00, 0x9C, 0x27, 0x24,
    0x00, 0x00, 0x00, 0x00, 0x01, 0x03, 0x03, 0x07
]
private let src: [UInt8] = [192, 168, 0, 104]
private let dst: [UInt8] = [192, 168, 0, 1]

private func pseudo() throws -> PseudoHeader {
    try PseudoHeader(source: src, destination: dst, protocolNumber: PseudoHeader.tcp)
}

private let synOptions: [TCPOption] = [
    .maximumSegmentSize(1460), .sackPermitted, .timestamps(value: 0x009C_2724, echoReply: 0), .noOperation,
    .windowScale(7)
]

private func synHeader() -> TCPHeader {
    TCPHeader(
        sourcePort: 41154, destinationPort: 80, sequenceNumber: 0x8F2B_7E1E, flags: .syn, window: 64240,
        checksum: 0xF538, options: synOptions)
}

@Test func synVectorChecksumIsRight() {
    var zeroed = synBytes
    zeroed[16] = 0; zeroed[17] = 0
    #expect(naivePseudoChecksum(source: src, destination: dst, protocolNumber: 6, segment: zeroed) == 0xF538)
}

@Test func tcpDeconstruct() throws {
    #expect(synBytes[TCPHeader.Field.dataOffset] >> 4 == 10)
    #expect(synBytes[TCPHeader.Field.flags] == TCPFlags.syn.rawValue)
    let h = try TCPHeader.parse(synBytes)
    #expect(h.sourcePort == 41154 && h.destinationPort == 80)
    #expect(h.sequenceNumber == 0x8F2B_7E1E && h.acknowledgmentNumber == 0)
    #expect(h.flags == .syn)
    #expect(h.window == 64240)
    #expect(h.checksum == 0xF538)
    #expect(h.urgentPointer == 0)
    #expect(h.headerLength == 40)
    #expect(h.maximumSegmentSize == 1460)
    #expect(h.options == synOptions)
}

@Test func tcpConstruct() throws {
    #expect(try synHeader().emit() == synBytes)
}

@Test func tcpParse() throws {
    let s = try TCPSegment.parse(synBytes, pseudoHeader: pseudo())
    #expect(s == TCPSegment(header: synHeader(), payload: []))
    #expect(s.sequenceLength == 1)
}

@Test func tcpEmit() throws {
    var h = synHeader()
    h.checksum = 0xDEAD  // recomputed
    #expect(try TCPSegment(header: h).emit(pseudoHeader: pseudo()) == synBytes)
}

@Test func segmentWithPayloadRoundTrip() throws {
    let body = Array("POST /submit HTTP/1.1\r\nHost: example\r\nContent-Length: 5\r\n\r\nhello".utf8)
    let h = TCPHeader(
        sourcePort: 41154, destinationPort: 80, sequenceNumber: 0x8F2B_7E1F, acknowledgmentNumber: 0x1111_2222,
        flags: [.ack, .psh], window: 502,
        options: [
            .noOperation, .noOperation,
            .sack([SACKBlock(left: 1, right: 2), SACKBlock(left: 0xFFFF_FFF0, right: 0x10)])
        ])
    let bytes = try TCPSegment(header: h, payload: body).emit(pseudoHeader: pseudo())
    var zeroed = bytes
    zeroed[16] = 0; zeroed[17] = 0
    let c = naivePseudoChecksum(source: src, destination: dst, protocolNumber: 6, segment: zeroed)
    #expect(UInt16(bytes[16]) << 8 | UInt16(bytes[17]) == c)
    let back = try TCPSegment.parse(bytes, pseudoHeader: pseudo())
    #expect(back.payload == body)
    #expect(back.header.sackBlocks.count == 2)
    #expect(back.header.flags.description == "PSH|ACK")
    #expect(back.sequenceLength == body.count)
}

@Test func allOptionKindsRoundTrip() throws {
    let opts: [TCPOption] = [
        .maximumSegmentSize(536), .windowScale(14), .sackPermitted, .noOperation,
        .timestamps(value: 1, echoReply: 2), .unknown(kind: 30, data: [9, 9]), .noOperation
    ]
    let h = TCPHeader(sourcePort: 1, destinationPort: 2, options: opts)
    let b = try h.emit()
    #expect(b.count == 20 + 28)  // 25 option bytes padded to 28
    #expect(try TCPHeader.parse(b).options == opts)
    var tooMany = h
    tooMany.options = [
        .sack((0..<5).map { SACKBlock(left: SequenceNumber(UInt32($0)), right: SequenceNumber(UInt32($0 + 1))) })
    ]
    #expect(throws: TransportError.optionsTooLong(44)) { try tooMany.emit() }
}

@Test func flagsAndSequenceNumbers() {
    #expect(TCPFlags([.syn, .ack]).description == "SYN|ACK")
    #expect(TCPFlags([.fin, .syn, .rst, .psh, .ack, .urg, .ece, .cwr]).rawValue == 0xFF)
    let top: SequenceNumber = 0xFFFF_FFF0
    #expect((top + 32).rawValue == 0x10)
    #expect((top + 32) - top == 32)
    #expect(top - (top + 32) == -32)
    #expect(top < top + 32 && top + 32 > top && top <= top && !(top + 1 <= top))
}

// MARK: Bad input

@Test func tcpTruncatedAndBadDataOffset() {
    #expect(throws: TransportError.truncated(needed: 20, available: 19)) {
        try TCPHeader.parse(Array(synBytes.prefix(19)))
    }
    var b = synBytes
    b[12] = 0x40
    #expect(throws: TransportError.badDataOffset(4)) { try TCPHeader.parse(b) }
    b[12] = 0xF0
    #expect(throws: TransportError.dataOffsetBeyondData(headerLength: 60, available: 40)) { try TCPHeader.parse(b) }
}

@Test func tcpBadChecksum() throws {
    var b = synBytes
    b[17] = 0x39
    #expect(throws: TransportError.checksumMismatch(expected: 0xF538, actual: 0xF539)) {
        try TCPSegment.parse(b, pseudoHeader: pseudo())
    }
    #expect((try? TCPSegment.parse(b, pseudoHeader: nil)) != nil)
}

private let badOptions: [([UInt8], UInt8, UInt8)] = [
    ([0x1E, 0x00, 0x01, 0x01], 0x1E, 0),  // length 0
    ([0x1E, 0x01, 0x01, 0x01], 0x1E, 1),  // length 1
    ([0x01, 0x1E, 0x05, 0x00], 0x1E, 5),  // beyond the header
    ([0x01, 0x01, 0x01, 0x1E], 0x1E, 0),  // no room for the length byte
    ([0x02, 0x03, 0x05, 0x01], 2, 3),  // MSS must be 4 long
    ([0x03, 0x02, 0x01, 0x01], 3, 2),  // window scale must be 3 long
    ([0x04, 0x03, 0x00, 0x01], 4, 3),  // SACK-permitted must be 2 long
    ([0x05, 0x04, 0x00, 0x00], 5, 4),  // SACK needs whole blocks
    ([0x08, 0x04, 0x00, 0x00], 8, 4)  // timestamps must be 10 long
]

@Test(arguments: badOptions)
func tcpBadOptionLengths(options: [UInt8], kind: UInt8, length: UInt8) {
    var b = Array(synBytes[0..<20]) + options
    b[12] = 0x60
    #expect(throws: TransportError.badOptionLength(kind: kind, length: length)) { try TCPHeader.parse(b) }
}

@Test func optionListStopsAtEndOfList() throws {
    var b = Array(synBytes[0..<20]) + [0x01, 0x00, 0xFF, 0xFF]
    b[12] = 0x60
    #expect(try TCPHeader.parse(b).options == [.noOperation])
}
