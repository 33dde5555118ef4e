internal import CZlib
import Checksums

/// What the content is. Text and JSON are UTF-8 and are checked on both sides.
public enum ContentType: UInt8, Hashable, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// Any bytes (0); not checked.
    case binary = 0
    /// UTF-8 text (1); checked to be valid UTF-8.
    case utf8Text = 1
    /// JSON (2); checked to be valid UTF-8 and JSON.
    case json = 2
    public var description: String {
        switch self {
        case .binary: "binary"
        case .utf8Text: "UTF-8 text"
        case .json: "JSON"
        }
    }
}

/// How the body is compressed. `deflate` is the zlib format (RFC 1950: 2-byte header, raw
/// deflate, Adler-32 of the content), so damaged compressed data is caught by zlib itself.
public enum Compression: UInt8, Hashable, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// Stored as is (0).
    case none = 0
    /// Deflated, zlib format (1); used only when it made the content smaller.
    case deflate = 1
    public var description: String { self == .none ? "none" : "deflate" }
}

/// The AEAD that encrypts the body, if any. Both use a 256-bit key, a 12-byte nonce, a 16-byte tag.
public enum Cipher: UInt8, Hashable, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// Not encrypted (0).
    case none = 0
    /// ChaCha20-Poly1305 (1), RFC 8439.
    case chaCha20Poly1305 = 1
    /// AES-256-GCM (2).
    case aes256GCM = 2
    public var description: String {
        switch self {
        case .none: "none"
        case .chaCha20Poly1305: "ChaCha20-Poly1305"
        case .aes256GCM: "AES-256-GCM"
        }
    }
}

/// The presentation header: 18 bytes, or 54 when the body is encrypted. All fields big-endian.
///
///     offset size field
///      0     2    magic 0x50 0x36 ("P6")
///      2     1    version (1)
///      3     1    content type: 0 binary, 1 UTF-8 text, 2 JSON
///      4     1    compression: 0 none, 1 deflate (zlib format, RFC 1950)
///      5     1    cipher: 0 none, 1 ChaCha20-Poly1305, 2 AES-256-GCM
///      6     4    original length (content bytes before compression)
///     10     4    body length (bytes after the header)
///     -- only when cipher ≠ 0:
///     14     1    KDF: 1 scrypt
///     15     1    scrypt log2 N
///     16     1    scrypt r
///     17     1    scrypt p
///     18    16    salt
///     34    12    nonce
///     46     4    key check (bytes 32..<36 of the scrypt output; 0..<32 are the key)
///     -- always:
///     14/50  4    CRC-32 (IEEE, zlib's) over the header bytes before it
///
/// When encrypted, the whole header (CRC included) is the AEAD's associated data, so changing
/// any header field makes the tag fail even if the CRC is fixed up.
///
///     let h = PresentationHeader(contentType: .json, compression: .none, originalLength: 2, bodyLength: 2)
///     let bytes = h.emit()                                   // 18 bytes
///     let back = try PresentationHeader.parse(bytes + body)  // nil: need more bytes
public struct PresentationHeader: Hashable, Sendable {
    /// Byte offsets of the header's fields, as in the table above.
    public enum Field {
        /// Offset of the 2-byte magic "P6".
        public static let magic = 0
        /// Offset of the version byte.
        public static let version = 2
        /// Offset of the content type byte.
        public static let contentType = 3
        /// Offset of the compression byte.
        public static let compression = 4
        /// Offset of the cipher byte.
        public static let cipher = 5
        /// Offset of the 32-bit original (uncompressed) content length.
        public static let originalLength = 6
        /// Offset of the 32-bit body length.
        public static let bodyLength = 10
        /// Offset of the KDF byte (encrypted headers only).
        public static let kdf = 14
        /// Offset of scrypt's log2 N (encrypted headers only).
        public static let log2N = 15
        /// Offset of scrypt's r (encrypted headers only).
        public static let r = 16
        /// Offset of scrypt's p (encrypted headers only).
        public static let p = 17
        /// Offset of the 16-byte salt (encrypted headers only).
        public static let salt = 18
        /// Offset of the 12-byte nonce (encrypted headers only).
        public static let nonce = 34
        /// Offset of the 4-byte key check (encrypted headers only).
        public static let keyCheck = 46
        /// The CRC's offset without and with the encryption fields.
        public static let crcPlain = 14
        /// The CRC's offset in an encrypted header.
        public static let crcEncrypted = 50
    }

    /// The magic number that opens every header, "P6".
    public static let magic: UInt16 = 0x5036
    /// The version this code writes and reads.
    public static let version: UInt8 = 1
    /// Length in bytes of an unencrypted header.
    public static let plainLength = 18
    /// Length in bytes of an encrypted header.
    public static let encryptedLength = 54
    /// Length in bytes of the scrypt salt.
    public static let saltLength = 16
    /// Length in bytes of the AEAD nonce.
    public static let nonceLength = 12
    /// Length in bytes of the AEAD tag at the end of an encrypted body.
    public static let tagLength = 16
    /// The KDF byte for scrypt, the only KDF.
    public static let kdfScrypt: UInt8 = 1

    /// The encryption fields of the header.
    public struct Encryption: Hashable, Sendable {
        /// The scrypt cost used to derive the key.
        public var scrypt: ScryptParameters
        /// The 16-byte random salt for scrypt.
        public var salt: [UInt8]
        /// The 12-byte random nonce for the AEAD.
        public var nonce: [UInt8]
        /// 4 bytes of the scrypt output after the key, so a wrong passphrase is told apart from damage.
        public var keyCheck: [UInt8]

