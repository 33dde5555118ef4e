/// Precomputed taps of a rational-ratio resampler: one row of `2 · tapsPerSide` taps for
/// each of the `phases` fractional positions an output sample can fall on.
///
/// Output sample n sits at input time n · inputStep / phases: integer part
/// ⌊n · inputStep / phases⌋, fraction (n · inputStep mod phases) / phases.
struct PolyphaseBank: Sendable {
    /// Largest bank built (taps in all rows together); above it the resampler interpolates.
    static let maximumSize = 1 << 18

    let inputStep: Int
    let phases: Int
    let tapsPerSide: Int
    /// Taps per row, `2 · tapsPerSide`: input samples i0 − tapsPerSide + 1 … i0 + tapsPerSide.
    let width: Int
    let taps: [Float]

    /// Builds the rows from `kernel`, the filter's value at a signed distance in input samples.
    init(inputStep: Int, phases: Int, tapsPerSide: Int, kernel: (Double) -> Float) {
        self.inputStep = inputStep
        self.phases = phases
        self.tapsPerSide = tapsPerSide
        width = 2 * tapsPerSide
        var rows = [Float](repeating: 0, count: phases * width)
        for phase in 0..<phases {
            let frac = Double(phase) / Double(phases)
            for j in 0..<width {
                rows[phase * width + j] = kernel(Double(j - tapsPerSide + 1) - frac)
            }
        }
        taps = rows
    }

    /// Fills `y` from `x`, output sample 0 at input index `origin`; `x` must hold
    /// `tapsPerSide` samples of margin beyond every position read.
    func render(_ x: UnsafeBufferPointer<Float>, origin: Int, into y: UnsafeMutableBufferPointer<Float>) {
        let w = width
        taps.withUnsafeBufferPointer { bank in
            guard let bp = bank.baseAddress, let xp = x.baseAddress else { return }
            for n in 0..<y.count {
                let position = n * inputStep
                let i0 = position / phases
                let row = (position - i0 * phases) * w
                let start = origin + i0 - tapsPerSide + 1
                y[n] = dotProduct(bp + row, xp + start, count: w)
            }
        }
    }
}
