import Plots

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Textbook bit error rates over an AWGN channel, as functions of Eb/N0 in dB.
///
///     ErrorRateTheory.nonCoherentBFSK(ebn0dB: 10)   // 0.5·e^(−5) ≈ 3.4e-3
public enum ErrorRateTheory {
    /// Linear Eb/N0 from dB.
    public static func linear(_ db: Double) -> Double { pow(10, db / 10) }

    /// Gaussian tail probability Q(x) = ½ erfc(x/√2).
    public static func q(_ x: Double) -> Double { 0.5 * erfc(x / 2.0.squareRoot()) }

    /// Non-coherent orthogonal BFSK: ½ exp(−Eb/2N0).
    public static func nonCoherentBFSK(ebn0dB: Double) -> Double { 0.5 * exp(-linear(ebn0dB) / 2) }

    /// Coherent orthogonal BFSK: Q(√(Eb/N0)).
    public static func coherentBFSK(ebn0dB: Double) -> Double { q(linear(ebn0dB).squareRoot()) }

    /// Non-coherent orthogonal M-FSK, exact symbol error rate
    /// Pₛ = Σₙ₌₁^{M−1} (−1)ⁿ⁺¹ C(M−1, n) /(n+1) · exp(−n k Eb/N0 /(n+1)), k = log₂M,
    /// turned into a bit error rate by Pb = Pₛ · (M/2)/(M − 1).
    public static func nonCoherentMFSK(tones m: Int, ebn0dB: Double) -> Double {
        guard m >= 2 else { return 0.5 }
        let k = Double(m.trailingZeroBitCount)
        let es = k * linear(ebn0dB)
        var ps = 0.0
        var binom = 1.0
        for n in 1..<m {
            binom *= Double(m - n) / Double(n)  // C(M−1, n)
            let sign: Double = n % 2 == 1 ? 1 : -1
            ps += sign * binom / Double(n + 1) * exp(-Double(n) * es / Double(n + 1))
        }
        return max(0, min(1, ps)) * (Double(m) / 2) / Double(m - 1)
    }

    /// Frame error rate of `bits`-bit frames with independent bit errors at `ber`.
    public static func frameErrorRate(ber: Double, bits: Int) -> Double {
        1 - pow(1 - min(1, max(0, ber)), Double(bits))
    }
}

extension ErrorRateTheory {
    /// The reference curves an error-rate chart shows for modes with these tone counts:
    /// non-coherent M-FSK for each count (BFSK first), then coherent BFSK.
    ///
    ///     let chart = try ErrorRatePlot.render(table: table, theory: ErrorRateTheory.referenceCurves(toneCounts: [2, 4]))
    public static func referenceCurves(toneCounts: Set<Int>) -> [TheoryCurve] {
        var curves = [TheoryCurve]()
        for (j, m) in toneCounts.filter({ $0 >= 2 }).sorted().enumerated() {
            let name = m == 2 ? "theory: non-coherent BFSK 0.5 exp(-Eb/2N0)" : "theory: non-coherent \(m)-FSK"
            curves.append(
                TheoryCurve(name: name, color: Color(hex: j == 0 ? 0x444444 : 0x8C564B)) {
                    nonCoherentMFSK(tones: m, ebn0dB: $0)
                })
        }
        curves.append(
            TheoryCurve(name: "theory: coherent BFSK Q(sqrt(Eb/N0))", color: Color(hex: 0x9467BD)) {
                coherentBFSK(ebn0dB: $0)
            })
        return curves
    }
}
