/// Everything that can be wrong with content, options or bytes at the presentation layer.
///
/// Each case names the value that was wrong, so the trace can say why a message was refused:
///
///     do { _ = try decoder.decode(bytes) } catch { print("[L6] \(error)") }   // invalidUTF8(offset: 3)
public enum PresentationError: Error, Hashable, Sendable {
    /// The first two bytes are not "P6".
    case badMagic(UInt16)
    /// A version this code does not speak.
    case unsupportedVersion(UInt8)
    /// Header field values this code does not know.
    case unknownContentType(UInt8)
    /// A compression byte that is neither 0 (none) nor 1 (deflate).
    case unknownCompression(UInt8)
    /// A cipher byte that is none of 0, 1, 2.
    case unknownCipher(UInt8)
    /// A KDF byte other than 1 (scrypt).
    case unknownKDF(UInt8)
    /// The header's CRC-32 does not match: `expected` is computed, `actual` was sent.
    case headerChecksumMismatch(expected: UInt32, actual: UInt32)
    /// Scrypt parameters outside log2 N 1...30, r 1...32, p 1...16.
    case badKDFParameters(log2N: UInt8, r: UInt8, p: UInt8)
    /// Scrypt parameters needing more memory (128·r·N·p bytes) than the decoder allows.
    case kdfTooCostly(memory: Int, limit: Int)
    /// A deflate level outside 0...9.
    case badCompressionLevel(Int)
    /// Content longer than the limit (or than the 32-bit length field).
    case contentTooLarge(Int, limit: Int)
    /// A body length that cannot be right for the header (too long, or wrong for its encoding).
    case badBodyLength(Int, expected: String)
    /// Bytes that are not UTF-8; `offset` is the first byte of the bad sequence.
    case invalidUTF8(offset: Int)
    /// Bytes that are not JSON, with the parser's explanation.
    case invalidJSON(String)
    /// zlib refused the compressed data (its return code and message).
    case corruptDeflate(code: Int32, message: String)
    /// zlib failed to compress (its return code).
    case compressionFailed(code: Int32)
    /// Inflating produced more than the limit: a decompression bomb, or a wrong length field.
    case inflatedBeyondLimit(limit: Int)
    /// The content's length differs from the header's original length.
    case lengthMismatch(declared: Int, actual: Int)
    /// Encrypted content and no passphrase to open it.
    case passphraseRequired
    /// An empty passphrase (refused: it would be no secret at all).
    case emptyPassphrase
    /// The key derived from the passphrase does not match the key check: wrong passphrase (or a
    /// salt or KDF parameter altered together with the header CRC).
    case wrongPassphrase
    /// The AEAD tag did not verify: header, nonce, ciphertext or tag were altered.
    case authenticationFailed
    /// The key derivation or the cipher failed for another reason.
    case cryptoFailure(String)
}
