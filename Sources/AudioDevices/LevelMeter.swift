import Foundation
import SignalBasics

/// What the input sounded like over the last interval: enough to set a recording level before
/// sending anything.
public struct LevelReading: Sendable, Hashable {
    /// The loudest sample, in dB relative to full scale (−∞ … 0).
    public var peakDBFS: Double
    /// The RMS level in dBFS.
    public var rmsDBFS: Double
    /// Samples at full scale (clipped, or about to be).
    public var clipped: Int
    /// The strongest tones, loudest first, in Hz: peaks of the spectrum that stand at least
    /// 20 dB above its median and within 30 dB of the loudest.
    public var tones: [Double]
    /// Seconds of input this reading covers.
    public var seconds: Double
    /// The power spectrum of the interval's last samples, and its bin spacing in Hz.
    var spectrum: [Double] = []
    var binHz = 1.0

    /// How far the strongest bin within 2 % (at least 15 Hz) of `frequency` stands above the
    /// spectrum's median, in dB: a carrier's tones stand 20 dB and more above noise.
    public func standsOut(_ frequency: Double) -> Double {
        guard spectrum.count > 2 else { return 0 }
        let median = max(spectrum.sorted()[spectrum.count / 2], 1e-30)
        let reach = max(15, 0.02 * frequency)
        let low = max(0, Int(((frequency - reach) / binHz).rounded(.down)))
        let high = min(spectrum.count - 1, Int(((frequency + reach) / binHz).rounded(.up)))
        guard low <= high else { return 0 }
        return 10 * log10(max(spectrum[low...high].max() ?? 0, 1e-30) / median)
    }
}

/// Level and tones of 16-bit mono input, one ``LevelReading`` per interval.
///
///     var meter = LevelMeter(sampleRate: 48000, interval: 0.5)
///     if let reading = meter.add(block) { show(reading) }
public struct LevelMeter: Sendable {
    /// Samples per second.
    public let sampleRate: Int
    /// Samples per reading.
    public let intervalFrames: Int
    private let fft: FFT
    private var recent: [Float]
    private var filled = 0
    private var peak: Int32 = 0
    private var sumSquares = 0.0
    private var clipped = 0
    private var count = 0

    /// A meter reading every `interval` seconds (0.05…10); tones come from the last 4096 samples
    /// (8192 above 48 kHz).
    public init(sampleRate: Int, interval: Double = 0.5) {
        self.sampleRate = sampleRate
        intervalFrames = max(1, Int(Double(sampleRate) * min(10, max(0.05, interval))))
        fft = try! FFT(size: sampleRate > 48000 ? 8192 : 4096)  // a power of two: cannot throw
        recent = [Float](repeating: 0, count: fft.size)
    }

    /// Takes a block of samples; returns a reading when an interval has been filled.
    public mutating func add(_ samples: UnsafeBufferPointer<Int16>) -> LevelReading? {
        var reading: LevelReading?
        for s in samples {
            let v = Int32(s)
            peak = max(peak, abs(v))
            sumSquares += Double(v * v)
            if v >= 32767 || v <= -32767 { clipped += 1 }
            recent[filled % recent.count] = Float(v) / 32768
            filled += 1
            count += 1
            if count == intervalFrames { reading = finishInterval() }
        }
        return reading
    }

    private mutating func finishInterval() -> LevelReading {
        func dB(_ x: Double) -> Double { x > 0 ? 20 * log10(x) : -.infinity }
        let n = recent.count
        // The ring in time order.
        let start = filled % n
        let ordered = Array(recent[start...] + recent[..<start])
        let power = fft.powerSpectrum(of: ordered)
        let reading = LevelReading(
            peakDBFS: dB(Double(peak) / 32768), rmsDBFS: dB((sumSquares / Double(count)).squareRoot() / 32768),
            clipped: clipped, tones: Self.tones(power, binHz: Double(sampleRate) / Double(n)),
            seconds: Double(count) / Double(sampleRate), spectrum: power, binHz: Double(sampleRate) / Double(n))
        peak = 0
        sumSquares = 0
        clipped = 0
        count = 0
        return reading
    }

    /// Up to three local maxima of `power` at least 20 dB over its median and within 30 dB of
    /// the loudest, loudest first, each placed between bins by a parabola through its
    /// neighbours; none closer than 3 bins.
    static func tones(_ power: [Double], binHz: Double) -> [Double] {
        guard power.count > 4 else { return [] }
        let median = power.sorted()[power.count / 2]
        let floor = max(median * 100, (power.max() ?? 0) / 1000, 1e-12)
        var peaks: [(bin: Int, power: Double)] = []
        for i in 2..<(power.count - 1) where power[i] > floor && power[i] >= power[i - 1] && power[i] > power[i + 1] {
            peaks.append((i, power[i]))
        }
        var chosen: [(bin: Int, power: Double)] = []
        for p in peaks.sorted(by: { $0.power > $1.power }) where chosen.count < 3 {
            if chosen.allSatisfy({ abs($0.bin - p.bin) > 3 }) { chosen.append(p) }
        }
        return chosen.map { p in
            let a = log(power[p.bin - 1] + 1e-30), b = log(power[p.bin] + 1e-30), c = log(power[p.bin + 1] + 1e-30)
            let d = a - 2 * b + c
            let offset = d == 0 ? 0 : 0.5 * (a - c) / d
            return (Double(p.bin) + offset) * binHz
        }
    }
}
