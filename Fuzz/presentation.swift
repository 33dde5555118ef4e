// Fuzz target `presentation`: the presentation header parser and the decoder (header CRC,
// scrypt + AEAD, bounded inflate, UTF-8/JSON checks).
// Input: a control byte, encoder settings and a content record (round trip), a bomb size, then
// raw bytes that are decoded as they are or with the header CRC fixed up (so the fuzzer gets
// past the CRC to the body, the KDF fields and zlib).
// Properties:
//   - a header that parses re-emits to the bytes it came from;
//   - whatever decodes has exactly the declared length, within maxContentLength, and used no
//     more bytes than given; scrypt parameters beyond maxKDFMemory (64 KiB here, so no input
//     costs more than a millisecond of key derivation) are refused before deriving;
//   - encoder → decoder gives the content back, with any compression level, either cipher and
//     small scrypt parameters; a wrong passphrase is `wrongPassphrase`, none is
//     `passphraseRequired`; any damaged body byte of an encrypted message is
//     `authenticationFailed`; a damaged header byte never decodes;
//   - a decompression bomb (up to 64 KiB of zeros declared as fewer bytes) stops with
//     `inflatedBeyondLimit` at the declared length.
import L6Presentation

/// SplitMix64: salt and nonce from the input, so a run can be replayed.
private struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

private let kdfLimit = 64 << 10
private let contentLimit = 1 << 17

