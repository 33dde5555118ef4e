#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A frame found by the receiver, as the plots need it: where, and whether it passed.
public struct FrameMark: Sendable, Hashable {
    /// First sample of the frame in the recording.
    public var startSample: Int
    /// One past the frame's last sample.
    public var endSample: Int
    /// Whether the frame passed its checks (drawn green) or not (red).
    public var ok: Bool
    /// Short status name written on failed frames (`crc-mismatch`, …).
    public var status: String
    /// A short measurement written under the status (`Eb/N0 8.5 dB`), or empty.
    public var note: String
    /// A frame mark; `note` is empty unless given.
    public init(startSample: Int, endSample: Int, ok: Bool, status: String, note: String = "") {
        self.startSample = startSample; self.endSample = endSample; self.ok = ok; self.status = status; self.note = note
    }
}

/// The tones and timing of a mode, without depending on the physical layer.
public struct SignalShape: Sendable, Hashable {
    /// Tone frequencies in Hz, index = channel symbol; empty for baseband levels.
    public var tones: [Double]
    /// Channel symbols per second on the air (doubled by Manchester codes).
    public var symbolRate: Double
    /// The mode's name, for titles (may be empty).
    public var name: String
    /// A shape of `tones` (empty for baseband) at `symbolRate` symbols per second.
    public init(tones: [Double], symbolRate: Double, name: String = "") {
        self.tones = tones; self.symbolRate = symbolRate; self.name = name
    }
    /// Channels the energy detector looks at: the tones, or two levels (+, −) for baseband.
    public var channelCount: Int { tones.isEmpty ? 2 : tones.count }
}

/// Matched-filter energies: for a window of samples, the squared magnitude of the
/// correlation with each tone, scaled so a sine of amplitude A gives A².
/// Cumulative sums make any window O(tones) once the span is prepared.
///
///     let e = try ToneEnergies(samples, start: 0, end: n, sampleRate: 48000, shape: shape)
///     e.energies(from: 480, length: 40)   // one value per tone
public struct ToneEnergies: Sendable {
    /// The tones and symbol rate measured.
    public let shape: SignalShape
    /// First sample covered (clamped to the recording).
    public let start: Int
    /// One past the last sample covered (clamped to the recording).
    public let end: Int
    /// Cumulative sums per tone: `re[k][i]` = Σ_{n<start+i} x[n] cos(ω_k n).
    let re: [[Double]]
    let im: [[Double]]

    /// Precomputes cumulative sums over `samples[start..<end]` so any window's energies cost O(tones).
    /// - Throws: ``PlotError/invalidRange(from:to:)`` when the clamped range is empty.
    /// - Complexity: O(*n* × tones) for *n* samples.
    public init(_ samples: [Float], start: Int, end: Int, sampleRate: Double, shape: SignalShape) throws(PlotError) {
        let a = max(0, start), b = min(samples.count, end)
        guard b > a else { throw .invalidRange(from: Double(start), to: Double(end)) }
        self.shape = shape
        self.start = a
        self.end = b
        let n = b - a
        var allRe = [[Double]](), allIm = [[Double]]()
        samples.withUnsafeBufferPointer { s in
            if shape.tones.isEmpty {
                // Baseband: cumulative level and magnitude, for the "energies" of the two levels.
                var sum = [Double](repeating: 0, count: n + 1), mag = [Double](repeating: 0, count: n + 1)
                for i in 0..<n {
                    sum[i + 1] = sum[i] + Double(s[a + i])
                    mag[i + 1] = mag[i] + Double(abs(s[a + i]))
                }
                allRe = [sum, mag]
                allIm = [[], []]
            } else {
                for f in shape.tones {
                    var cr = [Double](repeating: 0, count: n + 1), ci = [Double](repeating: 0, count: n + 1)
                    let w = 2 * Double.pi * f / sampleRate
                    // Rotate a phasor rather than calling sin/cos per sample; renormalise now and then.
                    var pr = cos(w * Double(a)), pi = -sin(w * Double(a))
                    let sr = cos(w), si = -sin(w)
                    cr.withUnsafeMutableBufferPointer { r in
                        ci.withUnsafeMutableBufferPointer { m in
                            for i in 0..<n {
                                let x = Double(s[a + i])
                                r[i + 1] = r[i] + x * pr
                                m[i + 1] = m[i] + x * pi
                                let t = pr * sr - pi * si
                                pi = pr * si + pi * sr
                                pr = t
                                if i & 1023 == 1023 {
                                    let g = 1 / (pr * pr + pi * pi).squareRoot()
                                    pr *= g; pi *= g
                                }
                            }
                        }
                    }
                    allRe.append(cr); allIm.append(ci)
                }
            }
        }
        re = allRe
        im = allIm
    }

    /// Energy per tone of the window `[from, from + length)` (absolute sample indices,
    /// clamped to the prepared span).
    public func energies(from: Int, length: Int) -> [Double] {
        let a = min(end - start, max(0, from - start)), b = min(end - start, max(0, from + length - start))
        let n = Double(max(1, b - a))
        if shape.tones.isEmpty {
            // Mean level m and mean magnitude a: the "low" and "high" energies are
            // ((a − m)/2)² and ((a + m)/2)², so a clean level gives (A², 0) or (0, A²).
            let m = (re[0][b] - re[0][a]) / n, mag = (re[1][b] - re[1][a]) / n
            return [(mag - m) * (mag - m) / 4, (mag + m) * (mag + m) / 4]
        }
        return (0..<re.count).map { k in
            let r = re[k][b] - re[k][a], i = im[k][b] - im[k][a]
            return 4 * (r * r + i * i) / (n * n)
        }
    }

    /// A soft value in −1…1: the energy-weighted tone index mapped onto −1 (tone 0)
    /// … +1 (top tone); for two tones (E₁ − E₀)/(E₁ + E₀).
    public static func soft(_ e: [Double]) -> Double {
        let total = e.reduce(0, +)
        guard total > 0, e.count > 1 else { return 0 }
        var m = 0.0
        for (k, v) in e.enumerated() { m += Double(k) * v }
        return 2 * (m / total) / Double(e.count - 1) - 1
    }
}
