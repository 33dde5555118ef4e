import Foundation
import SignalBasics

/// The signal on its way through ``ChannelSimulator/apply(_:to:sampleRate:seed:silenceDB:)``, with the
/// active-part mask carried along (so erasures and bursts land on the signal even after hum
/// or noise has filled the silences) and what the report will say.
struct ChannelState {
    var samples: [Float]
    /// Active flag per sample, kept aligned with `samples` by length-changing steps.
    var mask: [Bool]
    let sampleRate: Int
    /// Ps of the clean input.
    let signalPower: Double
    let activeSeconds: Double
    var noiseVariance = 0.0
    var bitRate: Double?
    var ebN0DB: Double?
    /// Dropout and burst starts, in samples of the output.
    var erasures: [Double] = []
    var bursts: [Double] = []
    var steps: [ChannelReport.Step] = []

    init(
        samples: [Float], mask: [Bool], sampleRate: Int, signalPower: Double,
        activeSeconds: Double
    ) {
        self.samples = samples
        self.mask = mask
        self.sampleRate = sampleRate
        self.signalPower = signalPower
        self.activeSeconds = activeSeconds
    }

    var fs: Double { Double(sampleRate) }

    /// Samples in `ms` milliseconds, rounded.
    func sampleCount(milliseconds ms: Double) -> Int { Int((ms * fs / 1000).rounded()) }

    /// Sample positions as a list of seconds, "0.1234, 0.5678".
    func seconds(_ positions: [Int]) -> String {
        positions.isEmpty
            ? "none"
            : positions.map { formatted(Double($0) / fs, digits: 4) }
                .joined(separator: ", ")
    }

    mutating func record(_ name: String, _ parameters: [ChannelReport.Parameter], _ summary: String) {
        steps.append(ChannelReport.Step(name: name, parameters: parameters, summary: summary))
    }

    /// Applies one step, drawing any randomness from `rng`.
    mutating func apply(_ step: Impairment, rng: inout SeededGenerator) throws {
        switch step {
        case let .awgn(level): try addNoise(level, rng: &rng)
        case let .clockDrift(ppm): drift(ppm: ppm)
        case let .frequencyOffset(hz): shiftFrequency(hz)
        case let .gain(db): applyGain(db)
        case let .dcOffset(dc): addDC(dc)
        case let .padding(ms): pad(ms)
        case let .hum(f, db): try addHum(frequency: f, levelDB: db, rng: &rng)
        case let .telephoneBand(lo, hi): bandPass(lo, hi)
        case .muLaw: try muLaw()
        case let .echo(taps): echo(taps)
        case let .wow(percent, hz): wander(percent: percent, hertz: hz, name: "wow")
        case let .flutter(percent, hz): wander(percent: percent, hertz: hz, name: "flutter")
        case let .reverb(seconds, db): try reverb(seconds: seconds, directToReverberantDB: db, rng: &rng)
        case let .burstNoise(n, ms, db): try burst(count: n, ms: ms, levelDB: db, rng: &rng)
        case let .dropout(n, ms): dropout(count: n, ms: ms, rng: &rng)
        }
    }

    // MARK: Noise

    mutating func addNoise(_ level: NoiseLevel, rng: inout SeededGenerator) throws {
        let (sigma, rate) = try ChannelSimulator.sigma(
            for: level, signalPower: signalPower,
            activeSeconds: activeSeconds,
            sampleRate: sampleRate)
        samples.withUnsafeMutableBufferPointer { rng.addGaussian(sigma: sigma, to: $0) }
        noiseVariance += sigma * sigma
        let snr = decibels(power: signalPower / (sigma * sigma))
        switch level {
        case let .ebN0(db, _):
            bitRate = rate
            ebN0DB = db
            record(
                "awgn",
                [
                    .init("ebn0", db, "dB"), .init("bitrate", rate ?? 0, "bit/s"),
                    .init("sigma", sigma)
                ],
                "awgn: Eb/N0 \(formatted(db, digits: 2)) dB at \(formatted(rate ?? 0, digits: 2)) "
                    + "bit/s → sigma \(formatted(sigma, digits: 6)), SNR \(formatted(snr, digits: 2)) dB per sample")
        case let .snr(db, bw):
            var params: [ChannelReport.Parameter] = [.init("snr", db, "dB"), .init("sigma", sigma)]
            if let bw { params.append(.init("bandwidth", bw, "Hz")) }
            let band = bw.map { " in \(formatted($0, digits: 1)) Hz" } ?? " per sample"
            record(
                "awgn", params,
                "awgn: SNR \(formatted(db, digits: 2)) dB\(band) → sigma "
                    + "\(formatted(sigma, digits: 6)), SNR \(formatted(snr, digits: 2)) dB per sample")
        }
    }

