import Foundation

/// The Kaiser window and its design formulas, shared by the resampler and the Hilbert filter.
public enum KaiserWindow {
    /// The zeroth-order modified Bessel function of the first kind, I₀(x), by its power series.
    public static func besselI0(_ x: Double) -> Double {
        let q = x * x / 4
        var term = 1.0
        var sum = 1.0
        var k = 1.0
        while term > sum * 1e-17 {
            term *= q / (k * k)
            sum += term
            k += 1
        }
        return sum
    }

    /// The window value at `position` ∈ [−1, 1] (0 at the centre); 0 outside.
    public static func value(at position: Double, beta: Double) -> Double {
        let r = 1 - position * position
        guard r > 0 else { return r == 0 ? 1 / besselI0(beta) : 0 }
        return besselI0(beta * r.squareRoot()) / besselI0(beta)
    }

    /// Kaiser's β for a stop-band attenuation of `attenuationDB` decibels.
    public static func beta(attenuationDB a: Double) -> Double {
        if a > 50 { return 0.1102 * (a - 8.7) }
        if a >= 21 { return 0.5842 * pow(a - 21, 0.4) + 0.07886 * (a - 21) }
        return 0
    }

    /// Taps needed for a transition band `transition` radians/sample wide at `attenuationDB`.
    public static func length(attenuationDB a: Double, transition: Double) -> Int {
        Int(((a - 8) / (2.285 * transition)).rounded(.up)) + 1
    }
}
