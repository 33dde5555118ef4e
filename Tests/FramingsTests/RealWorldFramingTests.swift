import Checksums
import L1Physical
import SignalBasics
import Testing

@testable import Framings

@Suite struct AX25Tests {
    /// `KI5TOF>APRS:>hello world!` as atest printed it (micro-aprs ideal.wav).
    static let frameHex = "82a0a4a640406096926aa89e8c6103f03e68656c6c6f20776f726c6421"
    static var frame: [UInt8] {
        stride(from: 0, to: frameHex.count, by: 2).map {
            let s = frameHex.index(frameHex.startIndex, offsetBy: $0)
            return UInt8(frameHex[s..<frameHex.index(s, offsetBy: 2)], radix: 16) ?? 0
        }
    }

    @Test func parsesAndPrintsTNC2() throws {
        let f = try AX25Frame(bytes: Self.frame)
        #expect(f.source == AX25Address(callsign: "KI5TOF"))
        #expect(f.destination.callsign == "APRS")
        #expect(f.control == 0x03 && f.pid == 0xF0)
        #expect(f.tnc2 == "KI5TOF>APRS:>hello world!")
    }

    /// We send AX.25 2.0 command frames (destination C bit set, 0xE0); micro-aprs left it clear.
    @Test func emitsTheSameBytesWithTheCommandBit() throws {
        var want = Self.frame
        want[6] |= 0x80
        #expect(try AX25Frame(tnc2: "KI5TOF>APRS:>hello world!").bytes == want)
    }

    @Test func pathStarAndSSID() throws {
        let f = try AX25Frame(tnc2: "VK3FDM>CQ,WIDE1*,WIDE2-1::CQ       :Test{20831")
        #expect(f.path.map(\.repeated) == [true, false])
        #expect(try AX25Frame(bytes: f.bytes).tnc2 == "VK3FDM>CQ,WIDE1*,WIDE2-1::CQ       :Test{20831")
    }

    @Test func rejectsBadAddresses() {
        #expect(throws: ProtocolError.invalidAddress("TOOLONGCALL")) { try AX25Frame(tnc2: "TOOLONGCALL>APRS:x") }
        #expect(throws: ProtocolError.invalidAddress("N0CALL-16")) { try AX25Frame(tnc2: "N0CALL-16>APRS:x") }
        #expect(throws: ProtocolError.invalidTNC2("no header")) { try AX25Frame(tnc2: "no header") }
    }

    @Test func nonPrintableBytes() {
        #expect(AX25Frame.printable([0x4E, 0xD0, 0x22, 0x18, 0x0D]) == "N<0xd0>\"<0x18><0x0d>")
    }
}

