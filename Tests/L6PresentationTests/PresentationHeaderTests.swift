import Testing

@testable import L6Presentation

// JSON, no compression, not encrypted, 2 content bytes, 2 body bytes; CRC-32 0x062B474A
// computed independently (Python zlib.crc32).
let plainVector: [UInt8] = [
    0x50, 0x36, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
    0x00, 0x00, 0x00, 0x02, 0x06, 0x2B, 0x47, 0x4A
]

// UTF-8 text, deflate, ChaCha20-Poly1305, 40 content bytes, 33 body bytes, scrypt N=2^10 r=8 p=1,
// salt 00…0F, nonce 10…1B, key check AABBCCDD; CRC-32 0x4352C1D7 (Python zlib.crc32).
let encryptedVector: [UInt8] = [
    0x50, 0x36, 0x01, 0x01, 0x01, 0x01, 0x00, 0x00, 0x00, 0x28, 0x00, 0x00, 0x00, 0x21,
    0x01, 0x0A, 0x08, 0x01,
    0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F,
    0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1A, 0x1B,
    0xAA, 0xBB, 0xCC, 0xDD,
    0x43, 0x52, 0xC1, 0xD7
]

let plainHeader = PresentationHeader(contentType: .json, compression: .none, originalLength: 2, bodyLength: 2)

func encryptedHeader() throws -> PresentationHeader {
    PresentationHeader(
        contentType: .utf8Text, compression: .deflate, cipher: .chaCha20Poly1305,
        originalLength: 40, bodyLength: 33,
        encryption: .init(
            scrypt: try ScryptParameters(log2N: 10, r: 8, p: 1),
            salt: Array(0x00...0x0F), nonce: Array(0x10...0x1B),
            keyCheck: [0xAA, 0xBB, 0xCC, 0xDD]))
}

@Test func headerDeconstruct() throws {
    let h = try #require(try PresentationHeader.parse(plainVector + [0x34, 0x32]))
    #expect(h.contentType == .json)
    #expect(h.compression == .none)
    #expect(h.cipher == .none)
    #expect(h.originalLength == 2 && h.bodyLength == 2)
    #expect(h.encryption == nil)
    #expect(h.length == 18)
    let e = try #require(try PresentationHeader.parse(encryptedVector))
    #expect(e.contentType == .utf8Text && e.compression == .deflate && e.cipher == .chaCha20Poly1305)
    #expect(e.originalLength == 40 && e.bodyLength == 33 && e.length == 54)
    #expect(e.encryption?.scrypt.description == "scrypt N=2^10 r=8 p=1")
    #expect(e.encryption?.salt == Array(0x00...0x0F))
    #expect(e.encryption?.nonce == Array(0x10...0x1B))
    #expect(e.encryption?.keyCheck == [0xAA, 0xBB, 0xCC, 0xDD])
}

@Test func headerConstruct() throws {
    #expect(plainHeader.emit() == plainVector)
    #expect(try encryptedHeader().emit() == encryptedVector)
}

@Test func headerParse() throws {
    #expect(try PresentationHeader.parse(plainVector) == plainHeader)
    #expect(try PresentationHeader.parse(encryptedVector) == encryptedHeader())
}

@Test func headerEmit() throws {
    for h in [plainHeader, try encryptedHeader()] {
        #expect(try PresentationHeader.parse(h.emit()) == h)
        #expect(h.emit().count == h.length)
    }
}

@Test func headerPrefixesNeedMoreBytes() throws {
    for vector in [plainVector, encryptedVector] {
        for n in 0..<vector.count { #expect(try PresentationHeader.parse(Array(vector[0..<n])) == nil, "prefix \(n)") }
    }
}

@Test func badHeaderBytesAreNamed() throws {
    #expect(throws: PresentationError.badMagic(0x0000)) { try PresentationHeader.parse([0x00]) }
    var v = plainVector
    v[1] = 0x35
    #expect(throws: PresentationError.badMagic(0x5035)) { try PresentationHeader.parse(v) }
    v = plainVector; v[2] = 2
    #expect(throws: PresentationError.unsupportedVersion(2)) { try PresentationHeader.parse(v) }
    v = plainVector; v[5] = 9
    #expect(throws: PresentationError.unknownCipher(9)) { try PresentationHeader.parse(v) }
    v = plainVector; v[9] = 3
    #expect(throws: PresentationError.headerChecksumMismatch(expected: crc32(v[0..<14]), actual: 0x062B_474A)) {
        try PresentationHeader.parse(v)
    }
    v = plainVector; v[3] = 7
    #expect(throws: PresentationError.unknownContentType(7)) { try PresentationHeader.parse(fixCRC(v)) }
    v = plainVector; v[4] = 7
    #expect(throws: PresentationError.unknownCompression(7)) { try PresentationHeader.parse(fixCRC(v)) }
    v = encryptedVector; v[14] = 2
    #expect(throws: PresentationError.unknownKDF(2)) { try PresentationHeader.parse(fixCRC(v)) }
    v = encryptedVector; v[15] = 0
    #expect(throws: PresentationError.badKDFParameters(log2N: 0, r: 8, p: 1)) {
        try PresentationHeader.parse(fixCRC(v))
    }
}

/// Rewrites the header CRC so a deliberate change passes the CRC check.
func fixCRC(_ bytes: [UInt8]) -> [UInt8] {
    var b = bytes
    let at =
        b[PresentationHeader.Field.cipher] == 0
        ? PresentationHeader.Field.crcPlain : PresentationHeader.Field.crcEncrypted
    let c = crc32(b[0..<at])
    b[at] = UInt8(c >> 24); b[at + 1] = UInt8(c >> 16 & 0xFF); b[at + 2] = UInt8(c >> 8 & 0xFF);
    b[at + 3] = UInt8(c & 0xFF)
    return b
}
