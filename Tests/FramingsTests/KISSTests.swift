import SignalBasics
import Testing

@testable import Framings

/// The KISS framing a TNC speaks with packet-radio programs: the bytes on the wire, escapes,
/// commands, and a decoder that survives whatever a client sends.
@Suite struct KISSTests {
    @Test func dataFrameOnTheWire() {
        let frame = KISSFrame(port: 0, command: .data, payload: Array("TEST".utf8))
        #expect(frame.bytes == [0xC0, 0x00, 0x54, 0x45, 0x53, 0x54, 0xC0])
        #expect(KISSFrame(port: 5, command: .data, payload: [1]).bytes == [0xC0, 0x50, 0x01, 0xC0])
    }

    @Test func fendAndFescInTheDataAreEscaped() {
        #expect(KISSFrame(command: .data, payload: [0xC0]).bytes == [0xC0, 0x00, 0xDB, 0xDC, 0xC0])
        #expect(KISSFrame(command: .data, payload: [0xDB]).bytes == [0xC0, 0x00, 0xDB, 0xDD, 0xC0])
        // TFEND and TFESC alone are ordinary bytes.
        #expect(KISSFrame(command: .data, payload: [0xDC, 0xDD]).bytes == [0xC0, 0x00, 0xDC, 0xDD, 0xC0])
        // A type byte that is FEND's or FESC's value (data on port 12: 0xC0; command 11 on
        // port 13: 0xDB) is escaped like data.
        #expect(KISSFrame(port: 12, command: .data, payload: []).bytes == [0xC0, 0xDB, 0xDC, 0xC0])
        #expect(KISSFrame(port: 13, command: .other(11), payload: []).bytes == [0xC0, 0xDB, 0xDD, 0xC0])
    }

    @Test func parameterCommands() {
        let commands: [(KISSFrame.Command, UInt8)] = [
            (.txDelay, 1), (.persistence, 2), (.slotTime, 3), (.txTail, 4), (.fullDuplex, 5), (.setHardware, 6)
        ]
        for (command, code) in commands {
            let frame = KISSFrame(port: 2, command: command, payload: [50])
            #expect(frame.bytes == [0xC0, 0x20 | code, 50, 0xC0])
            #expect(frame.parameter == 50)
            var decoder = KISSDecoder()
            #expect(decoder.push(frame.bytes).frames == [frame])
        }
        #expect(KISSFrame(command: .exitKISS).bytes == [0xC0, 0xFF, 0xC0])
        #expect(KISSFrame(contents: [0xFF])?.command == .exitKISS)
        #expect(KISSFrame(contents: [0x07])?.command == .other(7))
        #expect(KISSFrame(command: .data, payload: [1]).parameter == nil)
    }

    /// Random frames on random ports, sent back to back (and with the FEND FEND flushes senders
    /// use), cut into random pieces: every frame comes back, in order, with no problem.
    @Test func framesSurviveAnyCutOfTheStream() {
        var rng = SeededGenerator(seed: 21)
        var frames: [KISSFrame] = []
        var wire: [UInt8] = []
        for i in 0..<200 {
            let payload = rng.bytes(Int(rng.next() % 300))
            let frame = KISSFrame(port: UInt8(i % 16), command: .data, payload: payload)
            frames.append(frame)
            wire += frame.bytes
            if i % 7 == 0 { wire.append(KISSFrame.fend) }
        }
        var decoder = KISSDecoder()
        var got: [KISSFrame] = []
        var problems: [KISSProblem] = []
        var start = 0
        while start < wire.count {
            let n = min(wire.count - start, 1 + Int(rng.next() % 700))
            let (f, p) = decoder.push(wire[start..<(start + n)])
            got += f
            problems += p
            start += n
        }
        #expect(got == frames)
        #expect(problems.isEmpty)
    }

    /// A bad escape, a frame too long and bytes before the first FEND are reported; the frames
    /// around them still come through.
    @Test func malformedStreamsAreReportedAndSurvived() {
        let good = KISSFrame(command: .data, payload: Array("ok".utf8))
        var decoder = KISSDecoder(maximumLength: 16)
        var stream: [UInt8] = [0x41, 0x42]  // junk before any frame
        stream += good.bytes
        stream += [0xC0, 0x00, 0x01, 0xDB, 0x99, 0x02, 0xC0]  // FESC then a stray byte
        stream += [0xC0, 0x00] + [UInt8](repeating: 0x33, count: 40) + [0xC0]  // too long
        stream += [0xC0, 0x00, 0xDB, 0xC0]  // FESC right before FEND
        stream += good.bytes
        let (frames, problems) = decoder.push(stream)
        #expect(frames == [good, good])
        #expect(problems == [.outsideFrame(count: 2), .badEscape(0x99), .tooLong(limit: 16), .badEscape(0xC0)])
        #expect(problems.allSatisfy { !$0.description.isEmpty })
    }

    @Test func wireBytesParseBackToTheFrame() {
        var rng = SeededGenerator(seed: 4)
        for _ in 0..<100 {
            let type = UInt8(truncatingIfNeeded: rng.next())
            let contents = [type] + rng.bytes(Int(rng.next() % 40))
            let frame = KISSFrame(contents: contents)!
            var decoder = KISSDecoder()
            #expect(decoder.push(frame.bytes).frames == [frame])
            #expect(frame.typeByte == type)
        }
    }
}

extension SeededGenerator {
    /// `count` bytes from the generator.
    fileprivate mutating func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8(truncatingIfNeeded: next()) }
    }
}
