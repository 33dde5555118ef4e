import Foundation
import SignalBasics

@testable import ChannelSimulator

/// Signals and measurements shared by the tests.
enum TestSignals {
    /// Seeded white Gaussian noise of standard deviation `sigma`.
    static func noise(count: Int, sigma: Double, seed: UInt64) -> [Float] {
        var rng = SeededGenerator(seed: seed)
        return (0..<count).map { _ in Float(sigma * rng.nextGaussian()) }
    }

    /// Mean square of `x[range]`.
    static func power(_ x: [Float], _ range: Range<Int>? = nil) -> Double {
        let r = range ?? 0..<x.count
        guard !r.isEmpty else { return 0 }
        var sum = 0.0
        for i in r { sum += Double(x[i]) * Double(x[i]) }
        return sum / Double(r.count)
    }

    /// Mean square of `a − b` over `range` (both long enough).
    static func differencePower(_ a: [Float], _ b: [Float], _ range: Range<Int>) -> Double {
        var sum = 0.0
        for i in range {
            let d = Double(a[i]) - Double(b[i])
            sum += d * d
        }
        return sum / Double(range.count)
    }

    static func dB(_ ratio: Double) -> Double { 10 * log10(ratio) }

    /// Frequency of a clean tone from its rising zero crossings (linearly interpolated)
    /// between samples `range`: (crossings − 1) periods over the time from first to last.
    static func frequency(_ x: [Float], sampleRate: Int, _ range: Range<Int>) -> Double {
        var first: Double?
        var last = 0.0
        var count = 0
        for i in (range.lowerBound + 1)..<range.upperBound where x[i - 1] < 0 && x[i] >= 0 {
            let a = Double(x[i - 1])
            let b = Double(x[i])
            let t = Double(i - 1) + (-a) / (b - a)
            if first == nil { first = t }
            last = t
            count += 1
        }
        guard let first, count > 1 else { return 0 }
        return Double(count - 1) / ((last - first) / Double(sampleRate))
    }

    /// Amplitude of the component at `frequency` over `range`: one DFT bin under a Hann window
    /// (normalised by the window's sum, so a sine of peak A reads A).
    static func amplitude(
        _ x: [Float], at frequency: Double, sampleRate: Int,
        _ range: Range<Int>
    ) -> Double {
        var re = 0.0
        var im = 0.0
        var weights = 0.0
        let n = Double(range.count)
        for (k, i) in range.enumerated() {
            let w = 0.5 - 0.5 * cos(2 * Double.pi * (Double(k) + 0.5) / n)
            let p = 2 * Double.pi * frequency * Double(i) / Double(sampleRate)
            re += w * Double(x[i]) * cos(p)
            im += w * Double(x[i]) * sin(p)
            weights += w
        }
        return 2 * (re * re + im * im).squareRoot() / weights
    }

    /// Path of an executable found on PATH, if any.
    static func which(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
