import Checksums
internal import CZlib

/// What the content is. Text and JSON are UTF-8 and are checked on both sides.
public enum ContentType: UInt8, Hashable, Sendable, Codable, CaseIterable, CustomStringConvertible {
    case binary = 0, utf8Text = 1, json = 2
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
    case none = 0, deflate = 1
    public var description: String { self == .none ? "none" : "deflate" }
}

/// The AEAD that encrypts the body, if any. Both use a 256-bit key, a 12-byte nonce, a 16-byte tag.
public enum Cipher: UInt8, Hashable, Sendable, Codable, CaseIterable, CustomStringConvertible {
    case none = 0, chaCha20Poly1305 = 1, aes256GCM = 2
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
    public enum Field {
        public static let magic = 0
        public static let version = 2
        public static let contentType = 3
        public static let compression = 4
        public static let cipher = 5
        public static let originalLength = 6
        public static let bodyLength = 10
        public static let kdf = 14
        public static let log2N = 15
        public static let r = 16
        public static let p = 17
        public static let salt = 18
        public static let nonce = 34
        public static let keyCheck = 46
        /// The CRC's offset without and with the encryption fields.
        public static let crcPlain = 14
        public static let crcEncrypted = 50
    }

    public static let magic: UInt16 = 0x5036
    public static let version: UInt8 = 1
    public static let plainLength = 18
    public static let encryptedLength = 54
    public static let saltLength = 16
    public static let nonceLength = 12
    public static let tagLength = 16
    public static let kdfScrypt: UInt8 = 1

    /// The encryption fields of the header.
    public struct Encryption: Hashable, Sendable {
        public var scrypt: ScryptParameters
        public var salt: [UInt8]
        public var nonce: [UInt8]
        public var keyCheck: [UInt8]

        public init(scrypt: ScryptParameters, salt: [UInt8], nonce: [UInt8], keyCheck: [UInt8]) {
            self.scrypt = scrypt; self.salt = salt; self.nonce = nonce; self.keyCheck = keyCheck
        }
    }

    public var contentType: ContentType
    public var compression: Compression
    public var cipher: Cipher
    public var originalLength: UInt32
    public var bodyLength: UInt32
    /// Present exactly when `cipher` is not `.none`.
    public var encryption: Encryption?

    public init(contentType: ContentType, compression: Compression, cipher: Cipher = .none,
                originalLength: UInt32, bodyLength: UInt32, encryption: Encryption? = nil) {
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
            encryption = Encryption(scrypt: scrypt, salt: Array(bytes[Field.salt..<Field.nonce]),
                                    nonce: Array(bytes[Field.nonce..<Field.keyCheck]),
                                    keyCheck: Array(bytes[Field.keyCheck..<Field.crcEncrypted]))
        }
        return PresentationHeader(contentType: contentType, compression: compression, cipher: cipher,
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
