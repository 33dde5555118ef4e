import Foundation
import SignalBasics
import Testing

@testable import L1Physical

/// The shared front end of the all-modes receiver: the gate must stay shut on noise and
/// silence (that is where the time goes), open for every mode well below the level at
/// which its demodulator finds frames, and keep modes apart that only share a tone or two.
@Suite struct ToneGateTests {
    /// Runs `x` through a gate for `modes`; for each mode, the blocks in which it was present.
    static func presence(_ x: [Float], modes: [Mode], rate: Double) -> [[Int]] {
        var gate = ToneGate(modes: modes, sampleRate: rate)
        var seen = [[Int]](repeating: [], count: modes.count)
        let n = gate.blockLength
        x.withUnsafeBufferPointer { p in
            var b = 0
            while (b + 1) * n <= x.count {
                gate.analyse(UnsafeBufferPointer(rebasing: p[(b * n)..<((b + 1) * n)]))
                for m in modes.indices where gate.present[m] { seen[m].append(b) }
                b += 1
            }
        }
        return seen
    }

    static func whiteNoise(seconds: Double, rate: Double, rms: Double, seed: UInt64) -> [Float] {
        var rng = SeededGenerator(seed: seed)
        return (0..<Int(seconds * rate)).map { _ in Float(rms * rng.nextGaussian()) }
    }

    static func modes(at rate: Double) -> [Mode] {
        Mode.all.filter { (try? $0.validate(sampleRate: rate, lineCode: $0.defaultLineCode)) != nil }
    }

    @Test(arguments: [8000.0, 48000.0])
    func whiteNoiseOpensNothing(rate: Double) {
        let modes = Self.modes(at: rate)
        let x = Self.whiteNoise(seconds: 30, rate: rate, rms: 0.02, seed: 7)
        let seen = Self.presence(x, modes: modes, rate: rate)
        // Now and then a window of noise passes (at 8 kHz, where the filters overlap, about
        // once a minute): each opening costs one demodulator a third of a second, nothing more.
        var openings = 0
        for (mode, blocks) in zip(modes, seen) {
            let runs = zip(blocks, blocks.dropFirst()).filter { $1 > $0 + 1 }.count + (blocks.isEmpty ? 0 : 1)
            #expect(runs <= 1, "\(mode.name) opened \(runs) times on 30 s of noise")
            #expect(blocks.count <= 25, "\(mode.name) present in \(blocks.count) blocks of noise")
            openings += runs
        }
        #expect(openings <= 2, "\(openings) openings on 30 s of noise")
    }

    @Test func digitalSilenceOpensNothing() {
        let modes = Self.modes(at: 48000)
        let seen = Self.presence([Float](repeating: 0, count: 48000 * 5), modes: modes, rate: 48000)
        #expect(seen.allSatisfy { $0.isEmpty })
    }

    /// Each mode near the level at which its demodulator starts to lose frames: the gate sees
    /// it before its preamble and sync word are over (a demodulator started then, fed the audio
    /// from before, finds the frame).
    @Test(arguments: [
        ("bell103", 10.0), ("bell202", 9.0), ("fsk300", 9.0), ("fsk1200", 9.0), ("fsk2400", 9.0),
        ("mfsk4", 7.0), ("mfsk8", 6.0), ("mfsk16", 5.0), ("mfsk4-6000", 7.0), ("baseband", 9.0)
    ])
    func everyModeOpensWithinItsPreamble(name: String, ebn0: Double) throws {
        let mode = try #require(Mode.named(name))
        var rng = SeededGenerator(seed: 3)
        let lead = 0.5
        let clean = try transmit([rng.bytes(200)], mode: mode, lead: lead)
        let x = addNoise(clean, ebn0: ebn0, bitRate: mode.bitRate, rate: 48000, seed: 11)
        let modes = Self.modes(at: 48000)
        let seen = Self.presence(x, modes: modes, rate: 48000)
        let index = try #require(modes.firstIndex(of: mode))
        let gate = ToneGate(modes: modes, sampleRate: 48000)
        let first = try #require(seen[index].first { $0 * gate.blockLength >= Int(lead * 48000) }, "\(name) never seen")
        let symbols = Double(PhysicalFrame.preambleSymbols + PhysicalFrame.syncBits.count)
        let preambleEnd = lead + symbols / mode.symbolRate(lineCode: mode.defaultLineCode)
        let seenAt = Double((first + 1) * gate.blockLength) / 48000
        #expect(seenAt < preambleEnd + 0.05, "\(name) first seen at \(seenAt) s, preamble over at \(preambleEnd) s")
    }

