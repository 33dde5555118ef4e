import Foundation
import SignalBasics
import TestSupport
import Testing

@testable import L1Physical

// Property-based round trips at layer 1, deterministic seeds: for every mode and line code a
// short random payload goes through FrameEncoder → FSKModulator → Demodulator (fed in random
// block sizes) and comes back exactly; damaged symbols are caught by the CRC-32 or, without it,
// the frame says no check covered its payload. Each mode runs at the lowest common rate it
// allows, so the debug build stays quick.

/// Every (mode, line code) pair that some rate can carry.
let propertyPairs: [(String, LineCode)] = Mode.all.flatMap { mode in
    LineCode.allCases.compactMap { code in lowestRate(mode, code).map { _ in (mode.name, code) } }
}

func lowestRate(_ mode: Mode, _ code: LineCode) -> Double? {
    [8000.0, 16000, 24000, 48000].first { (try? mode.validate(sampleRate: $0, lineCode: code)) != nil }
}

/// FNV-1a of a test's name: a seed that differs per case and never changes.
func stableSeed(_ text: String) -> UInt64 {
    text.utf8.reduce(0xCBF2_9CE4_8422_2325 as UInt64) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 }
}

/// Feeds `x` in blocks of random sizes (1 … 5000 samples), then finishes.
func receiveInRandomBlocks(_ x: [Float], mode: Mode, lineCode: LineCode, rate: Double, rng: inout SeededGenerator)
    throws -> [DecodedFrame]
{
    var options = Demodulator.Options()
    options.lineCode = lineCode
    let d = try Demodulator(mode: mode, sampleRate: rate, options: options)
    var frames: [DecodedFrame] = []
    var i = 0
    while i < x.count {
        let n = min(x.count - i, 1 + Int(rng.next() % 5000))
        frames += d.process(Array(x[i..<(i + n)]))
        i += n
    }
    return frames + d.finish()
}

@Test(arguments: propertyPairs.map { "\($0.0)/\($0.1.rawValue)" })
func physicalRoundTripProperty(pair: String) throws {
    let (name, code) = try #require(propertyPairs.first { "\($0.0)/\($0.1.rawValue)" == pair })
    let mode = try #require(Mode.named(name))
    let rate = try #require(lowestRate(mode, code))
    var rng = SeededGenerator(seed: stableSeed(pair))
    // Two frames in one recording: empty-ish and random, random flags.
    let payloads = [rng.bytes(Int(rng.next() % 3)), rng.bytes(1 + Int(rng.next() % 12))]
    let scramble = rng.next() % 2 == 0
    let x = try transmit(payloads, mode: mode, lineCode: code, scramble: scramble, rate: rate)
    let frames = try receiveInRandomBlocks(x, mode: mode, lineCode: code, rate: rate, rng: &rng)
    #expect(frames.map(\.status) == [.ok, .ok], "\(pair) at \(rate) Hz: \(frames.map(\.status))")
    #expect(frames.map(\.payload) == payloads)
    for f in frames {
        #expect(PhysicalFrame.Flags(rawValue: f.flags).contains(.payloadCRC))
        #expect(PhysicalFrame.Flags(rawValue: f.flags).contains(.scrambled) == scramble)
    }
}

