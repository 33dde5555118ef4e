import Testing

@testable import L5Session

// DATA unit #3 of session 0102030405060708, resent, 5 units / 9 bytes, a checkpoint every 4
// units, recording 2, payload "hi". CRC-32 0x5DB84620 computed independently (Python zlib.crc32).
private let vector: [UInt8] = [
    0x53, 0x35, 0x01, 0x02, 0x01, 0x00, 0x00, 0x02,
    0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
    0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x09,
    0x00, 0x04, 0x00, 0x02, 0x5D, 0xB8, 0x46, 0x20,
    0x68, 0x69
]

private let unit = SPDU(
    type: .data, flags: .resent, sessionID: SessionID(0x0102_0304_0506_0708), sequence: 3,
    checkpoint: 0, totalUnits: 5, totalLength: 9, checkpointInterval: 4, recording: 2,
    payload: Array("hi".utf8))

@Test func spduDeconstruct() throws {
    let parsed = try #require(try SPDU.parse(vector))
    let s = parsed.spdu
    #expect(parsed.consumed == 42)
    #expect(s.type == .data)
    #expect(s.flags == .resent)
    #expect(s.sessionID.description == "0102030405060708")
    #expect(s.sequence == 3)
    #expect(s.checkpoint == 0)
    #expect(s.totalUnits == 5)
    #expect(s.totalLength == 9)
    #expect(s.checkpointInterval == 4)
    #expect(s.recording == 2)
    #expect(s.payload == [0x68, 0x69])
}

@Test func spduConstruct() throws {
    #expect(try unit.emit() == vector)
}

@Test func spduParse() throws {
    #expect(try SPDU.parse(vector)?.spdu == unit)
    // Trailing bytes are left for the caller; parsing from an offset works the same.
    #expect(try SPDU.parse(vector + [0xAA])?.consumed == 42)
    #expect(try SPDU.parse([0xFF, 0xFF] + vector, at: 2)?.spdu == unit)
}

@Test func spduEmit() throws {
    var u = unit
    u.payload = []
    let bytes = try u.emit()
    #expect(bytes.count == SPDU.headerLength)
    #expect(Array(bytes[SPDU.Field.payloadLength..<SPDU.Field.payloadLength + 2]) == [0, 0])
    #expect(try SPDU.parse(bytes)?.spdu == u)
    u.payload = [UInt8](repeating: 0, count: 65_536)
    #expect(throws: SessionError.payloadTooLarge(65_536)) { try u.emit() }
}

@Test func sessionIDPrintsSixteenHexDigits() {
    #expect(SessionID(0x1122).description == "0000000000001122")
    #expect(SessionID(.max).description == "ffffffffffffffff")
}

@Test func truncatedAtEveryLengthNeedsMoreBytes() throws {
    for n in 0..<vector.count {
        #expect(try SPDU.parse(Array(vector[0..<n])) == nil, "prefix \(n)")
    }
}

@Test func damagedBytesAreReported() throws {
    var magic = vector
    magic[1] = 0x36
    #expect(throws: SessionError.badMagic(0x5336)) { try SPDU.parse(magic) }
    #expect(throws: SessionError.badMagic(0x0000)) { try SPDU.parse([0x00]) }
    var version = vector
    version[2] = 9
    #expect(throws: SessionError.unsupportedVersion(9)) { try SPDU.parse(version) }
    var flipped = vector
    flipped[19] ^= 0x01  // sequence 3 → 2
    #expect(throws: SessionError.checksumMismatch(expected: crc(flipped), actual: 0x5DB8_4620)) {
        try SPDU.parse(flipped)
    }
    var payload = vector
    payload[41] ^= 0x20
    #expect(throws: (any Error).self) { try SPDU.parse(payload) }
    // An unknown type with a correct CRC is refused as such.
    var type = vector
    type[3] = 0x7F
    let fixed = crc(type)
    type[36] = UInt8(fixed >> 24); type[37] = UInt8(fixed >> 16 & 0xFF)
    type[38] = UInt8(fixed >> 8 & 0xFF); type[39] = UInt8(fixed & 0xFF)
    #expect(throws: SessionError.unknownType(0x7F)) { try SPDU.parse(type) }
}

@Test func everySingleBitFlipIsCaughtAndNothingTraps() {
    for i in 0..<vector.count {
        for bit in 0..<8 {
            var b = vector
            b[i] ^= 1 << UInt8(bit)
            // A flip in the length field may leave the SPDU "incomplete" (nil); otherwise it throws.
            let result = try? SPDU.parse(b)
            #expect(result == nil, "byte \(i) bit \(bit)")
        }
    }
}

@Test func descriptionIsOneTraceLine() {
    #expect(unit.description == "DATA 0102030405060708 #3 cp0 2 B resent")
}

/// The CRC-32 the parser computes over a vector's header (without the CRC field) and payload.
func crc(_ bytes: [UInt8]) -> UInt32 {
    var c = CRC32Reference()
    c.update(bytes[0..<36])
    c.update(bytes[40...])
    return c.value
}

/// A bitwise CRC-32 (IEEE), written independently of the one in `Checksums`.
struct CRC32Reference {
    var register: UInt32 = 0xFFFF_FFFF
    mutating func update(_ bytes: ArraySlice<UInt8>) {
        for b in bytes {
            register ^= UInt32(b)
            for _ in 0..<8 { register = register & 1 != 0 ? (register >> 1) ^ 0xEDB8_8320 : register >> 1 }
        }
    }
    var value: UInt32 { register ^ 0xFFFF_FFFF }
}
