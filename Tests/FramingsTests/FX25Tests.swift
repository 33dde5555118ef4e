import Checksums
import SignalBasics
import Testing

@testable import Framings
@testable import L1Physical

/// FX.25 without audio: the tags, the block layout, corrections, and refusals.
@Suite struct FX25Tests {
    static let frame = [UInt8](
        (try? AX25Frame(tnc2: "N0CALL>APRS,WIDE1-1:!4903.50N/07201.75W-FX.25 test ~~~"))?.bytes ?? [])

    /// Any two tags differ in exactly 32 bits (as Dire Wolf checks at start-up).
    @Test func tagsAreFarApart() {
        for a in FX25.Tag.all {
            for b in FX25.Tag.all where a != b { #expect((a.value ^ b.value).nonzeroBitCount == 32) }
            #expect(a.blockLength <= 255 && [16, 32, 64].contains(a.parityCount))
        }
    }

    /// The shortest block per parity, as Dire Wolf's `fx25_pick_mode` chooses.
    @Test(arguments: [
        (16, 32, 0x04), (16, 64, 0x03), (16, 128, 0x02), (16, 239, 0x01), (16, 240, -1),
        (32, 32, 0x08), (32, 64, 0x07), (32, 128, 0x06), (32, 223, 0x05), (32, 234, -1),
        (64, 64, 0x0B), (64, 128, 0x0A), (64, 191, 0x09), (64, 192, -1)
    ])
    func picksTheShortestBlock(parity: Int, bytes: Int, tag: Int) {
        #expect((FX25.Tag.smallest(parityCount: parity, holding: bytes)?.number ?? -1) == tag)
    }

    /// Tag LSB first, then the data part starting with a flag, then parity that the code accepts.
    @Test func blockLayout() throws {
        let bits = try FX25.dataBits(frame: Self.frame, parityCount: 16)
        let tag = try #require(
            FX25.Tag.smallest(parityCount: 16, holding: (FX25.stuffedBits(Self.frame).count + 7) / 8))
        #expect(bits.count == 64 + 8 * tag.blockLength)
        let word = (0..<64).reduce(UInt64(0)) { $0 | (bits[$1] ? 1 << UInt64($1) : 0) }
        #expect(word == tag.value)
        let block = FX25.pack(Array(bits[64...]))
        #expect(block[0] == 0x7E)
        let rs = try ReedSolomon.fx25(parityCount: 16)
        let full = Array(block.prefix(tag.dataLength)) + [UInt8](repeating: 0, count: 239 - tag.dataLength)
        #expect(try rs.parity(for: full) == Array(block.suffix(16)))
    }

    static func decodeAll(_ levels: [Bool]) -> (fx25: [FX25Frame], hdlc: [HDLCFrame]) {
        var fx = FX25Decoder(), hdlc = HDLCDecoder()
        var a: [FX25Frame] = [], b: [HDLCFrame] = []
        for l in levels {
            if let f = fx.push(l) { a.append(f) }
            if let f = hdlc.push(l) { b.append(f) }
        }
        return (a, b)
    }

    @Test(arguments: [16, 32, 64]) func roundTripIsAlsoPlainAX25(parity: Int) throws {
        let levels = try FX25.lineBits([Self.frame, Self.frame], parityCount: parity)
        let got = Self.decodeAll(levels)
        #expect(got.fx25.map(\.bytes) == [Self.frame, Self.frame])
        #expect(got.fx25.allSatisfy { $0.correctedBytes == 0 && $0.tag.parityCount == parity })
        #expect(got.hdlc.map(\.bytes) == [Self.frame, Self.frame])
    }

    /// Half the parity in damaged bytes is corrected; plain AX.25 loses the frame.
    @Test(arguments: [16, 32, 64]) func correctsDamagedBytes(parity: Int) throws {
        var data = try FX25.dataBits(frame: Self.frame, parityCount: parity)
        for byte in stride(from: 2, to: 2 + 3 * (parity / 2), by: 3) {  // one bit in each of parity/2 bytes
            data[64 + 8 * byte + byte % 8].toggle()
        }
        for i in 0..<5 { data[3 + 9 * i].toggle() }  // and 5 bits of the tag
        let flags = (0..<(8 * 20)).map { (0x7E >> ($0 % 8)) & 1 == 1 }
        var level = true
        let levels = (flags + data + flags).map { bit in
            if !bit { level.toggle() }
            return level
        }
        let got = Self.decodeAll(levels)
        #expect(got.fx25.map(\.bytes) == [Self.frame])
        #expect(got.fx25.first?.correctedBytes == parity / 2)
        #expect(got.hdlc.isEmpty)
    }

