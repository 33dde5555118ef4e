import Testing

@testable import L6Presentation

private func sealed(_ cipher: Cipher = .chaCha20Poly1305, level: Int? = 6) throws -> [UInt8] {
    try encode(encoder(.json, level: level, cipher: cipher), try #require(samples[.json])).bytes
}

private func decodeError(_ bytes: [UInt8], passphrase: String? = passphrase) -> PresentationError? {
    do {
        _ = try PresentationDecoder(passphrase: passphrase).decode(bytes)
        return nil
    } catch {
        return error
    }
}

@Test(arguments: [Cipher.chaCha20Poly1305, .aes256GCM])
func wrongPassphraseIsNamed(cipher: Cipher) throws {
    let bytes = try sealed(cipher)
    #expect(decodeError(bytes, passphrase: "Correct horse battery staple") == .wrongPassphrase)
    #expect(decodeError(bytes, passphrase: nil) == .passphraseRequired)
    #expect(decodeError(bytes) == nil)
}

@Test(arguments: [Cipher.chaCha20Poly1305, .aes256GCM])
func everyKindOfTamperingIsCaught(cipher: Cipher) throws {
    let bytes = try sealed(cipher)
    let F = PresentationHeader.Field.self
    // A header byte changed without fixing the CRC: the CRC catches it.
    var h = bytes
    h[F.contentType] = ContentType.utf8Text.rawValue
    guard case .headerChecksumMismatch = decodeError(h) else { Issue.record("header"); return }
    // The same change with the CRC fixed up: the header is associated data, so the tag fails.
    #expect(decodeError(fixCRC(h)) == .authenticationFailed)
    var lengthField = bytes
    lengthField[F.originalLength + 3] ^= 1
    #expect(decodeError(fixCRC(lengthField)) == .authenticationFailed)
    // Nonce (CRC fixed), ciphertext, and tag.
    var nonce = bytes
    nonce[F.nonce + 5] ^= 0x40
    #expect(decodeError(fixCRC(nonce)) == .authenticationFailed)
    var body = bytes
    body[PresentationHeader.encryptedLength + 3] ^= 0x01
    #expect(decodeError(body) == .authenticationFailed)
    var tag = bytes
    tag[tag.count - 1] ^= 0x80
    #expect(decodeError(tag) == .authenticationFailed)
    // Salt or key check altered (CRC fixed): indistinguishable from a wrong passphrase.
    var salt = bytes
    salt[F.salt] ^= 1
    #expect(decodeError(fixCRC(salt)) == .wrongPassphrase)
    var check = bytes
    check[F.keyCheck] ^= 1
    #expect(decodeError(fixCRC(check)) == .wrongPassphrase)
}

@Test func costlyKDFParametersAreRefusedBeforeDeriving() throws {
    var bytes = try sealed()
    bytes[PresentationHeader.Field.log2N] = 17  // 128 MiB with r = 8
    #expect(decodeError(fixCRC(bytes)) == .kdfTooCostly(memory: 128 << 20, limit: 64 << 20))
}

@Test func truncatedInputAtEveryLengthNeedsMoreBytes() throws {
    for bytes in [try sealed(), try sealed(.none), try sealed(.aes256GCM, level: nil)] {
        for n in 0..<bytes.count {
            #expect(try PresentationDecoder(passphrase: passphrase).decode(Array(bytes[0..<n])) == nil, "prefix \(n)")
        }
        #expect(try PresentationDecoder(passphrase: passphrase).decode(bytes + [0xEE])?.consumed == bytes.count)
    }
}

@Test func damagedBytesNeverTrapAndAreNeverAccepted() throws {
    for bytes in [try sealed(), try sealed(.none)] {
        for i in 0..<bytes.count {
            var b = bytes
            b[i] ^= 0x5A
            let decoded = try? PresentationDecoder(passphrase: passphrase).decode(b)
            // Either refused (thrown) or waiting for bytes a damaged length field promised.
            #expect(decoded == nil, "byte \(i)")
        }
    }
}

@Test func damagedDeflateIsReportedByZlib() throws {
    var bytes = try encode(encoder(.utf8Text, level: 9), try #require(samples[.utf8Text])).bytes
    bytes[bytes.count - 2] ^= 0xFF  // inside the Adler-32
    guard case .corruptDeflate = decodeError(bytes) else { Issue.record("not caught"); return }
}

@Test func decompressionBombStopsAtTheLimit() throws {
    let zeros = [UInt8](repeating: 0, count: 10_000_000)
    let bomb = try encode(encoder(.binary, level: 9), zeros).bytes
    #expect(bomb.count < 20_000)
    let limit = 1 << 20
    // An honest header is refused before anything is inflated.
    #expect(throws: PresentationError.contentTooLarge(10_000_000, limit: limit)) {
        try PresentationDecoder(maxContentLength: limit).decode(bomb)
    }
    // A header lying about the length: inflating stops one byte past what it declared.
    var lying = bomb
    let declared = UInt32(limit)
    for k in 0..<4 {
        lying[PresentationHeader.Field.originalLength + k] = UInt8(declared >> (24 - 8 * UInt32(k)) & 0xFF)
    }
    #expect(throws: PresentationError.inflatedBeyondLimit(limit: limit)) {
        try PresentationDecoder(maxContentLength: limit).decode(fixCRC(lying))
    }
    #expect(throws: PresentationError.inflatedBeyondLimit(limit: 1000)) {
        try Deflate.decompress(Array(bomb.dropFirst(18)), limit: 1000)
    }
    #expect(try Deflate.decompress(Array(bomb.dropFirst(18)), limit: 10_000_000).count == 10_000_000)
}

@Test func bodyLengthsThatCannotBeRightAreRefused() throws {
    var bytes = try sealed(.none, level: nil)
    bytes[PresentationHeader.Field.bodyLength + 3] ^= 1
    guard case .badBodyLength = decodeError(fixCRC(bytes)) else { Issue.record("not caught"); return }
}

@Test func emptyPassphraseIsRefusedOnBothSides() throws {
    var e = encoder(.utf8Text, cipher: .chaCha20Poly1305)
    e.encryption?.passphrase = ""
    #expect(throws: PresentationError.emptyPassphrase) { try e.encode([0x61]) }
    #expect(decodeError(try sealed(), passphrase: "") == .emptyPassphrase)
}
