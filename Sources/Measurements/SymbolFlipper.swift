import L1Physical

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Damages chosen channel symbols of the frames in a recording: the tool for watching
/// the checks catch errors. It finds the frames with the receiver, then, inside each
/// frame's payload, overwrites whole symbol windows with another tone (or the opposite
/// level on baseband), so the receiver decides the wrong symbol there.
public struct SymbolFlipper: Sendable {
    /// One damaged symbol.
    public struct Flip: Sendable, Codable, CustomStringConvertible {
        /// Index of the frame in the recording, from 0.
        public var frame: Int
        /// Index of the payload symbol damaged within the frame.
        public var symbol: Int
        /// Time of the symbol's start in seconds.
        public var time: Double
        public var description: String { String(format: "frame %d symbol %d at %.4f s", frame, symbol, time) }
    }

    /// Symbols damaged at random positions in each frame's payload.
    public var flipsPerFrame: Int
    /// Length of one burst of consecutive wrong symbols per frame, in seconds (0 = none).
    public var burstSeconds: Double
    /// Seed of the random positions.
    public var seed: UInt64

    /// A flipper; no damage unless `flipsPerFrame` or `burstSeconds` is set.
    public init(flipsPerFrame: Int = 0, burstSeconds: Double = 0, seed: UInt64 = 1) {
        self.flipsPerFrame = flipsPerFrame
        self.burstSeconds = burstSeconds
        self.seed = seed
    }

    /// Damages `samples` in place; returns what was flipped (empty if no frame was found).
    public func apply(to samples: inout [Float], sampleRate: Int) throws -> [Flip] {
        let modes = Mode.all.filter {
            (try? $0.validate(sampleRate: Double(sampleRate), lineCode: $0.defaultLineCode)) != nil
        }
        let rx = try PhysicalReceiver(modes: modes, lineCode: nil, sampleRate: Double(sampleRate))
        let frames = samples.withUnsafeBufferPointer { rx.process($0) } + rx.finish()
        var state = seed &+ 0x9E37_79B9_7F4A_7C15
        func random(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(max(1, n)))
        }
        var flips = [Flip]()
        for (index, found) in frames.enumerated() where found.frame.status != .headerError {
            let mode = found.mode
            let sps = Double(sampleRate) / mode.symbolRate(lineCode: found.lineCode)
            let k = mode.bitsPerSymbol
            let headerSymbols =
                (PhysicalFrame.headerBits * PhysicalFrame.headerCopies * found.lineCode.chipsPerBit + k - 1) / k
            let first = PhysicalFrame.preambleSymbols + PhysicalFrame.syncSymbols + headerSymbols
            let last = Int(Double(found.frame.endSample - found.frame.startSample) / sps) - 1
            guard last > first else { continue }
            var chosen = Set<Int>()
            for _ in 0..<flipsPerFrame { chosen.insert(first + random(last - first)) }
            let burst = Int((burstSeconds * Double(sampleRate) / sps).rounded())
            if burst > 0 {
                let start = first + random(max(1, last - first - burst))
                for s in start..<min(last, start + burst) { chosen.insert(s) }
            }
            let amplitude = rms(samples, found.frame.startSample, found.frame.endSample) * 2.0.squareRoot()
            for symbol in chosen.sorted() {
                let a = found.frame.startSample + Int((Double(symbol) * sps).rounded())
                let b = min(samples.count, found.frame.startSample + Int((Double(symbol + 1) * sps).rounded()))
                guard a >= 0, a < b else { continue }
                overwrite(&samples, a..<b, mode: mode, amplitude: amplitude, sampleRate: Double(sampleRate))
                flips.append(Flip(frame: index + 1, symbol: symbol, time: Double(a) / Double(sampleRate)))
            }
        }
        return flips
    }

    func rms(_ x: [Float], _ a: Int, _ b: Int) -> Double {
        let lo = max(0, a), hi = min(x.count, b)
        guard hi > lo else { return 0 }
        var s = 0.0
        for i in lo..<hi { s += Double(x[i]) * Double(x[i]) }
        return (s / Double(hi - lo)).squareRoot()
    }

    /// Replaces the window with the tone farthest from the one it holds.
    func overwrite(_ x: inout [Float], _ range: Range<Int>, mode: Mode, amplitude: Double, sampleRate: Double) {
        if mode.isBaseband {
            for i in range { x[i] = -x[i] }
            return
        }
        var best = 0, bestEnergy = -1.0
        for (t, f) in mode.tones.enumerated() {
            var re = 0.0, im = 0.0
            for i in range {
                let ph = 2 * Double.pi * f * Double(i) / sampleRate
                re += Double(x[i]) * cos(ph); im += Double(x[i]) * sin(ph)
            }
            if re * re + im * im > bestEnergy { bestEnergy = re * re + im * im; best = t }
        }
        let other = best < mode.tones.count / 2 ? mode.tones.count - 1 : 0
        let f = mode.tones[other]
        for i in range { x[i] = Float(amplitude * sin(2 * Double.pi * f * Double(i) / sampleRate)) }
    }
}