    /// A clean, strong bell202 frame: modes that share one of its tones but have others far
    /// from it stay shut (mfsk4, mfsk8 and mfsk16 share 1200 Hz; fsk2400 has 2400 and 4800).
    /// (fsk1200 and fsk300, whose tones lie within its spectrum, do open: the receiver keeps
    /// them from running while bell202 is inside a frame.)
    @Test func sharedTonesDoNotOpenOtherModes() throws {
        var rng = SeededGenerator(seed: 5)
        let x = try transmit([rng.bytes(300)], mode: .bell202)
        let modes = Self.modes(at: 48000)
        let seen = Self.presence(x, modes: modes, rate: 48000)
        for (mode, blocks) in zip(modes, seen) {
            switch mode.name {
            case "bell202": #expect(!blocks.isEmpty)
            case "fsk2400", "mfsk4", "mfsk8", "mfsk16", "mfsk4-6000":
                #expect(blocks.isEmpty, "\(mode.name) opened on bell202 in \(blocks.count) blocks")
            default: break
            }
        }
    }
}

/// The receiver that listens for every mode at once.
@Suite struct AllModesReceiverTests {
    static func decode(_ x: [Float], modes: [Mode], block: Int = 4096) throws -> [ReceivedFrame] {
        let rx = try PhysicalReceiver(modes: modes, lineCode: nil, sampleRate: 48000)
        var frames = [ReceivedFrame]()
        var i = 0
        while i < x.count {
            let n = min(block, x.count - i)
            frames += x[i..<(i + n)].withUnsafeBufferPointer { rx.process($0) }
            i += n
        }
        return frames + rx.finish()
    }

