import Testing

@testable import Checksums

private let check = Array("123456789".utf8)

@Test func crc32CheckValue() {
    #expect(CRC32.checksum(check) == 0xCBF4_3926)
    #expect(CRC32.checksum([UInt8]()) == 0)
}

@Test func crc32IncrementalMatchesOneShot() {
    var rng = SystemRandomNumberGenerator()
    let data = (0..<1000).map { _ in UInt8.random(in: 0...255, using: &rng) }
    for split in [0, 1, 7, 8, 9, 500, 999, 1000] {
        var crc = CRC32()
        crc.update(data[..<split])
        crc.update(data[split...])
        #expect(crc.value == CRC32.checksum(data))
    }
    // Bitwise reference.
    var reg: UInt32 = 0xFFFF_FFFF
    for b in data {
        reg ^= UInt32(b)
        for _ in 0..<8 { reg = reg & 1 != 0 ? (reg >> 1) ^ 0xEDB8_8320 : reg >> 1 }
    }
    #expect(CRC32.checksum(data) == ~reg)
}

@Test func shortCRCCheckValues() {
    #expect(CRC16.x25.checksum(check) == 0x906E)
    #expect(CRC16.ccittFalse.checksum(check) == 0x29B1)
    #expect(CRC8.smbus.checksum(check) == 0xF4)
    #expect(CRC8.autosar.checksum(check) == 0xDF)
}

@Test func internetChecksumRFC1071Example() {
    // RFC 1071 section 3: words 0001 f203 f4f5 f6f7 sum to ddf2, checksum 220d.
    let bytes: [UInt8] = [0x00, 0x01, 0xF2, 0x03, 0xF4, 0xF5, 0xF6, 0xF7]
    #expect(InternetChecksum.checksum(bytes) == 0x220D)
    // A header that includes its own checksum sums to zero.
    #expect(InternetChecksum.checksum(bytes + [0x22, 0x0D]) == 0)
    // Odd length pads with a zero byte; feeding in pieces gives the same.
    var pieces = InternetChecksum()
    pieces.add(bytes[0..<3]); pieces.add(bytes[3...])
    #expect(pieces.value == 0x220D)
    #expect(InternetChecksum.checksum([0xAB]) == ~UInt16(0xAB00))
}