/// Decodes and checks what any successful decode must satisfy.
@discardableResult
private func decode(_ decoder: PresentationDecoder, _ bytes: [UInt8]) -> Result<PresentationDecoded?, PresentationError> {
    let header = try? PresentationHeader.parse(bytes)
    let result = Result { () throws(PresentationError) in try decoder.decode(bytes) }
    switch result {
    case .success(let out?):
        fuzzCheck(header != nil, "decoded without a header")
        fuzzCheck(out.content.count == Int(header!.originalLength), "decoded \(out.content.count) of \(header!.originalLength) bytes")
        fuzzCheck(out.content.count <= decoder.maxContentLength, "decoded beyond maxContentLength")
        fuzzCheck(out.consumed <= bytes.count && out.consumed == header!.length + Int(header!.bodyLength), "consumed \(out.consumed)")
        if let e = header!.encryption { fuzzCheck(e.scrypt.memory <= decoder.maxKDFMemory, "derived with \(e.scrypt)") }
        _ = out.report.description
    case .success(nil):
        break
    case .failure(let error):
        switch error {
        case .wrongPassphrase, .authenticationFailed:
            if let e = header?.encryption { fuzzCheck(e.scrypt.memory <= decoder.maxKDFMemory, "derived with \(e.scrypt)") }
        case .kdfTooCostly(let memory, let limit):
            fuzzCheck(memory > limit && limit == decoder.maxKDFMemory, "kdfTooCostly(\(memory), \(limit))")
        case .inflatedBeyondLimit(let limit):
            fuzzCheck(limit == Int(header?.originalLength ?? 0), "inflate limit \(limit)")
        default:
            break
        }
    }
    return result
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPresentation(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let control = input.byte()

    // Round trip through the encoder.
    let settings = input.take(4) + [0, 0, 0, 0]
    var content = input.record(wide: true)
    if content.count > 4096 { content.removeLast(content.count - 4096) }
    let contentType: ContentType = String(validating: content, as: UTF8.self) != nil && settings[0] & 1 != 0 ? .utf8Text : .binary
    let level: Int? = settings[0] & 2 == 0 ? nil : Int(settings[1] % 10)
    var encryption: EncryptionSettings?
    if settings[0] & 4 != 0, let kdf = try? ScryptParameters(log2N: 1 + settings[2] % 4, r: 1 + settings[3] % 4, p: 1 + settings[3] >> 7) {
        encryption = EncryptionSettings(cipher: settings[0] & 8 == 0 ? .chaCha20Poly1305 : .aes256GCM, passphrase: "fuzz", scrypt: kdf)
    }
    var rng = SplitMix(state: UInt64(settings[1]) << 8 | UInt64(settings[2]))
    do {
        let encoded = try PresentationEncoder(contentType: contentType, compressionLevel: level, encryption: encryption)
            .encode(content, using: &rng)
        let bytes = encoded.bytes
        let decoder = PresentationDecoder(passphrase: "fuzz", maxContentLength: contentLimit, maxKDFMemory: kdfLimit)
        guard case .success(let out?) = decode(decoder, bytes) else {
            fuzzCheck(false, "own message did not decode: \(decode(decoder, bytes))")
            return 0
        }
        fuzzCheck(out.content == content && out.consumed == bytes.count, "round trip changed the content")
        let headerLength = encryption == nil ? PresentationHeader.plainLength : PresentationHeader.encryptedLength
        if encryption != nil {
            var wrong = decoder
            wrong.passphrase = "fuzz!"
            if case .failure(.wrongPassphrase) = decode(wrong, bytes) {} else { fuzzCheck(false, "wrong passphrase not refused") }
            wrong.passphrase = nil
            if case .failure(.passphraseRequired) = decode(wrong, bytes) {} else { fuzzCheck(false, "no passphrase not refused") }
            if bytes.count > headerLength {
                var damaged = bytes
                damaged[headerLength + input.below(bytes.count - headerLength)] ^= input.byte() | 1
                if case .failure(.authenticationFailed) = decode(decoder, damaged) {} else {
                    fuzzCheck(false, "damaged ciphertext not refused")
                }
            }
        }
        var damaged = bytes
        damaged[input.below(headerLength)] ^= input.byte() | 1
        if case .success(_?) = decode(decoder, damaged) { fuzzCheck(false, "damaged header decoded") }
    } catch {
        fuzzCheck(false, "encoder refused: \(error)")
    }

    // A decompression bomb: zeros declared as fewer bytes than they inflate to.
    let zeros = 1024 * (1 + Int(input.byte() % 64))
    if let bomb = try? PresentationEncoder(compressionLevel: 9).encode([UInt8](repeating: 0, count: zeros)).bytes,
       var header = try? PresentationHeader.parse(bomb) {
        let body = Array(bomb[header.length...])
        let declared = body.count + 1 + input.below(zeros - body.count - 1)
        header.originalLength = UInt32(declared)
        let decoder = PresentationDecoder(maxContentLength: contentLimit, maxKDFMemory: kdfLimit)
        let result = decode(decoder, header.emit() + body)
        guard case .failure(.inflatedBeyondLimit(let limit)) = result, limit == declared else {
            fuzzCheck(false, "bomb of \(zeros) bytes declared \(declared): \(result)")
            return 0
        }
    } else {
        fuzzCheck(false, "bomb not built")
    }

    // Raw bytes, as they are or with the header CRC made right.
    var raw = input.rest()
    if control & 1 != 0, raw.count >= PresentationHeader.plainLength {
        let crcAt = raw[PresentationHeader.Field.cipher] == 0 ? PresentationHeader.Field.crcPlain : PresentationHeader.Field.crcEncrypted
        if raw.count >= crcAt + 4 {
            let crc = crc32(raw[0..<crcAt])
            raw[crcAt] = UInt8(crc >> 24); raw[crcAt + 1] = UInt8((crc >> 16) & 0xFF)
            raw[crcAt + 2] = UInt8((crc >> 8) & 0xFF); raw[crcAt + 3] = UInt8(crc & 0xFF)
        }
    }
    if let header = try? PresentationHeader.parse(raw) {
        fuzzCheck(header.emit()[...] == raw[0..<header.length], "header re-emits differently")
    }
    let passphrase: String? = control & 2 == 0 ? "fuzz" : nil
    decode(PresentationDecoder(passphrase: passphrase, maxContentLength: Int(control >> 2) << 11, maxKDFMemory: kdfLimit), raw)
    return 0
}

/// CRC-32 (IEEE, reflected), as zlib's crc32 computes it.
private func crc32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for b in bytes {
        crc ^= UInt32(b)
        for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }
    return ~crc
}
