import SignalBasics

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Spectrogram: time across, frequency up, power in dB as colour (dark = quiet),
/// with a colour bar. Each column is a Hann-windowed FFT centred on its time.
///
///     let c = try SpectrogramPlot.render(samples, sampleRate: 48000, maxFrequency: 6000,
///                                        toneLines: [1200, 2400])
public enum SpectrogramPlot {
    /// - Parameters:
    ///   - samples: The recording.
    ///   - sampleRate: Samples per second.
    ///   - from: Start time in seconds (nil: the start of the recording).
    ///   - to: End time in seconds (nil: the end).
    ///   - maxFrequency: Top of the frequency axis in Hz (default: a little above where
    ///     99.5 % of the power lies).
    ///   - fftSize: Power of two; default about 20 ms of audio.
    ///   - dynamicRange: dB from the loudest cell to the bottom of the colour scale.
    ///   - toneLines: Frequencies to mark with dashed lines and labels (the mode's tones).
    ///   - width: Picture width in pixels.
    ///   - height: Picture height in pixels.
    ///   - title: Text above the chart.
    public static func render(
        _ samples: [Float], sampleRate: Double, from: Double? = nil, to: Double? = nil,
        maxFrequency: Double? = nil, fftSize: Int? = nil, dynamicRange: Double = 70,
        toneLines: [Double] = [], width: Int = 1000, height: Int = 500,
        title: String = "Spectrogram"
    ) throws(PlotError) -> Canvas {
        var c = Canvas(width: width, height: height)
        try c.validate()
        let span = try SampleSpan(count: samples.count, sampleRate: sampleRate, from: from, to: to)
        let nyquist = sampleRate / 2
        var size = fftSize ?? 256
        if fftSize == nil { while Double(size) < sampleRate * 0.02 { size *= 2 } }
        let fft: FFT
        do { fft = try FFT(size: size) } catch { throw .noData(error.description) }
        let area = Layout.plotArea(width: width, height: height, right: 140)
        // One column per two pixels, but no closer than an eighth of the FFT: the window
        // smears time over `size` samples anyway, and fewer columns keep files small.
        let columns = max(1, min(Int(area.width / 2), span.count / max(1, size / 8)))
        let half = size / 2 + 1

        // Power per column and bin, over the whole band first.
        var power = [Double](repeating: 0, count: columns * half)
        var mean = [Double](repeating: 0, count: half)
        for col in 0..<columns {
            let centre = span.start + Int((Double(col) + 0.5) * Double(span.count) / Double(columns))
            let a = max(0, centre - size / 2), b = min(samples.count, a + size)
            let p = fft.powerSpectrum(of: samples[a..<b])
            for k in 0..<half { power[col * half + k] = p[k]; mean[k] += p[k] }
        }
        let fmax = min(nyquist, max(1, maxFrequency ?? automaticTop(mean, nyquist: nyquist)))
        let bins = min(size / 2, max(1, Int((fmax / nyquist * Double(size / 2)).rounded(.up))))
        var db = [Double](repeating: -300, count: columns * bins)
        var top = -300.0
        for col in 0..<columns {
            for k in 0..<bins {
                let v = 10 * log10(power[col * half + k] + 1e-30)
                db[col * bins + k] = v
                top = max(top, v)
            }
        }
        top = (top / 10).rounded(.up) * 10
        let bottom = top - dynamicRange
        // At most one image row per two pixels: neighbouring bins merge, keeping the loudest.
        let rows = max(1, min(bins, Int(area.height / 2)))
        var img = RGBImage(width: columns, height: rows)
        for col in 0..<columns {
            for r in 0..<rows {
                let k0 = r * bins / rows, k1 = max(k0 + 1, (r + 1) * bins / rows)
                var v = -300.0
                for k in k0..<k1 { v = max(v, db[col * bins + k]) }
                img[col, rows - 1 - r] = ColorMap.color((v - bottom) / dynamicRange)
            }
        }
        let chart = Chart(
            area: area, x: Axis(min: span.startTime, max: span.endTime, label: "time (s)"),
            y: Axis(min: 0, max: Double(bins) * nyquist / Double(size / 2), label: "frequency (Hz)", tickCount: 6))
        Layout.title(title + "  (FFT \(size), Hann, \(Int((sampleRate / Double(size)).rounded())) Hz bins)", into: &c)
        c.add(.image(img, in: area))
        chart.drawAxes(into: &c, grid: false)
        var lines = [Element]()
        for f in toneLines where f <= chart.y.max {
            lines.append(
                .line(
                    Point(area.x, chart.py(f)), Point(area.maxX, chart.py(f)),
                    Stroke(.white.opacity(0.8), width: 1, dash: [6, 6])))
            lines.append(
                .text(
                    "\(Int(f.rounded())) Hz", at: Point(area.maxX - 6, chart.py(f) - 12),
                    style: TextStyle(size: 20, color: .white, anchor: .end)))
        }
        c.add(chart.clip(lines))
        colorBar(bottom: bottom, top: top, area: area, into: &c)
        return c
    }

    /// A frequency axis top that shows the signal: 1.25 × the frequency below which
    /// 99.5 % of the average power lies, rounded up to a multiple of 500 Hz (or of
    /// 1/20 of Nyquist at low rates).
    static func automaticTop(_ meanPower: [Double], nyquist: Double) -> Double {
        let total = meanPower.reduce(0, +)
        guard total > 0, meanPower.count > 1 else { return nyquist }
        var run = 0.0
        var k = meanPower.count - 1
        for (i, p) in meanPower.enumerated() {
            run += p
            if run >= 0.995 * total { k = i; break }
        }
        let f = Double(k) * nyquist / Double(meanPower.count - 1) * 1.25
        let step = min(500, nyquist / 20)
        return min(nyquist, max(step, (f / step).rounded(.up) * step))
    }

    /// A vertical colour scale right of the plot area, labelled in dB.
    static func colorBar(bottom: Double, top: Double, area: Rect, into c: inout Canvas) {
        var bar = RGBImage(width: 1, height: 128)
        for i in 0..<128 { bar[0, 127 - i] = ColorMap.color(Double(i) / 127) }
        let rect = Rect(x: area.maxX + 16, y: area.y, width: 18, height: area.height)
        c.add(.image(bar, in: rect))
        c.add(.rect(rect, fill: nil, stroke: Stroke(.axis, width: 1)))
        let axis = Axis(min: bottom, max: top, tickCount: 7)
        for v in axis.ticks() {
            let y = rect.maxY - axis.fraction(v) * rect.height
            c.add(.line(Point(rect.maxX, y), Point(rect.maxX + 5, y), Stroke(.axis, width: 1)))
            c.text(axis.tickLabel(v), rect.maxX + 8, y, TextStyle(size: 20, color: .axis))
        }
        c.text("dB", rect.midX, rect.maxY + 20, TextStyle(size: 20, color: .text, anchor: .middle))
    }
}
