import Foundation
import SignalBasics

/// The steps of ``ChannelState`` that model a tape transport and a room.
extension ChannelState {
    /// Wow or flutter: output sample `n` is the input read at
    /// `n + fs·a/(2πf)·(1 − cos 2πfn/fs)`, the integral of a speed `1 + a·sin 2πfn/fs`;
    /// between samples, a Kaiser-windowed sinc of ±16 taps (flat to 0.45 fs, so a 21 kHz tone
    /// at 48 kHz comes through as clean as a 1 kHz one).
    mutating func wander(percent: Double, hertz: Double, name: String) {
        let a = percent / 100
        let depth = fs * a / (2 * Double.pi * hertz)
        let w = 2 * Double.pi * hertz / fs
        let half = 16, phases = 256
        // table[q][m]: the kernel at m − half + 1 − q/phases, for q in 0...phases.
        let table: [[Double]] = (0...phases).map { q in
            (0..<(2 * half)).map { m in
                let t = Double(m - half + 1) - Double(q) / Double(phases)
                let sinc = t == 0 ? 1 : sin(Double.pi * t * 0.97) / (Double.pi * t)
                return (t == 0 ? 0.97 : sinc) * KaiserWindow.value(at: t / Double(half), beta: 8)
            }
        }
        let x = samples
        let old = mask
        var peak = 0.0
        samples = x.withUnsafeBufferPointer { x -> [Float] in
            let n = x.count
            return (0..<n).map { k in
                let p = Double(k) + depth * (1 - cos(w * Double(k)))
                peak = max(peak, p - Double(k))
                let i = Int(p.rounded(.down))
                let f = (p - Double(i)) * Double(phases)
                let q = min(phases - 1, Int(f))
                let g = f - Double(q)
                var sum = 0.0
                let lo = table[q], hi = table[q + 1]
                for m in 0..<(2 * half) {
                    let j = i + m - half + 1
                    guard j >= 0 && j < n else { continue }
                    sum += Double(x[j]) * (lo[m] + g * (hi[m] - lo[m]))
                }
                return Float(sum)
            }
        }
        mask = (0..<samples.count).map { k in
            let p = Int((Double(k) + depth * (1 - cos(w * Double(k)))).rounded())
            return p < old.count ? old[p] : false
        }
        record(
            name, [.init("depth", percent, "%"), .init("rate", hertz, "Hz")],
            "\(name): speed ±\(formatted(percent, digits: 3)) % at \(formatted(hertz, digits: 3)) Hz, "
                + "the signal up to \(formatted(peak / fs * 1000, digits: 2)) ms late")
    }

    /// Reverberation: the signal convolved (overlap-add, FFT) with an impulse response of a unit
    /// direct path and a noise tail from 5 ms on, exp(−6.91·t/RT60), of energy 10^(−DRR/10).
    mutating func reverb(seconds: Double, directToReverberantDB: Double, rng: inout SeededGenerator) throws {
        let start = sampleCount(milliseconds: 5)
        let length = max(start + 1, Int((1.5 * seconds * fs).rounded()))
        var response = [Double](repeating: 0, count: length)
        response[0] = 1
        var energy = 0.0
        for i in start..<length {
            let v = rng.nextGaussian() * exp(-6.91 * Double(i - start) / (seconds * fs))
            response[i] = v
            energy += v * v
        }
        let scale = energy > 0 ? (powerRatio(dB: -directToReverberantDB) / energy).squareRoot() : 0
        for i in start..<length { response[i] *= scale }
        samples = try Self.convolve(samples, response)
        record(
            "reverb", [.init("rt60", seconds, "s"), .init("drr", directToReverberantDB, "dB")],
            "reverb: RT60 \(formatted(seconds, digits: 3)) s, direct-to-reverberant "
                + "\(formatted(directToReverberantDB, digits: 1)) dB, tail from 5 ms, \(length) taps")
    }

    /// `x` convolved with `h`, cut to the length of `x`: overlap-add in FFT blocks.
    static func convolve(_ x: [Float], _ h: [Double]) throws -> [Float] {
        guard !x.isEmpty else { return x }
        var size = 2
        while size < 2 * h.count { size *= 2 }
        let fft = try FFT(size: size)
        let block = size - h.count + 1
        var hRe = h + [Double](repeating: 0, count: size - h.count)
        var hIm = [Double](repeating: 0, count: size)
        fft.transform(re: &hRe, im: &hIm)
        var y = [Double](repeating: 0, count: x.count)
        var begin = 0
        while begin < x.count {
            let end = min(x.count, begin + block)
            var re = [Double](repeating: 0, count: size)
            var im = [Double](repeating: 0, count: size)
            for i in begin..<end { re[i - begin] = Double(x[i]) }
            fft.transform(re: &re, im: &im)
            // Multiply, and conjugate so that a forward transform gives the inverse (times size).
            for k in 0..<size {
                let r = re[k] * hRe[k] - im[k] * hIm[k]
                let i = re[k] * hIm[k] + im[k] * hRe[k]
                re[k] = r
                im[k] = -i
            }
            fft.transform(re: &re, im: &im)
            let n = Double(size)
            for i in 0..<min(size, x.count - begin) { y[begin + i] += re[i] / n }
            begin = end
        }
        return y.map { Float($0) }
    }
}