@Suite struct HDLCTests {
    @Test func roundTripThroughNRZIAndStuffing() {
        let frames: [[UInt8]] = [AX25Tests.frame, Array(repeating: 0xFF, count: 40), [UInt8](0...200)]
        var rx = HDLCDecoder()
        var got: [[UInt8]] = []
        for level in HDLCEncoder.lineBits(frames, preambleFlags: 4, postambleFlags: 2) {
            if let f = rx.push(level) { got.append(f.bytes); #expect(f.status == .ok) }
        }
        #expect(got == frames)
    }

    @Test func badFCSIsCountedNotDelivered() {
        var levels = HDLCEncoder.lineBits([AX25Tests.frame], preambleFlags: 4, postambleFlags: 2)
        levels[32 + 100].toggle()
        var rx = HDLCDecoder()
        #expect(levels.compactMap { rx.push($0) }.isEmpty)
        #expect(rx.badFrames == 1)
    }

    @Test func singleBitRepairUsesTheLeastConfidentBit() {
        var levels = HDLCEncoder.lineBits([AX25Tests.frame], preambleFlags: 4, postambleFlags: 2)
        let bad = 32 + 100
        levels[bad].toggle()
        var rx = HDLCDecoder(repairBits: true)
        let got = levels.enumerated().compactMap { rx.push($0.element, confidence: $0.offset == bad ? 0.05 : 0.9) }
        #expect(got == [HDLCFrame(bytes: AX25Tests.frame, status: .repaired)])
    }

    /// The decoder finds the same frames, and counts the same bad ones, whatever the blocks the
    /// soft bits come in: a bit at a time, 7, 64 or all at once. The stream mixes good frames,
    /// frames with a bit inverted, an abort inside a frame, an over-long run of data and noise,
    /// so that flags, stuffed zeros and aborts fall on every side of a block's edge.
    @Test func framesDoNotDependOnTheBlocks() {
        var rng = SeededGenerator(seed: 5)
        var levels: [Bool] = []
        for k in 0..<12 {
            var line = HDLCEncoder.lineBits([AX25Tests.frame], preambleFlags: 2 + k % 3, postambleFlags: 1)
            if k % 4 == 1 { line[40 + 9 * k].toggle() }  // a bad FCS
            if k % 4 == 2 { line.insert(contentsOf: [Bool](repeating: line[60], count: 8), at: 61) }  // abort
            levels += line
            levels += (0..<(k * 37 % 200)).map { _ in rng.next() & 1 == 1 }  // noise
            if k == 7 { levels += (0..<4000).map { i in i % 3 == 0 } }  // data too long for a frame
        }
        let soft = levels.map { $0 ? Float(0.5) : -0.5 }
        func decode(block: Int) -> ([Int], Int) {
            var hdlc = HDLCDecoder()
            var ends: [Int] = []
            var i = 0
            while i < soft.count {
                let j = min(soft.count, i + block)
                soft[i..<j].withUnsafeBufferPointer { b in
                    hdlc.push(soft: b) { f, at in
                        #expect(f.bytes == AX25Tests.frame)
                        ends.append(i + at)
                    }
                }
                i = j
            }
            return (ends, hdlc.badFrames)
        }
        let whole = decode(block: soft.count)
        #expect(whole.0.count == 6)  // k % 4 == 0 or 3
        #expect(whole.1 >= 3)
        for block in [1, 7, 64] { #expect(decode(block: block) == whole, "blocks of \(block)") }
    }

    /// Behind a G3RUH descrambler one wrong line bit is three wrong levels (it is taken in again
    /// 12 and 17 bits later): repair with that spread inverts all three and finds the frame;
    /// inverting one level alone does not.
    @Test func repairBehindTheDescramblerInvertsAllThreeLevels() {
        var tx = G3RUHScrambler()
        var line = HDLCEncoder.lineBits([AX25Tests.frame], preambleFlags: 4, postambleFlags: 2).map {
            tx.scramble($0)
        }
        let bad = 32 + 100
        line[bad].toggle()
        var rx = G3RUHScrambler()
        let levels = line.map { rx.descramble($0) }
        func decode(spread: [Int]) -> [HDLCFrame] {
            var hdlc = HDLCDecoder(repairBits: true)
            hdlc.repairSpread = spread
            return levels.enumerated().compactMap { hdlc.push($0.element, confidence: $0.offset == bad ? 0.05 : 0.9) }
        }
        #expect(decode(spread: [0, 12, 17]) == [HDLCFrame(bytes: AX25Tests.frame, status: .repaired)])
        #expect(decode(spread: [0]).isEmpty)
    }
}

@Suite struct CallerIDTests {
    static let message: [UInt8] = CallerIDMessage.mdmf([
        (1, Array("11011820".utf8)), (2, Array("4133972057".utf8)),
        (8, Array("O".utf8))
    ])

    @Test func printsLikeTheCorpus() {
        #expect(
            CallerIDMessage(bytes: Self.message)?.line
                == "MDMF DATE=\"11011820\" NUMBER=\"4133972057\" NAME_ABSENT=\"O\"")
    }

    @Test func checksumIsVerified() {
        var bad = Self.message
        bad[5] ^= 1
        #expect(CallerIDMessage(bytes: bad) == nil)
    }

    @Test func parserFindsTheMessageAfterSeizure() {
        var p = CallerIDParser()
        let found = ([UInt8](repeating: 0x55, count: 30) + Self.message).compactMap { p.push($0) }
        #expect(found.map(\.bytes) == [Self.message])
    }
}

@Suite struct BaudotAndSAMETests {
    @Test func baudotRoundTripWithShifts() throws {
        let text = "CQ DE DDK2 10100.8 KHZ"
        var rx = BaudotDecoder()
        #expect(String(try Baudot.encode(text).compactMap { rx.decode($0) }) == text)
        #expect(throws: ProtocolError.self) { try Baudot.encode("%") }
    }

    @Test func sameMajorityVoteAndTrim() {
        var a = SAMEAssembler(sampleRate: 1000)
        let good = Array("ZCZC-WXR-RWT-020103+0030-3650000-KEAX/NWS-junk".utf8)
        var bad = good
        bad[6] = UInt8(ascii: "Q")
        #expect(a.add(SAMEBurst(text: bad, sample: 0)) == nil)
        #expect(a.add(SAMEBurst(text: good, sample: 1000)) == nil)
        #expect(a.add(SAMEBurst(text: good, sample: 2000)) == nil)
        #expect(a.flush()?.text == "ZCZC-WXR-RWT-020103+0030-3650000-KEAX/NWS-")
        #expect(SAMEAssembler.trim(Array("NNNN\u{7f}".utf8)) == "NNNN")
    }

    @Test func uartFormatBits() throws {
        #expect(UARTFormat.n81.bits(of: 0x41) == [false, true, false, false, false, false, false, true, false])
        #expect(try UARTFormat(dataBits: 7, parity: .even).bits(of: 0x41).last == false)
        #expect(throws: ProtocolError.self) { try UARTFormat(dataBits: 9) }
    }
}
