import Foundation
import SignalBasics
import Testing

@testable import L6Presentation

/// Cheap scrypt for debug-mode tests (1 MiB).
let testScrypt: ScryptParameters = {
    do { return try ScryptParameters(log2N: 10, r: 8, p: 1) } catch { return .default }
}()

let passphrase = "correct horse battery staple"
let jsonBody = Array(#"{"user":"ada","items":[1,2,3],"note":"grüße ✓"}"#.utf8)
let samples: [ContentType: [UInt8]] = [
    .binary: (0..<600).map { UInt8(truncatingIfNeeded: $0 &* 7) } + [0xFF, 0xFE, 0x00],
    .utf8Text: Array(String(repeating: "héllo wörld ✓ 𝄞 ", count: 20).utf8),
    .json: Array(
        ("[" + Array(repeating: String(decoding: jsonBody, as: UTF8.self), count: 10).joined(separator: ",") + "]").utf8
    )
]

func encoder(_ type: ContentType, level: Int? = nil, cipher: Cipher = .none) -> PresentationEncoder {
    PresentationEncoder(
        contentType: type, compressionLevel: level,
        encryption: cipher == .none
            ? nil
            : EncryptionSettings(
                cipher: cipher, passphrase: passphrase,
                scrypt: testScrypt))
}

func encode(_ e: PresentationEncoder, _ content: [UInt8], seed: UInt64 = 1) throws -> PresentationEncoded {
    var rng = SeededGenerator(seed: seed)
    return try e.encode(content, using: &rng)
}

@Test(arguments: ContentType.allCases, [nil, 0, 6, 9] as [Int?])
func roundTripEveryCombination(type: ContentType, level: Int?) throws {
    let content = try #require(samples[type])
    for cipher in Cipher.allCases {
        let out = try encode(encoder(type, level: level, cipher: cipher), content)
        let back = try #require(try PresentationDecoder(passphrase: passphrase).decode(out.bytes))
        #expect(back.content == content, "\(type) \(String(describing: level)) \(cipher)")
        #expect(back.contentType == type)
        #expect(back.consumed == out.bytes.count)
        #expect(back.report.cipher == cipher)
        #expect(back.report.compression == out.report.compression)
        // Levels above 0 shrink these repetitive samples; level 0 ("stored") never does.
        #expect(out.report.compression == (level == nil || level == 0 ? .none : .deflate))
    }
}

@Test func emptyContentRoundTrips() throws {
    for cipher in Cipher.allCases {
        let out = try encode(encoder(.utf8Text, level: 6, cipher: cipher), [])
        #expect(try PresentationDecoder(passphrase: passphrase).decode(out.bytes)?.content == [])
    }
}

@Test func fixedSeedMakesEncryptionDeterministic() throws {
    let e = encoder(.json, level: 6, cipher: .chaCha20Poly1305)
    let content = try #require(samples[.json])
    #expect(try encode(e, content, seed: 7).bytes == encode(e, content, seed: 7).bytes)
    #expect(try encode(e, content, seed: 7).bytes != encode(e, content, seed: 8).bytes)
    // The system generator gives a fresh salt and nonce each time.
    #expect(try e.encode(content).bytes != e.encode(content).bytes)
}

@Test func jsonBytesAreKeptUnlessNormalisationIsAsked() throws {
    let spaced = Array(#"{ "b" : 1, "a" : "x/y" }"#.utf8)
    #expect(try encode(encoder(.json), spaced).bytes.suffix(spaced.count) == spaced[...])
    var n = encoder(.json)
    n.normalizeJSON = true
    let out = try encode(n, spaced)
    #expect(String(decoding: out.bytes.dropFirst(18), as: UTF8.self) == #"{"a":"x/y","b":1}"#)
    #expect(out.report.jsonNormalized)
}

@Test func reportSaysWhatWasDone() throws {
    let small = Array(#"{"user":"ada","id":42}"#.utf8)
    let out = try encode(encoder(.json, level: 6, cipher: .chaCha20Poly1305), small)
    #expect(
        out.report.description == "[L6] encode: JSON 22 bytes, valid UTF-8 and JSON; "
            + "deflate (level 6) 22 → 30 bytes (not smaller: sent uncompressed); "
            + "ChaCha20-Poly1305, scrypt N=2^10 r=8 p=1, +52 bytes; header 54 + body 38 = 92 bytes")
    let back = try #require(try PresentationDecoder(passphrase: passphrase).decode(out.bytes))
    #expect(
        back.report.description == "[L6] decode: ChaCha20-Poly1305, scrypt N=2^10 r=8 p=1, +52 bytes, "
            + "tag verified; JSON 22 bytes, valid UTF-8 and JSON; header 54 + body 38 = 92 bytes")
    let text = try #require(samples[.utf8Text])
    let packed = try encode(encoder(.utf8Text, level: 9), text)
    #expect(packed.report.compression == .deflate)
    #expect(
        packed.report.description.contains(
            "deflate (level 9) \(text.count) → \(packed.report.deflatedLength ?? 0) bytes; no"))
    let json = try JSONEncoder().encode(out.report)
    #expect(try JSONDecoder().decode(PresentationReport.self, from: json) == out.report)
}

