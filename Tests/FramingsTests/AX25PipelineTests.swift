import Foundation
import L1Physical
import L2DataLink
import Testing

@testable import Framings

@Suite struct AX25PipelineTests {
    /// Line levels of three frames with stray bits between them, as soft values.
    static func softBits() -> ([Float], [[UInt8]]) {
        let frames: [[UInt8]] = (0..<3).map { k in (0..<(20 + 30 * k)).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ k) }
        }
        var soft: [Float] = []
        for f in frames {
            soft += [0.3, -0.2, 0.9, 0.9, -0.4]
            soft += HDLCEncoder.lineBits([f], preambleFlags: 3, postambleFlags: 1).enumerated().map { i, b in
                (b ? 1 : -1) * Float(1 + i % 7) / 8
            }
        }
        return (soft, frames)
    }

    /// A run of soft bits gives the same frames, at the same bits, as pushing them one by one.
    @Test func hdlcRunMatchesBitByBit() {
        let (soft, frames) = Self.softBits()
        var one = HDLCDecoder()
        var byBit: [(Int, [UInt8])] = []
        for (i, v) in soft.enumerated() {
            if let f = one.push(v > 0, confidence: abs(v)) { byBit.append((i, f.bytes)) }
        }
        for chunk in [1, 13, soft.count] {
            var run = HDLCDecoder()
            var got: [(Int, [UInt8])] = []
            var i = 0
            while i < soft.count {
                let j = min(soft.count, i + chunk)
                let start = i
                soft.withUnsafeBufferPointer {
                    run.push(soft: UnsafeBufferPointer(rebasing: $0[start..<j])) { got.append((start + $1, $0.bytes)) }
                }
                i = j
            }
            #expect(got.map(\.0) == byBit.map(\.0))
            #expect(got.map(\.1) == byBit.map(\.1))
        }
        #expect(byBit.map(\.1) == frames)
    }

    /// Frames between long runs of random bits (runs of seven or more ones, stray flags):
    /// a run of soft bits still matches pushing them one by one.
    @Test func hdlcRunMatchesBitByBitInNoise() {
        let (clean, _) = Self.softBits()
        var soft: [Float] = []
        var x: UInt32 = 12345
        for k in 0..<4 {
            for _ in 0..<(4000 + 500 * k) {
                x = x &* 1_664_525 &+ 1_013_904_223
                soft.append((x >> 31) == 0 ? -0.5 : (x >> 28) & 1 == 0 ? 0.25 : 0.75)
            }
            soft += clean
        }
        var one = HDLCDecoder()
        var byBit: [(Int, [UInt8])] = []
        for (i, v) in soft.enumerated() {
            if let f = one.push(v > 0, confidence: abs(v)) { byBit.append((i, f.bytes)) }
        }
        var run = HDLCDecoder()
        var got: [(Int, [UInt8])] = []
        var i = 0
        while i < soft.count {
            let j = min(soft.count, i + 977), start = i
            soft.withUnsafeBufferPointer {
                run.push(soft: UnsafeBufferPointer(rebasing: $0[start..<j])) { got.append((start + $1, $0.bytes)) }
            }
            i = j
        }
        #expect(byBit.count >= 12)
        #expect(got.map(\.0) == byBit.map(\.0))
        #expect(got.map(\.1) == byBit.map(\.1))
        #expect(run.badFrames == one.badFrames)
    }

    /// Long flag preambles, idle stretches (one level held: ones past an abort), random bits
    /// between flags, frames around the shortest length and longer, some with a line level
    /// inverted (a bad FCS; the level the least confident): a run of soft bits, which takes eight at a
    /// time where no frame can end, still matches pushing them one by one: the frames, the bits
    /// that closed them and the bad-FCS count; and with `repairBits`, which records the line
    /// bits eight at a time too, the same frames repaired. The frames that failed are reported
    /// alike (``HDLCDecoder/rejects``), and a damaged one's line bits, its level put back, decode
    /// to the frame as sent.
    @Test(arguments: [false, true]) func hdlcRunMatchesBitByBitAcrossFlagsAndIdle(repair: Bool) {
        var x: UInt32 = 777
        func next(_ n: UInt32) -> Int {
            x = x &* 1_664_525 &+ 1_013_904_223
            return Int((x >> 8) % n)
        }
        var soft: [Float] = []
        var level = true
        func data(_ bits: [Bool]) {  // NRZI: a 0 is a transition
            for b in bits {
                if !b { level.toggle() }
                soft.append((level ? 1 : -1) * Float(1 + next(7)) / 8)
            }
        }
        let flag: [Bool] = [false, true, true, true, true, true, true, false]
        var sent = 0
        var damaged: [[UInt8]] = []
        var weakLevels: [Int] = []
        for k in 0..<40 {
            for _ in 0..<(1 + next(40)) { data(flag) }
            switch k % 4 {
            case 0:  // idle: the level held
                for _ in 0..<(20 + next(200)) { soft.append((level ? 1 : -1) * 0.5) }
                data(flag)
            case 1:  // about a frame's length of random bits, then a flag
                data((0..<(120 + next(41))).map { _ in next(3) != 0 })
                data(flag)
            default:  // a frame of 15 to 60 bytes (the shortest too short), every fourth with a bit inverted
                let frame = (0..<(15 + next(46))).map { _ in UInt8(truncatingIfNeeded: next(256)) }
                let bits = HDLCEncoder.stuffedBits(frame), start = soft.count
                data(bits)
                if k % 8 == 2 {  // one line level inverted, and the least confident
                    let weak = start + next(UInt32(bits.count))
                    soft[weak] = soft[weak] > 0 ? -0.01 : 0.01
                    damaged.append(frame)
                    weakLevels.append(weak)
                } else if frame.count + 2 >= HDLCDecoder.minimumLength {
                    sent += 1
                }
                data(flag)
            }
        }
        var one = HDLCDecoder(repairBits: repair)
        one.reportsRejects = true
        var byBit: [(Int, [UInt8], HDLCFrame.Status)] = []
        for (i, v) in soft.enumerated() {
            if let f = one.push(v > 0, confidence: abs(v)) { byBit.append((i, f.bytes, f.status)) }
        }
        for chunk in [8, 61, 1000] {
            var run = HDLCDecoder(repairBits: repair)
            run.reportsRejects = true
            var got: [(Int, [UInt8], HDLCFrame.Status)] = []
            var i = 0
            while i < soft.count {
                let j = min(soft.count, i + chunk), start = i
                soft.withUnsafeBufferPointer {
                    run.push(soft: UnsafeBufferPointer(rebasing: $0[start..<j])) {
                        got.append((start + $1, $0.bytes, $0.status))
                    }
                }
                i = j
            }
            #expect(got.map(\.0) == byBit.map(\.0))
            #expect(got.map(\.1) == byBit.map(\.1))
            #expect(got.map(\.2) == byBit.map(\.2))
            #expect(run.badFrames == one.badFrames)
            #expect(run.rejects == one.rejects)
        }
        #expect(one.rejects.count >= one.badFrames)
        var restored = 0
        for (frame, weak) in zip(damaged, weakLevels) {
            guard let r = one.rejects.first(where: { $0.start <= weak && weak <= $0.end }) else { continue }
            var line = soft[r.start...r.end].map { $0 > 0 }
            line[weak - r.start].toggle()
            #expect(HDLCDecoder.decode(line: line, startLevel: r.startLevel) == frame)
            restored += 1
        }
        #expect(restored >= 3)
        let repaired = byBit.filter { $0.2 == .repaired }.map(\.1)
        #expect(byBit.count - repaired.count == sent)
        #expect(one.badFrames >= 3)
        // Frames with a level inverted (its confidence the lowest) come back as they were sent.
        #expect(repaired.count >= (repair ? 2 : 0))
        #expect(repaired.allSatisfy { damaged.contains($0) })
    }

    /// The HDLC decoder's byte table: whole bytes of data go through in one step (none left to
    /// the bit loop), a zero after five ones is dropped, a sixth one then a one is an abort and
    /// a sixth one then a zero a flag (with where it closed and the bits before it).
    @Test func hdlcByteStepsTakeDataStuffingAbortsAndFlags() {
        func step(run: Int, _ bits: UInt8) -> (kept: UInt32, run: UInt32, taken: UInt32, events: UInt32) {
            let s = HDLCDecoder.byteSteps[run << 8 | Int(bits)]
            return (s & 0xFF, s >> 8 & 7, s >> 12 & 0xF, s >> 16)
        }
        // Every byte with no run of five ones, from a run of none: eight data bits, nothing else.
        for bits in 0...255 where !(0...3).contains(where: { bits >> $0 & 0x1F == 0x1F }) {
            let s = step(run: 0, UInt8(bits))
            #expect(s.kept == UInt32(bits) && s.taken == 8 && s.events == 0, "byte \(bits)")
        }
        #expect(step(run: 0, 0b0101_0101) == (0x55, 0, 8, 0))
        #expect(step(run: 5, 0b0000_0110) == (0b11, 0, 7, 0))  // the first bit stuffing, dropped
        #expect(step(run: 6, 0b0000_0001).events == 1)  // abort at bit 0
        let flag = step(run: 6, 0b1000_0000)  // a flag closing at bit 0, then six zeros and a one
        #expect(flag.events & 2 != 0 && flag.events >> 2 & 0xF == 0 && flag.events >> 6 & 7 == 0)
        #expect(flag.kept == 0x40 && flag.taken == 7)
        #expect(step(run: 0, 0b1111_1100) == (0xFC, 6, 8, 0))  // six ones, not yet a flag
        #expect(step(run: 5, 0b0000_0011).events == 1)  // a sixth one, then an abort
    }

    /// The AX.25 receiver finds the same frames whatever the block size.
    @Test func blockSizeDoesNotMatter() throws {
        let frames = try ["N0CALL>APRS:first", "N0CALL>APRS,WIDE1-1:second frame", "N1CALL>TEST:third"].map {
            try AX25Frame(tnc2: $0)
        }
        let audio = ProtocolTransmitter.ax25(frames, sampleRate: 44100)
        let whole = ProtocolReceiver.decode(audio, sampleRate: 44100, protocols: [.ax25]).map(\.text)
        #expect(whole == frames.map(\.tnc2))
        var rx = ProtocolReceiver(protocols: [.ax25], sampleRate: 44100)
        var got: [String] = []
        var i = 0
        while i < audio.count {
            let j = min(audio.count, i + 1001)
            got += audio.withUnsafeBufferPointer { rx.process(UnsafeBufferPointer(rebasing: $0[i..<j])) }.map(\.text)
            i = j
        }
        got += rx.finish().map(\.text)
        #expect(got == whole)
    }
}
