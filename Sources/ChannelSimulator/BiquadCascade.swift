import Foundation

/// A cascade of second-order IIR sections (direct form II transposed, state in Double).
///
/// ```swift
/// var band = BiquadCascade.bandPass(low: 300, high: 3400, order: 6, sampleRate: 48_000)
/// band.process(&samples)
/// ```
public struct BiquadCascade: Sendable {
    /// One section's normalised coefficients: b0, b1, b2, a1, a2 (a0 = 1).
    public struct Section: Sendable, Hashable {
        /// The coefficients: numerator b0, b1, b2 and denominator a1, a2 (a0 = 1).
        public var b0, b1, b2, a1, a2: Double
    }

    /// The sections, applied in order.
    public private(set) var sections: [Section]
    /// Two state values per section.
    private var state: [Double]

    /// A cascade of `sections` with zero state.
    public init(sections: [Section]) {
        self.sections = sections
        state = [Double](repeating: 0, count: 2 * sections.count)
    }

    /// Q factors of the second-order sections of an even-order Butterworth filter.
    static func butterworthQ(order: Int) -> [Double] {
        (1...(order / 2)).map { k in
            1 / (2 * cos(Double.pi * Double(2 * k - 1) / Double(2 * order)))
        }
    }

    /// A Butterworth low-pass (`highPass` false) or high-pass of even `order` at `cutoff` Hz,
    /// by the bilinear transform prewarped at the cut-off.
    public static func butterworth(
        cutoff: Double, order: Int, highPass: Bool,
        sampleRate: Double
    ) -> BiquadCascade {
        let w0 = 2 * Double.pi * cutoff / sampleRate
        let c = cos(w0)
        let s = sin(w0)
        let sections = butterworthQ(order: max(2, order - order % 2)).map { q -> Section in
            let alpha = s / (2 * q)
            let a0 = 1 + alpha
            let b1 = highPass ? -(1 + c) : (1 - c)
            let b0 = highPass ? (1 + c) / 2 : (1 - c) / 2
            return Section(
                b0: b0 / a0, b1: b1 / a0, b2: b0 / a0,
                a1: -2 * c / a0, a2: (1 - alpha) / a0)
        }
        return BiquadCascade(sections: sections)
    }

    /// A band-pass: a Butterworth high-pass at `low` followed by a low-pass at `high`, each of
    /// (even) `order`.
    public static func bandPass(
        low: Double, high: Double, order: Int = 6,
        sampleRate: Double
    ) -> BiquadCascade {
        let hp = butterworth(cutoff: low, order: order, highPass: true, sampleRate: sampleRate)
        let lp = butterworth(cutoff: high, order: order, highPass: false, sampleRate: sampleRate)
        return BiquadCascade(sections: hp.sections + lp.sections)
    }

    /// Clears the filter state.
    public mutating func reset() {
        for i in state.indices { state[i] = 0 }
    }

    /// Filters `samples` in place, continuing from the current state.
    public mutating func process(_ samples: inout [Float]) {
        let secs = sections
        samples.withUnsafeMutableBufferPointer { x in
            state.withUnsafeMutableBufferPointer { z in
                for (j, sec) in secs.enumerated() {
                    var z1 = z[2 * j]
                    var z2 = z[2 * j + 1]
                    for i in 0..<x.count {
                        let v = Double(x[i])
                        let y = sec.b0 * v + z1
                        z1 = sec.b1 * v - sec.a1 * y + z2
                        z2 = sec.b2 * v - sec.a2 * y
                        x[i] = Float(y)
                    }
                    z[2 * j] = z1
                    z[2 * j + 1] = z2
                }
            }
        }
    }

    /// The magnitude response at `frequency` Hz.
    public func magnitude(at frequency: Double, sampleRate: Double) -> Double {
        let w = 2 * Double.pi * frequency / sampleRate
        var mag = 1.0
        for s in sections {
            // H(e^{jw}) = (b0 + b1 e^{-jw} + b2 e^{-2jw}) / (1 + a1 e^{-jw} + a2 e^{-2jw})
            let nr = s.b0 + s.b1 * cos(w) + s.b2 * cos(2 * w)
            let ni = -s.b1 * sin(w) - s.b2 * sin(2 * w)
            let dr = 1 + s.a1 * cos(w) + s.a2 * cos(2 * w)
            let di = -s.a1 * sin(w) - s.a2 * sin(2 * w)
            mag *= ((nr * nr + ni * ni) / (dr * dr + di * di)).squareRoot()
        }
        return mag
    }
}