    /// Positions for `count` bursts: uniformly chosen active samples (with replacement),
    /// sorted; the whole signal if nothing is active.
    func burstStarts(count: Int, rng: inout SeededGenerator) -> [Int] {
        let active = mask.reduce(0) { $0 + ($1 ? 1 : 0) }
        var starts: [Int] = []
        for _ in 0..<count {
            guard !samples.isEmpty else { break }
            if active == 0 {
                starts.append(rng.nextInt(below: samples.count))
                continue
            }
            var k = rng.nextInt(below: active)
            for (i, on) in mask.enumerated() where on {
                if k == 0 { starts.append(i); break }
                k -= 1
            }
        }
        return starts.sorted()
    }

    mutating func burst(count: Int, ms: Double, levelDB: Double, rng: inout SeededGenerator) throws {
        guard signalPower > 0 else { throw ChannelError.noSignal }
        let length = sampleCount(milliseconds: ms)
        let sigma = (signalPower * powerRatio(dB: levelDB)).squareRoot()
        let starts = burstStarts(count: count, rng: &rng)
        samples.withUnsafeMutableBufferPointer { x in
            for s in starts where s < x.count {
                let span = UnsafeMutableBufferPointer(rebasing: x[s..<min(x.count, s + length)])
                rng.addGaussian(sigma: sigma, to: span)
            }
        }
        bursts += starts.map(Double.init)
        record(
            "burst",
            [
                .init("count", Double(count)), .init("length", ms, "ms"),
                .init("level", levelDB, "dB")
            ],
            "burst: \(count) × \(formatted(ms)) ms of noise at \(formatted(levelDB, digits: 1)) dB "
                + "re signal, at \(seconds(starts)) s")
    }

    mutating func dropout(count: Int, ms: Double, rng: inout SeededGenerator) {
        let length = sampleCount(milliseconds: ms)
        let starts = burstStarts(count: count, rng: &rng)
        samples.withUnsafeMutableBufferPointer { x in
            for s in starts {
                for i in s..<min(x.count, s + length) { x[i] = 0 }
            }
        }
        erasures += starts.map(Double.init)
        record(
            "dropout", [.init("count", Double(count)), .init("length", ms, "ms")],
            "dropout: \(count) × \(formatted(ms)) ms zeroed at "
                + "\(seconds(starts)) s")
    }

    mutating func addHum(frequency f: Double, levelDB: Double, rng: inout SeededGenerator) throws {
        guard signalPower > 0 else { throw ChannelError.noSignal }
        // Fundamental and the harmonics a transformer's field and rectifiers produce most.
        let harmonics: [(Double, Double)] = [(1, 1), (2, 0.5), (3, 0.35), (5, 0.2)]
        let unitPower = harmonics.reduce(0) { $0 + $1.1 * $1.1 / 2 }
        let scale = (signalPower * powerRatio(dB: levelDB) / unitPower).squareRoot()
        let phases = harmonics.map { _ in rng.nextUniform() }
        let fsLocal = fs
        samples.withUnsafeMutableBufferPointer { x in
            for (k, (h, a)) in harmonics.enumerated() {
                let cyclesPerSample = f * h / fsLocal
                let amp = scale * a
                for i in 0..<x.count {
                    let cycles = (Double(i) * cyclesPerSample + phases[k])
                        .truncatingRemainder(dividingBy: 1)
                    x[i] += Float(amp * sin(2 * Double.pi * cycles))
                }
            }
        }
        record(
            "hum", [.init("frequency", f, "Hz"), .init("level", levelDB, "dB")],
            "hum: \(formatted(f, digits: 2)) Hz + harmonics 2, 3, 5 at "
                + "\(formatted(levelDB, digits: 1)) dB re signal")
    }

    // MARK: Level

    mutating func applyGain(_ db: Double) {
        let g = Float(amplitudeRatio(dB: db))
        var clipped = 0
        samples.withUnsafeMutableBufferPointer { x in
            for i in 0..<x.count {
                let v = x[i] * g
                if abs(v) >= 1 { clipped += 1 }
                x[i] = max(-1, min(1, v))
            }
        }
        record(
            "gain", [.init("gain", db, "dB"), .init("clipped", Double(clipped))],
            "gain: \(formatted(db, digits: 2)) dB, \(clipped) samples clipped at full scale")
    }

    mutating func addDC(_ dc: Double) {
        let d = Float(dc)
        samples.withUnsafeMutableBufferPointer { x in
            for i in 0..<x.count { x[i] += d }
        }
        record("dc", [.init("offset", dc)], "dc: offset \(formatted(dc, digits: 4)) full scale")
    }

    mutating func pad(_ ms: Double) {
        let n = sampleCount(milliseconds: ms)
        let zeros = [Float](repeating: 0, count: n)
        samples = zeros + samples + zeros
        let off = [Bool](repeating: false, count: n)
        mask = off + mask + off
        erasures = erasures.map { $0 + Double(n) }
        bursts = bursts.map { $0 + Double(n) }
        record("pad", [.init("padding", ms, "ms")], "pad: \(formatted(ms)) ms (\(n) samples) of silence each side")
    }
}