@Test func invalidUTF8IsRefusedAtItsOffset() throws {
    let cases: [([UInt8], Int)] = [
        ([0x61, 0x80], 1),  // lone continuation byte
        ([0x61, 0x62, 0xC0, 0x80], 2),  // overlong NUL
        ([0xE0, 0x80, 0x80], 0),  // overlong 3-byte
        ([0x41, 0xED, 0xA0, 0x80], 1),  // surrogate U+D800
        ([0xF4, 0x90, 0x80, 0x80], 0),  // above U+10FFFF
        ([0xF5, 0x80, 0x80, 0x80], 0),
        ([0x68, 0xC3], 1),  // sequence cut at the end
        ([0xE2, 0x9C, 0x41], 0)  // bad third byte
    ]
    for (bytes, offset) in cases {
        #expect(throws: PresentationError.invalidUTF8(offset: offset)) { try encode(encoder(.utf8Text), bytes) }
        #expect(throws: PresentationError.invalidUTF8(offset: offset)) { try encode(encoder(.json), bytes) }
    }
    try ContentCheck.validateUTF8(Array("aé✓𝄞".utf8))
    // Binary content is not checked.
    #expect(try encode(encoder(.binary), [0xC0, 0x80]).report.validUTF8 == nil)
}

@Test func invalidJSONIsRefused() throws {
    for bad in [#"{"a":}"#, "[1,2", "", "{'a':1}", #"{"a":1} x"#] {
        #expect(throws: (any Error).self, "\(bad)") { try encode(encoder(.json), Array(bad.utf8)) }
        do { _ = try encode(encoder(.json), Array(bad.utf8)) } catch {
            guard case .invalidJSON? = error as? PresentationError else { Issue.record("\(bad): \(error)"); continue }
        }
    }
    for good in ["42", #""s""#, "[]", #"{"a":[true,null,1.5e3]}"#] {
        try ContentCheck.validateJSON(Array(good.utf8))
    }
    // Decoding checks too: JSON-typed content that is not JSON is refused on arrival.
    let text = try encode(encoder(.utf8Text), Array("[1,2".utf8)).bytes
    var relabelled = text
    relabelled[PresentationHeader.Field.contentType] = ContentType.json.rawValue
    #expect(throws: (any Error).self) { try PresentationDecoder().decode(fixCRC(relabelled)) }
}

@Test func badOptionsAreRefused() throws {
    #expect(throws: PresentationError.badCompressionLevel(10)) { try encode(encoder(.binary, level: 10), [1]) }
    #expect(throws: PresentationError.badKDFParameters(log2N: 31, r: 8, p: 1)) {
        try ScryptParameters(log2N: 31, r: 8, p: 1)
    }
    #expect(ScryptParameters.default.memory == 16 << 20)
}