        /// The encryption fields; the sizes are checked when parsing and emitting.
        public init(scrypt: ScryptParameters, salt: [UInt8], nonce: [UInt8], keyCheck: [UInt8]) {
            self.scrypt = scrypt; self.salt = salt; self.nonce = nonce; self.keyCheck = keyCheck
        }
    }

    /// What the content is.
    public var contentType: ContentType
    /// Whether the body is deflated.
    public var compression: Compression
    /// Whether and how the body is encrypted.
    public var cipher: Cipher
    /// Length of the content in bytes before compression.
    public var originalLength: UInt32
    /// Length of the body after the header in bytes (ciphertext and tag when encrypted).
    public var bodyLength: UInt32
    /// Present exactly when `cipher` is not `.none`.
    public var encryption: Encryption?

    /// A header from its fields; `encryption` must be set exactly when `cipher` is not `.none`.
    public init(
        contentType: ContentType, compression: Compression, cipher: Cipher = .none,
        originalLength: UInt32, bodyLength: UInt32, encryption: Encryption? = nil
    ) {
        self.contentType = contentType; self.compression = compression; self.cipher = cipher
        self.originalLength = originalLength; self.bodyLength = bodyLength; self.encryption = encryption
    }

    /// The header's length on the wire.
    public var length: Int { cipher == .none ? Self.plainLength : Self.encryptedLength }

    /// Parses the header at the front of `bytes` and checks its CRC (the body is not looked at).
    /// The cipher byte is read before the CRC because it says where the CRC is: a damaged cipher
    /// byte shows as `unknownCipher` or, when it still names a cipher, as a CRC mismatch.
    ///
    /// - Returns: nil when more bytes are needed for the header.
    /// - Throws: `badMagic`, `unsupportedVersion`, `unknown…`, `headerChecksumMismatch`.
    public static func parse(_ bytes: [UInt8]) throws(PresentationError) -> PresentationHeader? {
        if bytes.count >= 1, bytes[0] != UInt8(magic >> 8) { throw .badMagic(UInt16(bytes[0]) << 8) }
        guard bytes.count >= Field.crcPlain else { return nil }
        let m = readU16(bytes, Field.magic)
        guard m == magic else { throw .badMagic(m) }
        guard bytes[Field.version] == version else { throw .unsupportedVersion(bytes[Field.version]) }
        guard let cipher = Cipher(rawValue: bytes[Field.cipher]) else { throw .unknownCipher(bytes[Field.cipher]) }
        let crcAt = cipher == .none ? Field.crcPlain : Field.crcEncrypted
        guard bytes.count >= crcAt + 4 else { return nil }
        let computed = crc32(bytes[0..<crcAt])
        let sent = readU32(bytes, crcAt)
        guard computed == sent else { throw .headerChecksumMismatch(expected: computed, actual: sent) }
        guard let contentType = ContentType(rawValue: bytes[Field.contentType]) else {
            throw .unknownContentType(bytes[Field.contentType])
        }
        guard let compression = Compression(rawValue: bytes[Field.compression]) else {
            throw .unknownCompression(bytes[Field.compression])
        }
        var encryption: Encryption?
        if cipher != .none {
            guard bytes[Field.kdf] == kdfScrypt else { throw .unknownKDF(bytes[Field.kdf]) }
            let scrypt = try ScryptParameters(log2N: bytes[Field.log2N], r: bytes[Field.r], p: bytes[Field.p])
            encryption = Encryption(
                scrypt: scrypt, salt: Array(bytes[Field.salt..<Field.nonce]),
                nonce: Array(bytes[Field.nonce..<Field.keyCheck]),
                keyCheck: Array(bytes[Field.keyCheck..<Field.crcEncrypted]))
        }
        return PresentationHeader(
            contentType: contentType, compression: compression, cipher: cipher,
            originalLength: readU32(bytes, Field.originalLength),
            bodyLength: readU32(bytes, Field.bodyLength), encryption: encryption)
    }

    /// The header's bytes with the CRC filled in. Encryption fields missing or of the wrong size
    /// are written as zeros (the encoder always supplies them).
    public func emit() -> [UInt8] {
        var b: [UInt8] = []
        b.reserveCapacity(length)
        appendU16(&b, Self.magic)
        b.append(Self.version)
        b.append(contentType.rawValue)
        b.append(compression.rawValue)
        b.append(cipher.rawValue)
        appendU32(&b, originalLength)
        appendU32(&b, bodyLength)
        if cipher != .none {
            let e = encryption
            b.append(Self.kdfScrypt)
            let s = e?.scrypt ?? .default
            b += [s.log2N, s.r, s.p]
            b += fixed(e?.salt, Self.saltLength)
            b += fixed(e?.nonce, Self.nonceLength)
            b += fixed(e?.keyCheck, 4)
        }
        appendU32(&b, crc32(b[...]))
        return b
    }

    private func fixed(_ bytes: [UInt8]?, _ count: Int) -> [UInt8] {
        guard let bytes, bytes.count == count else { return [UInt8](repeating: 0, count: count) }
        return bytes
    }
}

/// zlib's CRC-32 (IEEE).
func crc32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
    bytes.withUnsafeBufferPointer { buf in
        UInt32(truncatingIfNeeded: CZlib.crc32(0, buf.baseAddress, uInt(buf.count)))
    }
}