    /// Frames of several modes one after the other, with noise and silence between them: every
    /// frame comes back, in time order, at the position it was sent (no lock-out on the first mode).
    @Test func framesOfEveryModeComeBackInTimeOrder() throws {
        var rng = SeededGenerator(seed: 9)
        let order: [Mode] = [.bell202, .fsk1200, .mfsk16, .bell103, .baseband, .mfsk4, .bell202]
        var x = [Float]()
        var starts = [Int]()
        var payloads = [[UInt8]]()
        for (i, mode) in order.enumerated() {
            // fsk1200 follows bell202 within a twentieth of a second: the other modes are then
            // still resting after bell202's frame, and must reach back for it.
            let gap = i == 1 ? 0.05 : i % 2 == 0 ? 1.3 : 0.4
            x += ToneGateTests.whiteNoise(seconds: gap, rate: 48000, rms: 0.01, seed: UInt64(i))
            starts.append(x.count)
            let payload = rng.bytes(40 + 10 * i)
            payloads.append(payload)
            x += try transmit([payload], mode: mode, lead: 0, gap: 0)
        }
        x += ToneGateTests.whiteNoise(seconds: 1, rate: 48000, rms: 0.01, seed: 99)
        let frames = try Self.decode(x, modes: ToneGateTests.modes(at: 48000))
        let good = frames.filter { $0.frame.isOK }
        #expect(good.map(\.mode) == order)
        #expect(good.map(\.frame.payload) == payloads)
        for (f, start) in zip(good, starts) {
            #expect(
                abs(f.frame.startSample - start) < 200, "\(f.mode.name) at \(f.frame.startSample), sent at \(start)")
        }
        #expect(frames.map(\.frame.startSample) == frames.map(\.frame.startSample).sorted())
        // How the caller cuts the stream does not matter.
        let small = try Self.decode(x, modes: ToneGateTests.modes(at: 48000), block: 777)
        #expect(small.map(\.frame.payload) == frames.map(\.frame.payload))
        #expect(small.map(\.frame.startSample) == frames.map(\.frame.startSample))
    }

    /// Between frames, on silence and noise, no demodulator runs.
    @Test func demodulatorsRunOnlyWhileTheirTonesArePresent() throws {
        let modes = ToneGateTests.modes(at: 48000)
        let rx = try PhysicalReceiver(modes: modes, lineCode: nil, sampleRate: 48000)
        let noise = ToneGateTests.whiteNoise(seconds: 3, rate: 48000, rms: 0.02, seed: 1)
        _ = noise.withUnsafeBufferPointer { rx.process($0) }
        #expect(rx.activeModes.isEmpty)
        let frame = try transmit([Array(repeating: 0x55, count: 400)], mode: .fsk1200, lead: 0, gap: 0)
        _ = frame[0..<(frame.count / 2)].withUnsafeBufferPointer { rx.process($0) }
        #expect(rx.activeModes.contains(.fsk1200))
        #expect(!rx.activeModes.contains(.mfsk16))
        _ = frame[(frame.count / 2)...].withUnsafeBufferPointer { rx.process($0) }
        _ = noise.withUnsafeBufferPointer { rx.process($0) }
        #expect(rx.activeModes.isEmpty)
    }

    /// As sensitive as one mode: near each mode's limit, every frame its own demodulator finds
    /// (and a few it loses), the receiver listening for all modes finds too.
    @Test(arguments: [
        ("bell103", 11.0), ("bell202", 10.0), ("fsk1200", 10.0), ("mfsk4", 8.0), ("mfsk16", 6.0),
        ("mfsk4-6000", 8.0), ("baseband", 10.0)
    ])
    func asSensitiveAsOneMode(name: String, ebn0: Double) throws {
        let mode = try #require(Mode.named(name))
        let modes = ToneGateTests.modes(at: 48000)
        var one = 0, all = 0
        for seed in 0..<6 {
            var rng = SeededGenerator(seed: UInt64(seed) + 40)
            let payload = rng.bytes(120)
            let clean = try transmit([payload], mode: mode, lead: 0.7)
            let x = addNoise(clean, ebn0: ebn0, bitRate: mode.bitRate, rate: 48000, seed: UInt64(seed) + 400)
            let alone = try receive(x, mode: mode).contains { $0.isOK && $0.payload == payload }
            let together = try Self.decode(x, modes: modes).contains {
                $0.mode == mode && $0.frame.isOK && $0.frame.payload == payload
            }
            one += alone ? 1 : 0
            all += together ? 1 : 0
            #expect(!alone || together, "\(name) seed \(seed): found alone, not with every mode listening")
        }
        #expect(all >= one)
    }

    /// A recording no longer than the frame it holds (no silence around it, shorter than the
    /// gate's window for the fast modes): the frame is found, as with one mode.
    @Test(arguments: ["mfsk4-6000", "fsk2400", "fsk1200", "bell202"])
    func aRecordingAsShortAsItsFrameIsHeard(name: String) throws {
        let mode = try #require(Mode.named(name))
        let payload: [UInt8] = [1, 2, 3, 4]
        let x = try transmit([payload], mode: mode, lead: 0, gap: 0)
        let frames = try Self.decode(x, modes: ToneGateTests.modes(at: 48000))
        #expect(frames.contains { $0.mode == mode && $0.frame.isOK && $0.frame.payload == payload })
    }
}
