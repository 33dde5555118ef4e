internal import Crypto
import Foundation
internal import _CryptoExtras

/// Scrypt's cost parameters, stored in the header so the receiver derives the same key.
///
///     let fast = try ScryptParameters(log2N: 10, r: 8, p: 1)   // tests: 1 MiB, milliseconds
///     ScryptParameters.default.description                      // "scrypt N=2^14 r=8 p=1"
public struct ScryptParameters: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Base-2 logarithm of scrypt's CPU/memory cost N (14 means N = 16 384).
    public let log2N: UInt8
    /// Scrypt's block size parameter r.
    public let r: UInt8
    /// Scrypt's parallelisation parameter p.
    public let p: UInt8

    /// - Throws: `badKDFParameters` outside log2 N 1...30, r 1...32, p 1...16.
    public init(log2N: UInt8, r: UInt8, p: UInt8) throws(PresentationError) {
        guard (1...30).contains(log2N), (1...32).contains(r), (1...16).contains(p) else {
            throw .badKDFParameters(log2N: log2N, r: r, p: p)
        }
        self.log2N = log2N; self.r = r; self.p = p
    }

    private init(unchecked log2N: UInt8, _ r: UInt8, _ p: UInt8) { self.log2N = log2N; self.r = r; self.p = p }

    private enum CodingKeys: String, CodingKey { case log2N, r, p }

    /// Decodes and checks the ranges, as `init(log2N:r:p:)` does.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            log2N: c.decode(UInt8.self, forKey: .log2N), r: c.decode(UInt8.self, forKey: .r),
            p: c.decode(UInt8.self, forKey: .p))
    }

    /// N = 2^14, r = 8, p = 1: 16 MiB and tens of milliseconds (release) per derivation.
    public static let `default` = ScryptParameters(unchecked: 14, 8, 1)

    /// Bytes of memory a derivation needs: 128·r·N·p.
    public var memory: Int { 128 * Int(r) * (1 << Int(log2N)) * Int(p) }

    public var description: String { "scrypt N=2^\(log2N) r=\(r) p=\(p)" }
}

/// What to encrypt with: the cipher, the passphrase and the cost of turning it into a key.
///
///     let e = EncryptionSettings(cipher: .chaCha20Poly1305, passphrase: "correct horse")
public struct EncryptionSettings: Hashable, Sendable {
    /// The AEAD to encrypt with; `.none` is not meaningful here (leave `encryption` nil instead).
    public var cipher: Cipher
    /// The passphrase the key is derived from; the receiver needs the same one.
    public var passphrase: String
    /// How expensive the key derivation is; written into the header for the receiver.
    public var scrypt: ScryptParameters

    /// Settings with ChaCha20-Poly1305 and the default scrypt cost unless given.
    public init(cipher: Cipher = .chaCha20Poly1305, passphrase: String, scrypt: ScryptParameters = .default) {
        self.cipher = cipher; self.passphrase = passphrase; self.scrypt = scrypt
    }
}

/// The key and key check derived from a passphrase: scrypt(passphrase UTF-8, salt) → 36 bytes;
/// the first 32 are the AEAD key, the last 4 the key check stored in the header.
struct DerivedKey {
    let key: SymmetricKey
    let check: [UInt8]

    init(passphrase: String, salt: [UInt8], parameters s: ScryptParameters) throws(PresentationError) {
        guard !passphrase.isEmpty else { throw .emptyPassphrase }
        let bytes: [UInt8]
        do {
            let out = try KDF.Scrypt.deriveKey(
                from: Array(passphrase.utf8), salt: salt, outputByteCount: 36,
                rounds: 1 << Int(s.log2N), blockSize: Int(s.r),
                parallelism: Int(s.p))
            bytes = out.withUnsafeBytes { Array($0) }
        } catch {
            throw .cryptoFailure("scrypt: \(error)")
        }
        guard bytes.count == 36 else { throw .cryptoFailure("scrypt gave \(bytes.count) bytes") }
        key = SymmetricKey(data: bytes[0..<32])
        check = Array(bytes[32..<36])
    }
}

enum AEAD {
    /// Seals `plaintext`; returns ciphertext followed by the 16-byte tag.
    static func seal(
        _ plaintext: [UInt8], cipher: Cipher, key: SymmetricKey, nonce: [UInt8],
        associatedData: [UInt8]
    ) throws(PresentationError) -> [UInt8] {
        do {
            switch cipher {
            case .chaCha20Poly1305:
                let box = try ChaChaPoly.seal(
                    plaintext, using: key, nonce: ChaChaPoly.Nonce(data: nonce),
                    authenticating: associatedData)
                return Array(box.ciphertext) + Array(box.tag)
            case .aes256GCM:
                let box = try AES.GCM.seal(
                    plaintext, using: key, nonce: AES.GCM.Nonce(data: nonce),
                    authenticating: associatedData)
                return Array(box.ciphertext) + Array(box.tag)
            case .none:
                return plaintext
            }
        } catch {
            throw .cryptoFailure("\(cipher) seal: \(error)")
        }
    }

    /// Opens ciphertext‖tag; any mismatch of key, nonce, data or associated data is `authenticationFailed`.
    static func open(
        _ sealed: [UInt8], cipher: Cipher, key: SymmetricKey, nonce: [UInt8],
        associatedData: [UInt8]
    ) throws(PresentationError) -> [UInt8] {
        guard sealed.count >= PresentationHeader.tagLength else { throw .authenticationFailed }
        let split = sealed.count - PresentationHeader.tagLength
        let ciphertext = sealed[0..<split], tag = sealed[split...]
        do {
            switch cipher {
            case .chaCha20Poly1305:
                let box = try ChaChaPoly.SealedBox(
                    nonce: ChaChaPoly.Nonce(data: nonce), ciphertext: ciphertext, tag: tag)
                return Array(try ChaChaPoly.open(box, using: key, authenticating: associatedData))
            case .aes256GCM:
                let box = try AES.GCM.SealedBox(nonce: AES.GCM.Nonce(data: nonce), ciphertext: ciphertext, tag: tag)
                return Array(try AES.GCM.open(box, using: key, authenticating: associatedData))
            case .none:
                return sealed
            }
        } catch {
            throw .authenticationFailed
        }
    }
}

extension RandomNumberGenerator {
    /// `count` bytes from the generator.
    mutating func bytes(_ count: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(count)
        while out.count < count {
            var word = next()
            for _ in 0..<min(8, count - out.count) {
                out.append(UInt8(truncatingIfNeeded: word)); word >>= 8
            }
        }
        return out
    }
}
