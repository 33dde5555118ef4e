/// The active (non-silent) part of a signal and its power, as `channel.py` measures them.
///
/// The signal is cut into 10 ms frames (fs/100 samples, the last zero-padded); a frame is
/// active when its RMS exceeds the loudest frame's RMS by more than `silenceDB` (−40 dB).
/// Ps is the mean square of the active samples.
public struct SignalActivity: Sendable, Hashable {
    /// One flag per sample: inside an active frame.
    public let mask: [Bool]
    /// Number of active samples.
    public let activeCount: Int
    /// Mean square over the active samples (0 when there are none).
    public let power: Double

    /// Measures `samples` at `sampleRate` with a silence threshold `silenceDB` below the
    /// loudest frame.
    public init(_ samples: [Float], sampleRate: Int, silenceDB: Double = -40) {
        let frame = max(1, sampleRate / 100)
        let frames = (samples.count + frame - 1) / frame
        var rms = [Double](repeating: 0, count: frames)
        samples.withUnsafeBufferPointer { x in
            for f in 0..<frames {
                var sum = 0.0
                for i in (f * frame)..<min(x.count, (f + 1) * frame) {
                    let v = Double(x[i])
                    sum += v * v
                }
                rms[f] = (sum / Double(frame)).squareRoot()
            }
        }
        let loudest = rms.max() ?? 0
        var mask = [Bool](repeating: false, count: samples.count)
        var count = 0
        var energy = 0.0
        if loudest > 0 {
            let threshold = loudest * pow10(silenceDB / 20)
            for f in 0..<frames where rms[f] > threshold {
                for i in (f * frame)..<min(samples.count, (f + 1) * frame) {
                    mask[i] = true
                    let v = Double(samples[i])
                    energy += v * v
                    count += 1
                }
            }
        }
        self.mask = mask
        activeCount = count
        power = count > 0 ? energy / Double(count) : 0
    }
}
