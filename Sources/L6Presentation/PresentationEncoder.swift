/// The sending side of the presentation layer: checks the content against its type, deflates it
/// when that makes it smaller, encrypts it with a key derived from a passphrase, and puts a
/// ``PresentationHeader`` in front.
///
///     var enc = PresentationEncoder(contentType: .json, compressionLevel: 6)
///     enc.encryption = EncryptionSettings(cipher: .chaCha20Poly1305, passphrase: "correct horse")
///     let out = try enc.encode(Array(#"{"user":"ada"}"#.utf8))
///     out.bytes    // header ‖ ciphertext ‖ tag
///     out.report   // [L6] encode: JSON 14 bytes, valid UTF-8 and JSON; deflate (level 6) 14 → 22 bytes (not smaller: …
///
/// JSON is validated with Foundation's `JSONSerialization` and sent byte for byte as given (the
/// HTTP layer above counts those bytes); set `normalizeJSON` to send a sorted-keys re-serialisation.
/// Salt and nonce come from the generator passed in (the system's CSPRNG by default), so tests can
/// make the output deterministic.
public struct PresentationEncoder: Sendable {
    /// What the content is; text and JSON are checked as UTF-8 (and JSON) before sending.
    public var contentType: ContentType
    /// Deflate level 0...9, or nil for no compression.
    public var compressionLevel: Int?
    /// nil: not encrypted.
    public var encryption: EncryptionSettings?
    /// Whether to send JSON re-serialised with sorted keys instead of byte for byte as given.
    public var normalizeJSON: Bool

    /// An encoder; by default binary, uncompressed, unencrypted.
    public init(
        contentType: ContentType = .binary, compressionLevel: Int? = nil,
        encryption: EncryptionSettings? = nil, normalizeJSON: Bool = false
    ) {
        self.contentType = contentType; self.compressionLevel = compressionLevel
        self.encryption = encryption; self.normalizeJSON = normalizeJSON
    }

    /// Encodes with salt and nonce from the system's random number generator.
    public func encode(_ content: [UInt8]) throws(PresentationError) -> PresentationEncoded {
        var rng = SystemRandomNumberGenerator()
        return try encode(content, using: &rng)
    }

    /// Encodes with salt and nonce drawn from `rng`.
    ///
    /// - Throws: `invalidUTF8` / `invalidJSON` for content that is not its type, `badCompressionLevel`,
    ///   `contentTooLarge` beyond 2^32 − 1 bytes, `badKDFParameters`, `cryptoFailure`.
    public func encode<R: RandomNumberGenerator>(_ content: [UInt8], using rng: inout R) throws(PresentationError)
        -> PresentationEncoded
    {
        if let level = compressionLevel, !(0...9).contains(level) { throw .badCompressionLevel(level) }
        var content = content
        var validUTF8: Bool?, validJSON: Bool?
        switch contentType {
        case .binary:
            break
        case .utf8Text:
            try ContentCheck.validateUTF8(content)
            validUTF8 = true
        case .json:
            if normalizeJSON {
                content = try ContentCheck.normalizedJSON(content)
            } else {
                try ContentCheck.validateJSON(content)
            }
            validUTF8 = true; validJSON = true
        }
        guard content.count <= Int(UInt32.max) else { throw .contentTooLarge(content.count, limit: Int(UInt32.max)) }

        var payload = content
        var compression = Compression.none
        var deflatedLength: Int?
        if let level = compressionLevel {
            let deflated = try Deflate.compress(content, level: level)
            deflatedLength = deflated.count
            if deflated.count < content.count { payload = deflated; compression = .deflate }
        }

        var header = PresentationHeader(
            contentType: contentType, compression: compression,
            originalLength: UInt32(content.count), bodyLength: UInt32(payload.count))
        var body = payload
        var overhead = 0
        if let settings = encryption, settings.cipher != .none {
            let salt = rng.bytes(PresentationHeader.saltLength)
            let nonce = rng.bytes(PresentationHeader.nonceLength)
            let derived = try DerivedKey(passphrase: settings.passphrase, salt: salt, parameters: settings.scrypt)
            header.cipher = settings.cipher
            header.bodyLength = UInt32(payload.count + PresentationHeader.tagLength)
            header.encryption = .init(scrypt: settings.scrypt, salt: salt, nonce: nonce, keyCheck: derived.check)
            body = try AEAD.seal(
                payload, cipher: settings.cipher, key: derived.key, nonce: nonce,
                associatedData: header.emit())
            overhead =
                PresentationHeader.encryptedLength - PresentationHeader.plainLength + PresentationHeader.tagLength
        }
        let bytes = header.emit() + body
        let report = PresentationReport(
            direction: .encode, contentType: contentType, contentLength: content.count,
            validUTF8: validUTF8, validJSON: validJSON, jsonNormalized: normalizeJSON && contentType == .json,
            compressionLevel: compressionLevel, deflatedLength: deflatedLength, compression: compression,
            cipher: header.cipher, kdf: header.encryption?.scrypt, encryptionOverhead: overhead,
            headerLength: header.length, totalLength: bytes.count)
        return PresentationEncoded(bytes: bytes, report: report)
    }
}

/// The encoder's output: the bytes for the session layer and what was done to them.
public struct PresentationEncoded: Hashable, Sendable {
    /// The header followed by the body (compressed and/or encrypted content, tag last).
    public var bytes: [UInt8]
    /// What the encoder did, for traces.
    public var report: PresentationReport
}