/// Damaged symbols in the payload and CRC: a frame either comes back with the payload that was
/// sent, or is reported failed — never delivered as good with wrong bytes while its CRC-32
/// covers them. Without a CRC the frame's flags say so.
@Test(arguments: ["fsk1200", "mfsk4", "mfsk16", "baseband"])
func corruptedSymbolsAreCaught(name: String) throws {
    let mode = try #require(Mode.named(name))
    let code = mode.defaultLineCode
    let rate = try #require(lowestRate(mode, code))
    var rng = SeededGenerator(seed: stableSeed("corrupt " + name))
    var caught = 0, clean = 0
    for trial in 0..<6 {
        let payload = rng.bytes(4 + Int(rng.next() % 8))
        let withCRC = trial % 3 != 2
        let enc = FrameEncoder(mode: mode, lineCode: code, payloadCRC: withCRC)
        let frame = try enc.frame(payload: payload)
        var symbols = frame.symbols
        let layout = frame.layout
        let start = layout.preamble + layout.sync + layout.header
        for _ in 0..<(1 + trial % 3) {
            let i = start + Int(rng.next() % UInt64(layout.payloadAndCRC))
            symbols[i] = UInt8(
                (Int(symbols[i]) + 1 + Int(rng.next() % UInt64(mode.symbolCount - 1))) % mode.symbolCount)
        }
        let mod = FSKModulator(mode: mode, lineCode: code, sampleRate: rate)
        let silence = [Float](repeating: 0, count: Int(rate / 10))
        let frames = try receive(
            silence + mod.samples(symbols: symbols) + silence, mode: mode, lineCode: code, rate: rate)
        for f in frames where f.isOK && f.payload != payload {
            #expect(
                !PhysicalFrame.Flags(rawValue: f.flags).contains(.payloadCRC),
                "\(name) trial \(trial): a damaged frame passed its CRC-32")
        }
        if frames.contains(where: { !$0.isOK }) { caught += 1 }
        if frames.contains(where: { $0.isOK && $0.payload == payload }) { clean += 1 }
    }
    #expect(caught > 0, "\(name): no damage was ever detected")
}

/// The header parser accepts exactly the 4-byte headers whose CRC-8 matches, for every length
/// and flag byte sampled, and a single flipped bit is always caught.
@Test func headerParseProperty() {
    var rng = SeededGenerator(seed: 0x4EAD)
    for _ in 0..<2000 {
        let length = Int(rng.next() % 65536),
            flags = PhysicalFrame.Flags(rawValue: UInt8(truncatingIfNeeded: rng.next()))
        let bytes = PhysicalFrame.headerBytes(length: length, flags: flags)
        let parsed = PhysicalFrame.parseHeader(bytes)
        #expect(parsed?.length == length && parsed?.flags == flags)
        var damaged = bytes
        let bit = Int(rng.next() % 32)
        damaged[bit / 8] ^= 1 << UInt8(bit % 8)
        #expect(PhysicalFrame.parseHeader(damaged) == nil, "flipped bit \(bit) not caught")
    }
}

/// Every line code's soft decoder undoes its encoder on clean ±1 chips, for random bits.
@Test(arguments: LineCode.allCases)
func lineCodeSoftRoundTrip(code: LineCode) {
    var rng = SeededGenerator(seed: 0x11AE)
    for _ in 0..<200 {
        let bits = (0..<Int(rng.next() % 100)).map { _ in UInt8(rng.next() & 1) }
        let chips = code.encode(bits).map { Float($0) * 2 - 1 }
        #expect(chips.count == bits.count * code.chipsPerBit)
        let soft = code.decodeSoft(chips)
        #expect(soft.map { $0 > 0 ? UInt8(1) : 0 } == bits)
    }
}

/// The demodulator stages samples into fixed blocks, so how the caller cuts the stream cannot
/// matter: frames fed in one piece, in 4096-sample blocks and in random blocks (down to one
/// sample) are identical, noise and all.
@Test func demodulatorIsBlockSizeInvariant() throws {
    let mode = try #require(Mode.named("fsk1200"))
    var rng = SeededGenerator(seed: 0xB10C)
    let clean = try transmit([rng.bytes(20), rng.bytes(3)], mode: mode, rate: 8000)
    let x = addNoise(clean, ebn0: 9, bitRate: mode.bitRate, rate: 8000, seed: 5)
    let whole = try receive(x, mode: mode, rate: 8000, block: x.count)
    let blocks = try receive(x, mode: mode, rate: 8000, block: 4096)
    let random = try receiveInRandomBlocks(x, mode: mode, lineCode: .nrzL, rate: 8000, rng: &rng)
    #expect(!whole.isEmpty)
    #expect(blocks == whole)
    #expect(random == whole)
}