    /// With soft input, bytes beyond the errors-only power are recovered as erasures when their
    /// bits were the least confident ones.
    @Test func softInputErasesTheWeakestBytes() throws {
        var data = try FX25.dataBits(frame: Self.frame, parityCount: 16)
        var weak = Set<Int>()
        for byte in stride(from: 1, to: 1 + 4 * 12, by: 4) {  // 12 bad bytes: beyond 8 errors
            data[64 + 8 * byte + 2].toggle()
            weak.insert(64 + 8 * byte + 2)
        }
        var level = true
        var soft: [Float] = []
        for (i, bit) in data.enumerated() {
            if !bit { level.toggle() }
            soft.append((level ? 1 : -1) * (weak.contains(i) ? 0.1 : 1))
        }
        var hard = FX25Decoder()
        #expect(soft.compactMap { hard.push($0 > 0) }.isEmpty)
        var fx = FX25Decoder()
        var got: [FX25Frame] = []
        soft.withUnsafeBufferPointer { fx.push(soft: $0) { f, _ in got.append(f) } }
        #expect(got.map(\.bytes) == [Self.frame])
        #expect(got.first?.correctedBytes == 12)
    }

    /// Every tag, received with 7, 8 or 9 of its bits wrong after random line noise: the soft
    /// path (the C hunting loop, eight tags to a vector where the CPU has AVX-512 VPOPCNTDQ)
    /// finds a block exactly where the bit-by-bit path does, within the 8-bit tolerance and
    /// never beyond it.
    @Test(arguments: [7, 8, 9]) func huntingFindsEveryTagAsTheBitByBitPathDoes(wrong: Int) throws {
        var rng = SeededGenerator(seed: UInt64(wrong))
        var tried = 0
        for tag in FX25.Tag.all {
            let parity = tag.blockLength - tag.dataLength
            // The longest frame this tag's block holds, and not the next smaller block.
            let frame = [UInt8](repeating: 0x55, count: max(17, tag.dataLength - 24))
            var bits = try FX25.dataBits(frame: frame, parityCount: parity)
            guard (0..<64).reduce(UInt64(0), { $0 | (bits[$1] ? 1 << UInt64($1) : 0) }) == tag.value else {
                continue
            }
            var flipped = Set<Int>()
            while flipped.count < wrong { flipped.insert(Int(rng.next() % 64)) }
            for i in flipped { bits[i].toggle() }
            let noise = (0..<(200 + Int(rng.next() % 64))).map { _ in rng.next() & 1 == 1 }
            var level = true
            let levels = (noise + bits).map { bit in
                if !bit { level.toggle() }
                return level
            }
            var hard = FX25Decoder()
            let byBit = levels.compactMap { hard.push($0) }.map(\.bytes)
            var fx = FX25Decoder()
            var hunted: [[UInt8]] = []
            let soft = levels.map { Float($0 ? 1 : -1) }
            soft.withUnsafeBufferPointer { fx.push(soft: $0) { f, _ in hunted.append(f.bytes) } }
            #expect(hunted == byBit, "tag \(tag.number), \(wrong) bits wrong")
            #expect(hunted == (wrong <= FX25.tagTolerance ? [frame] : []), "tag \(tag.number), \(wrong) bits wrong")
            tried += 1
        }
        #expect(tried == FX25.Tag.all.count)
    }

    /// A block beyond the code is counted and dropped, never delivered.
    @Test func refusesTooManyErrors() throws {
        var data = try FX25.dataBits(frame: Self.frame, parityCount: 16)
        for byte in 0..<12 { data[64 + 8 * (1 + 4 * byte)].toggle() }
        var level = true
        let levels = data.map { bit in
            if !bit { level.toggle() }
            return level
        }
        var fx = FX25Decoder()
        #expect(levels.compactMap { fx.push($0) }.isEmpty)
        #expect(fx.failedBlocks == 1)
    }

    @Test func refusesFramesTooLongAndBadParity() {
        let long = [UInt8](repeating: 0x41, count: 240)
        #expect(throws: ProtocolError.self) { try FX25.dataBits(frame: long, parityCount: 16) }
        #expect(throws: ProtocolError.self) { try FX25.dataBits(frame: Self.frame, parityCount: 20) }
    }
}
