import Foundation
import SignalBasics
import Testing

@testable import L6Presentation

private func hex(_ s: String) -> [UInt8] {
    var out: [UInt8] = []
    var i = s.startIndex
    while i < s.endIndex {
        let j = s.index(i, offsetBy: 2)
        out.append(UInt8(s[i..<j], radix: 16) ?? 0)
        i = j
    }
    return out
}

// RFC 7914 §12: scrypt("password", "NaCl", N = 1024, r = 8, p = 16, dkLen = 64). The derived key is
// its first 32 bytes and the key check the next 4 (scrypt's output prefix does not depend on dkLen).
@Test func keyDerivationIsScryptAsRFC7914() throws {
    let expected =
        hex("fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162")
        + hex("2eaf30d9")
    let derived = try DerivedKey(
        passphrase: "password", salt: Array("NaCl".utf8),
        parameters: ScryptParameters(log2N: 10, r: 8, p: 16))
    #expect(derived.key.withUnsafeBytes { Array($0) } == Array(expected[0..<32]))
    #expect(derived.check == Array(expected[32..<36]))
}

@Test func sealThenOpenWithTheHeaderAsAssociatedData() throws {
    let derived = try DerivedKey(passphrase: "pw", salt: [UInt8](repeating: 1, count: 16), parameters: testScrypt)
    let nonce = [UInt8](repeating: 2, count: 12)
    for cipher in [Cipher.chaCha20Poly1305, .aes256GCM] {
        let sealed = try AEAD.seal([1, 2, 3], cipher: cipher, key: derived.key, nonce: nonce, associatedData: [9])
        #expect(sealed.count == 3 + 16)
        #expect(try AEAD.open(sealed, cipher: cipher, key: derived.key, nonce: nonce, associatedData: [9]) == [1, 2, 3])
        #expect(throws: PresentationError.authenticationFailed) {
            try AEAD.open(sealed, cipher: cipher, key: derived.key, nonce: nonce, associatedData: [8])
        }
        #expect(throws: PresentationError.authenticationFailed) {
            try AEAD.open(Array(sealed.prefix(10)), cipher: cipher, key: derived.key, nonce: nonce, associatedData: [9])
        }
    }
}

@Test func generatorBytesAreTakenInOrder() {
    var a = SeededGenerator(seed: 3), b = SeededGenerator(seed: 3)
    let word = b.next()
    #expect(a.bytes(5) == (0..<5).map { UInt8(truncatingIfNeeded: word >> (8 * UInt64($0))) })
}

@Test func scryptParametersDecodeOnlyInRange() throws {
    let good = try JSONDecoder().decode(ScryptParameters.self, from: Data(#"{"log2N":10,"r":8,"p":1}"#.utf8))
    #expect(good == testScrypt)
    #expect(throws: PresentationError.badKDFParameters(log2N: 40, r: 8, p: 1)) {
        try JSONDecoder().decode(ScryptParameters.self, from: Data(#"{"log2N":40,"r":8,"p":1}"#.utf8))
    }
}
