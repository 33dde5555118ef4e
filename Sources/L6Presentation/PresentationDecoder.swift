/// The receiving side of the presentation layer: checks the header, derives the key from the
/// passphrase and opens the AEAD, inflates within a limit, and checks the content against its type.
///
///     let dec = PresentationDecoder(passphrase: "correct horse", maxContentLength: 1 << 20)
///     if let out = try dec.decode(bytes) {   // nil: need more bytes
///         out.content                         // the original bytes
///         print(out.report)                   // [L6] decode: ChaCha20-Poly1305, …, tag verified; inflate …
///     }
///
/// Every length is checked before memory is used for it: a header claiming more content than
/// `maxContentLength` is refused, inflating stops one byte past the declared length, and scrypt
/// parameters needing more than `maxKDFMemory` are refused before deriving.
public struct PresentationDecoder: Sendable {
    /// The passphrase for encrypted messages; nil refuses them.
    public var passphrase: String?
    /// Longest content in bytes accepted (checked against the header before inflating); 16 MiB by default.
    public var maxContentLength: Int
    /// Most memory in bytes a header's scrypt parameters may demand; 64 MiB by default.
    public var maxKDFMemory: Int

    /// A decoder with the given passphrase and limits.
    public init(passphrase: String? = nil, maxContentLength: Int = 16 << 20, maxKDFMemory: Int = 64 << 20) {
        self.passphrase = passphrase; self.maxContentLength = maxContentLength; self.maxKDFMemory = maxKDFMemory
    }

    /// Decodes one message from the front of `bytes`.
    ///
    /// - Returns: nil when more bytes are needed.
    /// - Throws: header errors, `badBodyLength`, `contentTooLarge`, `passphraseRequired`,
    ///   `kdfTooCostly`, `wrongPassphrase`, `authenticationFailed`, `corruptDeflate`,
    ///   `inflatedBeyondLimit`, `lengthMismatch`, `invalidUTF8`, `invalidJSON`.
    public func decode(_ bytes: [UInt8]) throws(PresentationError) -> PresentationDecoded? {
        guard let header = try PresentationHeader.parse(bytes) else { return nil }
        let original = Int(header.originalLength)
        guard original <= maxContentLength else { throw .contentTooLarge(original, limit: maxContentLength) }
        let tag = header.cipher == .none ? 0 : PresentationHeader.tagLength
        let bodyLength = Int(header.bodyLength)
        // Deflate is only used when it made the content smaller, so the body is never longer.
        switch header.compression {
        case .none:
            guard bodyLength == original + tag else { throw .badBodyLength(bodyLength, expected: "\(original + tag)") }
        case .deflate:
            guard bodyLength > tag, bodyLength < original + tag else {
                throw .badBodyLength(bodyLength, expected: "\(tag + 1)..<\(original + tag)")
            }
        }
        let total = header.length + bodyLength
        guard bytes.count >= total else { return nil }
        var payload = Array(bytes[header.length..<total])

        if header.cipher != .none {
            guard let e = header.encryption else { throw .unknownKDF(0) }
            guard let passphrase else { throw .passphraseRequired }
            guard e.scrypt.memory <= maxKDFMemory else {
                throw .kdfTooCostly(memory: e.scrypt.memory, limit: maxKDFMemory)
            }
            let derived = try DerivedKey(passphrase: passphrase, salt: e.salt, parameters: e.scrypt)
            guard derived.check == e.keyCheck else { throw .wrongPassphrase }
            payload = try AEAD.open(
                payload, cipher: header.cipher, key: derived.key, nonce: e.nonce,
                associatedData: Array(bytes[0..<header.length]))
        }
        var deflatedLength: Int?
        var content = payload
        if header.compression == .deflate {
            deflatedLength = payload.count
            content = try Deflate.decompress(payload, limit: original)
        }
        guard content.count == original else { throw .lengthMismatch(declared: original, actual: content.count) }
        var validUTF8: Bool?, validJSON: Bool?
        switch header.contentType {
        case .binary:
            break
        case .utf8Text:
            try ContentCheck.validateUTF8(content)
            validUTF8 = true
        case .json:
            try ContentCheck.validateJSON(content)
            validUTF8 = true; validJSON = true
        }
        let report = PresentationReport(
            direction: .decode, contentType: header.contentType, contentLength: content.count,
            validUTF8: validUTF8, validJSON: validJSON, jsonNormalized: false, compressionLevel: nil,
            deflatedLength: deflatedLength, compression: header.compression, cipher: header.cipher,
            kdf: header.encryption?.scrypt,
            encryptionOverhead: tag == 0
                ? 0 : PresentationHeader.encryptedLength - PresentationHeader.plainLength + tag,
            headerLength: header.length, totalLength: total)
        return PresentationDecoded(content: content, contentType: header.contentType, report: report, consumed: total)
    }
}

/// The decoder's output: the content, its type, what was done, and how many bytes it used.
public struct PresentationDecoded: Hashable, Sendable {
    /// The original content bytes, decrypted and inflated.
    public var content: [UInt8]
    /// The content type the header declared (and that the content was checked against).
    public var contentType: ContentType
    /// What the decoder did: cipher, KDF, inflation and checks.
    public var report: PresentationReport
    /// How many bytes of the input the message used (header and body).
    public var consumed: Int
}
