import SignalBasics

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Picks the channel carrying the signal from the first seconds of an interleaved recording.
///
/// Each channel's averaged power spectrum (Hann-windowed 1024-point FFTs, 100 Hz up to
/// 0.45 × the sample rate) is scored by its *spectral flatness*: the geometric over the
/// arithmetic mean of the power. White noise scores near 1, a tone or FSK near 0, whatever
/// their levels, so a quiet tone wins over loud noise. The most tonal channel wins unless
/// channel 0 is within ``alikeMargin`` of it, in which case channel 0 is kept.
///
///     let choice = ChannelAnalyzer.choose(interleaved: prefix, channels: 2, sampleRate: 48000)
struct ChannelAnalyzer {
    /// FFT length.
    static let size = 1024
    /// Flatness differences below this count as "alike".
    static let alikeMargin = 0.05
    /// Mean-square power below which a channel counts as silent.
    static let silence = 1e-10

    /// Chooses a channel.
    ///
    /// - Parameters:
    ///   - interleaved: The first frames of the file, all channels interleaved.
    ///   - channels: Channels per frame (2 or more).
    ///   - sampleRate: Frames per second, to place the analysed band.
    /// - Returns: The channel and a one-line reason.
    /// - Complexity: O(*n* log 1024) for *n* samples.
    static func choose(interleaved: [Float], channels: Int, sampleRate: Int) -> ChannelChoice {
        let frames = interleaved.count / channels
        guard frames >= 64 else {
            return ChannelChoice(channel: 0, reason: "too short to compare channels (\(frames) frames)")
        }
        var analyzer = ChannelAnalyzer()
        let flatness = (0..<channels).map {
            analyzer.flatness(of: interleaved, channel: $0, channels: channels, sampleRate: sampleRate)
        }
        let scored = flatness.enumerated().compactMap { index, value in value.map { (index, $0) } }
        guard let best = scored.min(by: { $0.1 < $1.1 }) else {
            return ChannelChoice(channel: 0, reason: "all channels silent")
        }
        let text = flatness.enumerated().map { index, value in
            "\(index): " + (value.map { String(Double(Int(($0 * 1000).rounded())) / 1000) } ?? "silent")
        }.joined(separator: ", ")
        if let first = flatness[0], first - best.1 < alikeMargin {
            return ChannelChoice(channel: 0, reason: "channels alike, keeping the first (spectral flatness \(text))")
        }
        return ChannelChoice(channel: best.0, reason: "most tonal (spectral flatness \(text))")
    }

    private var real = [Double](repeating: 0, count: size)
    private var imaginary = [Double](repeating: 0, count: size)
    /// The shared FFT (SignalBasics), 1024 points.
    private let fft: FFT?

    private init() {
        fft = try? FFT(size: ChannelAnalyzer.size)
    }

    /// Spectral flatness of one channel, or `nil` when it is silent.
    private mutating func flatness(of samples: [Float], channel: Int, channels: Int, sampleRate: Int) -> Double? {
        guard let fft else { return nil }
        let n = ChannelAnalyzer.size
        let frames = samples.count / channels
        let low = max(1, Int(100 * Double(n) / Double(sampleRate)))
        let high = max(low + 1, min(Int(0.45 * Double(n)), Int(20_000 * Double(n) / Double(sampleRate))))
        var power = [Double](repeating: 0, count: n / 2)
        var start = 0
        var blocks = 0
        var energy = 0.0
        repeat {
            for i in 0..<n {
                let frame = start + i
                var value: Float = 0
                if frame < frames {
                    value = samples[frame * channels + channel]
                    if !value.isFinite { value = 0 }
                }
                energy += Double(value * value)
                real[i] = Double(value) * fft.window[i]
                imaginary[i] = 0
            }
            fft.transform(re: &real, im: &imaginary)
            for bin in 0..<n / 2 {
                power[bin] += real[bin] * real[bin] + imaginary[bin] * imaginary[bin]
            }
            blocks += 1
            start += n
        } while start + n <= frames
        guard energy / Double(max(1, min(frames, blocks * n))) > ChannelAnalyzer.silence else { return nil }
        var logSum = 0.0
        var sum = 0.0
        for bin in low..<high {
            let p = power[bin] / Double(blocks) + 1e-20
            logSum += log(p)
            sum += p
        }
        let count = Double(high - low)
        return exp(logSum / count) / (sum / count)
    }
}
